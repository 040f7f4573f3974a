package org.sgdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.metrics.RunResult;

/** A run resumed from a checkpoint ends with the same metrics.csv and summary as one never interrupted. */
class ResumeTest
{
    private static final String BASE = String.join("\n",
        "experiment.name = resume",
        "data { dim = 40, block-size = 8 }",
        "teacher.target = \"z1 + He3(z2)\"",
        "student { width = 3, activation = relu, second-layer = rademacher }",
        "training { batch-size = 3, learning-rate = \"0.2*nb/d\" }",
        "stop.max-steps = 600",
        "metrics { every = 9, progress = false, risk-samples = 10000 }",
        "checkpoint { every-steps = 50, every-seconds = none, keep = 100 }");

    @TempDir
    Path tmp;

    private ExperimentSpec spec(final String... overrides) throws IOException
    {
        final Path file = tmp.resolve("exp.conf");
        Files.writeString(file, BASE);
        return ExperimentConfig.load(file, List.of(overrides), null);
    }

    private RunResult run(final ExperimentSpec spec, final Path out)
    {
        return Runs.start(spec, out, null, false).finish();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"training.rule=sgd", "training.repeats=2", "training.dataset-size=29",
        "stop.when={metric=max-cos-1, above=0.4}", "data.sampler=lowrank",
        "data.sampler=lowrank | training.batch-size=9000 | data.block-size=1000 | training.learning-rate=0.3"})
    @Timeout(60)
    void resumeAfterACrashEndsIdentical(final String variant) throws IOException
    {
        final Path whole = tmp.resolve("whole");
        final Path crashed = tmp.resolve("crashed");
        final String[] settings = variant.split(" \\| ");
        run(spec(settings), whole);
        run(spec(settings), crashed);
        // Simulate a crash after a checkpoint half-way through: later checkpoints and the summary never happened,
        // and metrics.csv holds a few more rows plus half a line.
        final CheckpointStore store = new CheckpointStore(crashed, 100);
        final List<Path> files = store.files();
        assertTrue(files.size() >= 2, "checkpoints written: " + files);
        for (final Path f : files.subList(files.size() / 2, files.size()))
        {
            Files.delete(f);
        }
        Files.delete(crashed.resolve("summary.json"));
        Files.writeString(crashed.resolve("metrics.csv"), "999,999,1.0,0.5", java.nio.file.StandardOpenOption.APPEND);

        final List<String> notes = new ArrayList<>();
        final RunResult resumed = Runs.resume(crashed, null, notes::add).as(OnlineKind.KIND).finish();
        assertEquals(List.of(), notes);
        assertEquals(withoutWall(whole.resolve("metrics.csv")), withoutWall(crashed.resolve("metrics.csv")));
        assertEquals(deterministicSummary(whole), deterministicSummary(crashed));
        assertTrue(resumed.steps() > 50);
    }

    @org.junit.jupiter.api.Test
    @Timeout(60)
    void aFolderWrittenBeforeTheGaussianKeyResumesWithTheZiggurat() throws IOException
    {
        final Path whole = tmp.resolve("whole");
        final Path vector = tmp.resolve("vector");
        final Path old = tmp.resolve("old");
        run(spec("data.gaussian=ziggurat"), whole);
        run(spec("data.gaussian=vector"), vector);
        run(spec("data.gaussian=ziggurat"), old);
        assertTrue(Files.readString(vector.resolve("summary.json")).contains("\"gaussian\": \"vector\""));
        // As written before data.gaussian existed: no such line in config.conf; then a crash half-way.
        final Path config = old.resolve("config.conf");
        final String recorded = Files.readString(config);
        assertTrue(recorded.matches("(?s).*gaussian\\s*=\\s*ziggurat.*"), recorded);
        Files.writeString(config, recorded.replaceAll("(?m)^.*gaussian.*$\\n", ""));
        final CheckpointStore store = new CheckpointStore(old, 100);
        final List<Path> files = store.files();
        for (final Path f : files.subList(files.size() / 2, files.size()))
        {
            Files.delete(f);
        }
        Files.delete(old.resolve("summary.json"));

        Runs.resume(old, null, note -> { }).finish();
        assertEquals(withoutWall(whole.resolve("metrics.csv")), withoutWall(old.resolve("metrics.csv")));
        assertTrue(Files.readString(old.resolve("summary.json")).contains("\"gaussian\": \"ziggurat\""));
        // The default generator gives other numbers, so the equality above is not a coincidence.
        assertNotEquals(withoutWall(whole.resolve("metrics.csv")), withoutWall(vector.resolve("metrics.csv")));
    }

    @org.junit.jupiter.api.Test
    @Timeout(60)
    void aDamagedCheckpointFallsBackToThePreviousOne() throws IOException
    {
        final Path whole = tmp.resolve("whole");
        final Path crashed = tmp.resolve("crashed");
        run(spec(), whole);
        run(spec(), crashed);
        final CheckpointStore store = new CheckpointStore(crashed, 100);
        final List<Path> files = store.files();
        final Path newest = files.get(files.size() - 1);
        final byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(newest, bytes);
        final Path truncated = files.get(files.size() - 2);
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(truncated), 30));
        Files.delete(crashed.resolve("summary.json"));

        final List<String> notes = new ArrayList<>();
        Runs.resume(crashed, null, notes::add).as(OnlineKind.KIND).finish();
        assertEquals(2, notes.size(), notes.toString());
        assertTrue(notes.get(0).contains("checksum mismatch"), notes.get(0));
        assertTrue(notes.get(1).contains("damaged"), notes.get(1));
        assertTrue(notes.stream().allMatch(n -> n.endsWith("; using the previous one")), notes.toString());
        assertEquals(withoutWall(whole.resolve("metrics.csv")), withoutWall(crashed.resolve("metrics.csv")));
    }

    @org.junit.jupiter.api.Test
    @Timeout(60)
    void noCheckpointMeansStartingOverAndAFinishedRunIsNotResumed() throws IOException
    {
        final Path whole = tmp.resolve("whole");
        final Path crashed = tmp.resolve("crashed");
        run(spec(), whole);
        run(spec(), crashed);
        assertThrows(UserError.class, () -> Runs.resume(crashed, null, n -> { }));
        for (final Path f : new CheckpointStore(crashed, 100).files())
        {
            Files.delete(f);
        }
        Files.delete(crashed.resolve("summary.json"));
        final List<String> notes = new ArrayList<>();
        Runs.resume(crashed, null, notes::add).as(OnlineKind.KIND).finish();
        assertTrue(notes.get(0).startsWith("no valid checkpoint"), notes.toString());
        assertEquals(withoutWall(whole.resolve("metrics.csv")), withoutWall(crashed.resolve("metrics.csv")));
    }

    @org.junit.jupiter.api.Test
    @Timeout(60)
    void aDrainedRunResumesToTheSameEnd() throws Exception
    {
        final Path whole = tmp.resolve("whole");
        final Path drained = tmp.resolve("drained");
        final String[] longer = {"stop.max-steps=8000", "checkpoint.every-steps=none"};
        run(spec(longer), whole);
        final Runs.Active<RunResult> active = Runs.start(spec(longer), drained, null, false);
        Thread.sleep(80);
        active.requestStop();
        final RunResult first = active.finish();
        if (first.stopReason() == RunResult.StopReason.INTERRUPTED)
        {
            assertTrue(Files.readString(drained.resolve("summary.json")).contains("\"stop_reason\": \"interrupted\""));
            Runs.resume(drained, null, n -> { }).as(OnlineKind.KIND).finish();
        }
        assertEquals(withoutWall(whole.resolve("metrics.csv")), withoutWall(drained.resolve("metrics.csv")));
        assertEquals(deterministicSummary(whole), deterministicSummary(drained));
    }

    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.Tag("slow")
    @Timeout(120)
    void theFirstProgressLineAfterAResumeCountsOnlyTheSamplesTrainedSinceTheResume() throws Exception
    {
        final Path dir = tmp.resolve("progress");
        final String[] endless = {"stop.max-steps=none", "stop.max-samples=4000000000000", "data.dim=20",
            "training.batch-size=50", "checkpoint.every-steps=none", "metrics.every=100000", "metrics.progress=true"};
        // Three progress lines (seconds) before the drain, so the samples before the resume outweigh the second
        // after it by far.
        final java.io.ByteArrayOutputStream firstOut = new java.io.ByteArrayOutputStream();
        final Runs.Active<RunResult> first = Runs.start(spec(endless), dir, printTo(firstOut), false);
        awaitProgressLines(firstOut, 3);
        first.requestStop();
        final long before = first.finish().samples();
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        final Runs.Active<?> resumed = Runs.resume(dir, printTo(out), n -> { });
        awaitProgressLines(out, 1);
        resumed.requestStop();
        resumed.finish();
        final String line = out.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
            .filter(l -> l.contains("samples/s")).findFirst().orElseThrow();
        final java.util.regex.Matcher m = java.util.regex.Pattern
            .compile("samples (\\d+) .* ([0-9.e+]+) samples/s +([0-9.]+) s").matcher(line);
        assertTrue(m.find(), line);
        final double samplesSinceResume = Long.parseLong(m.group(1)) - before;
        final double rateTimesWall = Double.parseDouble(m.group(2)) * Double.parseDouble(m.group(3));
        // The printed rate × the printed time is what was trained since the resume (3 digits; wall to 0.1 s).
        assertTrue(before > 0 && Math.abs(rateTimesWall / samplesSinceResume - 1) < 0.25,
            line + " (" + before + " samples before the resume)");
    }

    private static java.io.PrintStream printTo(final java.io.ByteArrayOutputStream out)
    {
        return new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void awaitProgressLines(final java.io.ByteArrayOutputStream out, final int lines)
        throws InterruptedException
    {
        while (out.toString(java.nio.charset.StandardCharsets.UTF_8).lines().filter(l -> l.contains("samples/s"))
            .count() < lines)
        {
            Thread.sleep(20);
        }
    }

    private static List<String> withoutWall(final Path metrics) throws IOException
    {
        return Files.readAllLines(metrics).stream().map(r -> r.replaceFirst("^([^,]*,[^,]*),[^,]*", "$1"))
            .collect(Collectors.toList());
    }

    /** summary.json without the fields that measure time. */
    private static List<String> deterministicSummary(final Path run) throws IOException
    {
        final String json = Files.readString(run.resolve("summary.json"));
        final String beforeTiming = json.substring(0, json.indexOf("\"latency\""));
        return beforeTiming.lines().filter(l -> !l.contains("wall_seconds")).collect(Collectors.toList());
    }
}
