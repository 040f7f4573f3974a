package org.sgdsim.giant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdsim.experiment.Experiment;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.Runs;

/** Giant-step runs through the engine: their files, the same results with --reference, resume starting over. */
class GiantRunsTest
{
    @TempDir
    Path tmp;

    private Experiment spec(final String... overrides)
    {
        final List<String> all = new java.util.ArrayList<>(List.of("data.dim=32", "student.width=48",
            "giant.kappa=1.5", "giant.steps=2", "readout.at-steps=[1]", "output.dir=" + tmp));
        all.addAll(List.of(overrides));
        return ExperimentConfig.loadAny(Path.of("conf", "experiments", "giant-step.conf"), all, null);
    }

    private static List<String> withoutWall(final Path file) throws java.io.IOException
    {
        return Files.readAllLines(file).stream().filter(l -> !l.contains("wall_seconds") && !l.contains("trainer"))
            .map(l -> l.matches("^\\d+,\\d+,[0-9.]+,.*") ? l.replaceFirst("^(\\d+,\\d+),[0-9.]+,", "$1,") : l)
            .collect(Collectors.toList());
    }

    @Test
    void theEngineAndTheReferenceGiveTheSameFiles() throws Exception
    {
        final Runs.Active<?> a = Runs.start(spec(), tmp.resolve("pipeline"), null, false);
        a.finish();
        final Runs.Active<?> b = Runs.start(spec(), tmp.resolve("reference"), null, true);
        b.finish();
        for (final String file : List.of("metrics.csv", "readout.csv", "spectrum.csv", "summary.json", "config.conf"))
        {
            assertEquals(withoutWall(a.dir().resolve(file)), withoutWall(b.dir().resolve(file)), file);
        }
        final List<String> readout = Files.readAllLines(a.dir().resolve("readout.csv"));
        assertEquals(List.of("0", "1", "2"), readout.subList(1, readout.size()).stream()
            .map(l -> l.substring(0, l.indexOf(','))).toList(), "readouts at 0, the listed step and the end");
        assertEquals(3, Files.readAllLines(a.dir().resolve("metrics.csv")).size() - 1, "rows at steps 0, 1, 2");
        assertEquals(49, Files.readAllLines(a.dir().resolve("spectrum.csv")).size(), "p eigenvalues");
        final String summary = Files.readString(a.dir().resolve("summary.json"));
        for (final String key : List.of("\"test_error\"", "\"train_error\"", "\"rf_test_error\"", "\"outliers\"",
            "\"max_cos_per_step\"", "\"learned_1\""))
        {
            assertTrue(summary.contains(key), key);
        }
        assertTrue(Files.size(a.dir().resolve("spectrum.png")) > 0);
    }

    @Test
    void anInterruptedRunStartsOverOnResume() throws Exception
    {
        final Runs.Active<?> a = Runs.start(spec("output.plots=false"), tmp.resolve("run"), null, true);
        a.requestStop();
        a.finish();
        assertTrue(Files.readString(a.dir().resolve("summary.json")).contains("\"stop_reason\": \"interrupted\""));
        final Runs.Active<?> resumed = Runs.resume(a.dir(), null, note -> { });
        resumed.finish();
        final Runs.Active<?> whole = Runs.start(spec("output.plots=false"), tmp.resolve("whole"), null, true);
        whole.finish();
        assertEquals(withoutWall(whole.dir().resolve("readout.csv")), withoutWall(resumed.dir().resolve("readout.csv")));
        assertEquals(withoutWall(whole.dir().resolve("metrics.csv")), withoutWall(resumed.dir().resolve("metrics.csv")));
    }
}
