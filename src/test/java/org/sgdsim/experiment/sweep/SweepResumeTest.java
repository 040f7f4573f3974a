package org.sgdsim.experiment.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.InputSource;

/**
 * A tiny sweep end to end: its files and plots, then a resume after one run's summary.json is deleted redoes that
 * run only and reproduces runs.csv.
 */
class SweepResumeTest
{
    private static final List<String> TIMING = List.of("wall_s", "mean_iter_s", "learner_p50_us");

    @TempDir
    Path tmp;

    @Test
    void sweepWritesItsReportsAndResumesOnlyTheUnfinishedRun() throws Exception
    {
        final Path conf = tmp.resolve("conf");
        Files.createDirectories(conf);
        Files.writeString(conf.resolve("tiny.conf"), String.join("\n",
            "experiment { name = tiny, seed = 1 }",
            "data.dim = 64",
            "teacher.target = \"He3(z1)\"",
            "student { width = 1, activation = He3 }",
            "training { loss = correlation, learning-rate = \"0.01*nb*d^-1.5\", normalization = projected }",
            "stop { max-samples = \"20*d^2\", when = { metric = max-cos-1, above = 0.5 } }",
            "metrics.risk-samples = 10000",
            "checkpoint { every-steps = 20, every-seconds = none, keep = 1000 }"));
        final Path sweep = conf.resolve("tiny-sweep.conf");
        Files.writeString(sweep, String.join("\n",
            "experiment = \"tiny.conf\"",
            "grid { \"training.batch-size\" = [8, 64] }",
            "seeds = 2",
            "curves { metrics = [max-cos-1], x = samples, at = [1000] }"));
        final Path out = tmp.resolve("sweep");
        final StringWriter err = new StringWriter();
        assertEquals(0, SweepPlanTest.cli(err, "sweep", sweep.toString(), "--out", out.toString(), "-q",
            "--parallel", "2", "--latency", "0.001"), err.toString());

        // the reports
        final List<String> runs = Files.readAllLines(out.resolve("runs.csv"));
        assertEquals(5, runs.size());
        assertTrue(runs.get(0).startsWith("point,training.batch-size,seed,d,nb,reached,steps_to_threshold,"
            + "samples_to_threshold,steps,samples,stop_reason,wall_s,mean_iter_s,learner_p50_us,final_max_cos_1"),
            runs.get(0));
        assertTrue(runs.get(1).startsWith("batch-size-8,8,1,64,8,"), runs.get(1));
        final List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(3, summary.size());
        assertTrue(summary.get(0).contains(",T_median,T_q1,T_q3,nbT_median,nbT_q1,nbT_q3,theory_T,theory_nbT,")
            && summary.get(0).contains("model_s_per_step,model_time_to_threshold_s,max_cos_1_at_1000_q1"),
            summary.get(0));
        final Config fits = ConfigFactory.parseFile(out.resolve("fits.json").toFile(),
            ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
        assertEquals(2000, fits.getInt("bootstrap.resamples"));
        assertEquals("nb", fits.getConfigList("fits").get(0).getString("x"));
        assertEquals(0.001, fits.getDouble("time_model.latency_s"), 0.0);
        for (final String stem : new String[] {"T-vs-nb", "nbT-vs-nb", "time-vs-nb", "curves-max-cos-1", "phase-diagram"})
        {
            final byte[] png = Files.readAllBytes(out.resolve("plots/" + stem + ".png"));
            assertTrue(png.length > 1000, stem);
            assertNotNull(ImageIO.read(new java.io.ByteArrayInputStream(png)), stem + ".png decodes");
            final DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            assertEquals("svg", f.newDocumentBuilder().parse(new InputSource(new StringReader(
                Files.readString(out.resolve("plots/" + stem + ".svg"))))).getDocumentElement().getNodeName());
        }

        // delete one run's summary: that run, and only that run, is redone
        final List<Path> dirs = new ArrayList<>();
        try (var list = Files.list(out.resolve("runs")))
        {
            list.sorted().forEach(dirs::add);
        }
        assertEquals(4, dirs.size());
        final Path redo = out.resolve("runs/batch-size-64-seed1");
        final List<String> before = new ArrayList<>();
        final List<FileTime> times = new ArrayList<>();
        for (final Path d : dirs)
        {
            before.add(Files.readString(d.resolve("summary.json")));
            times.add(Files.getLastModifiedTime(d.resolve("summary.json")));
        }
        final String metricsBefore = Files.readString(redo.resolve("metrics.csv"));
        // As if the sweep had been killed half-way through that run: its summary and later checkpoints never
        // happened and metrics.csv ends in a torn row. The sweep resumes it from the checkpoint that is left.
        Files.delete(redo.resolve("summary.json"));
        final List<Path> checkpoints = new ArrayList<>();
        try (var list = Files.list(redo.resolve("checkpoints")))
        {
            list.sorted().forEach(checkpoints::add);
        }
        assertTrue(checkpoints.size() >= 2, "checkpoints: " + checkpoints);
        for (final Path c : checkpoints.subList(checkpoints.size() / 2, checkpoints.size()))
        {
            Files.delete(c);
        }
        final FileTime keptCheckpoint = Files.getLastModifiedTime(checkpoints.get(0));
        Files.writeString(redo.resolve("metrics.csv"), "77,616,0.1,0.", java.nio.file.StandardOpenOption.APPEND);
        Thread.sleep(20);
        assertEquals(0, SweepPlanTest.cli(err, "sweep", sweep.toString(), "--out", out.toString(), "-q",
            "--latency", "0.001"), err.toString());
        for (int i = 0; i < dirs.size(); i++)
        {
            final Path s = dirs.get(i).resolve("summary.json");
            if (dirs.get(i).equals(redo))
            {
                assertTrue(Files.isRegularFile(s), "redone");
                assertNotEquals(times.get(i), Files.getLastModifiedTime(s));
                assertEquals(withoutWall(metricsBefore), withoutWall(Files.readString(redo.resolve("metrics.csv"))));
                assertEquals(keptCheckpoint, Files.getLastModifiedTime(checkpoints.get(0)), "resumed, not redone");
            }
            else
            {
                assertEquals(before.get(i), Files.readString(s), "kept " + dirs.get(i));
                assertEquals(times.get(i), Files.getLastModifiedTime(s), "not rewritten " + dirs.get(i));
            }
        }
        final List<String> again = Files.readAllLines(out.resolve("runs.csv"));
        assertEquals(withoutTiming(runs), withoutTiming(again));
        for (int i = 1; i < runs.size(); i++)
        {
            if (!runs.get(i).startsWith("batch-size-64,64,1,"))
            {
                assertEquals(runs.get(i), again.get(i), "rows of kept runs are identical");
            }
        }

        // another plan into the same folder is refused, and nothing changes
        final StringWriter refused = new StringWriter();
        assertEquals(2, SweepPlanTest.cli(refused, "sweep", sweep.toString(), "--out", out.toString(), "-q",
            "--set", "seeds=3"));
        assertTrue(refused.toString().contains("holds a different sweep"), refused.toString());
        assertFalse(Files.exists(out.resolve("runs/batch-size-8-seed3")));
    }

    @Test
    @Tag("slow") // three sweeps with their reports: ~35 s on the shared 2-core machine
    void runsStoppedByTheWallBudgetEndTheSweepWithoutReportsAndTheNextInvocationResumesThem() throws Exception
    {
        final Path sweep = tmp.resolve("wall-sweep.conf");
        Files.writeString(tmp.resolve("wall.conf"), String.join("\n",
            "experiment { name = wall, seed = 1 }",
            "data.dim = 64",
            "teacher.target = \"He3(z1)\"",
            "student { width = 1, activation = He3 }",
            "training { loss = correlation, learning-rate = \"0.01*nb*d^-1.5\", normalization = projected }",
            "stop { max-samples = \"20*d^2\", when = { metric = max-cos-1, above = 0.5 } }",
            "metrics { every = 7, risk-samples = 10000 }"));
        Files.writeString(sweep, "experiment = \"wall.conf\"\ngrid { \"training.batch-size\" = [2, 8] }\nseeds = 1\n");
        final Path whole = tmp.resolve("whole");
        final Path budgeted = tmp.resolve("budgeted");
        final StringWriter err = new StringWriter();
        assertEquals(0, SweepPlanTest.cli(err, "sweep", sweep.toString(), "--out", whole.toString(), "-q"), err.toString());

        final StringWriter stopped = new StringWriter();
        assertEquals(0, SweepPlanTest.cli(stopped, "sweep", sweep.toString(), "--out", budgeted.toString(), "-q",
            "--set", "stop.max-wall=1ms"), stopped.toString());
        assertTrue(stopped.toString().contains("sweep stopped with 2 runs unfinished at stop.max-wall; resume with: "),
            stopped.toString());
        assertFalse(Files.exists(budgeted.resolve("runs.csv")), "no reports while runs are unfinished");
        assertTrue(Files.readString(budgeted.resolve("runs/batch-size-2-seed1/summary.json"))
            .contains("\"stop_reason\": \"max-wall\""));

        // The budget is no part of the plan: the next invocation, without it, resumes both runs to their ends.
        assertEquals(0, SweepPlanTest.cli(err, "sweep", sweep.toString(), "--out", budgeted.toString(), "-q"),
            err.toString());
        assertEquals(withoutTiming(Files.readAllLines(whole.resolve("runs.csv"))),
            withoutTiming(Files.readAllLines(budgeted.resolve("runs.csv"))));
        for (final String run : List.of("batch-size-2-seed1", "batch-size-8-seed1"))
        {
            assertEquals(withoutWall(Files.readString(whole.resolve("runs").resolve(run).resolve("metrics.csv"))),
                withoutWall(Files.readString(budgeted.resolve("runs").resolve(run).resolve("metrics.csv"))), run);
        }
    }

    private static List<String> withoutTiming(final List<String> lines)
    {
        final List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        final List<String> out = new ArrayList<>();
        for (final String line : lines)
        {
            final String[] cells = line.split(",", -1);
            final StringBuilder s = new StringBuilder();
            for (int c = 0; c < cells.length; c++)
            {
                if (!TIMING.contains(header.get(c)))
                {
                    s.append(cells[c]).append(',');
                }
            }
            out.add(s.toString());
        }
        return out;
    }

    private static String withoutWall(final String metrics)
    {
        return metrics.replaceAll("(?m)^([^,]*,[^,]*),[^,]*", "$1");
    }
}
