package org.sgdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdsim.experiment.config.ExperimentConfig;

/** readout.enabled = true on an online run: a ridge readout of the trained W beside W0's, the same on both trainers. */
class OnlineReadoutTest
{
    @TempDir
    Path tmp;

    private ExperimentSpec spec(final String... more)
    {
        final List<String> overrides = new java.util.ArrayList<>(List.of("data.dim=100", "output.plots=false",
            "metrics.progress=false", "output.dir=" + tmp));
        overrides.addAll(List.of(more));
        return ExperimentConfig.load(Path.of("conf", "experiments", "quickstart.conf"), overrides, null);
    }

    @Test
    void aTrainedFirstLayerReadsOutFarBetterThanItsInitialisationOnBothTrainers() throws Exception
    {
        final Runs.Active<?> pipeline = Runs.start(spec("readout.enabled=true"), tmp.resolve("pipeline"), null, false);
        pipeline.finish();
        final Runs.Active<?> reference = Runs.start(spec("readout.enabled=true"), tmp.resolve("reference"), null, true);
        reference.finish();
        for (final String file : List.of("readout.csv", "spectrum.csv"))
        {
            assertEquals(Files.readAllLines(pipeline.dir().resolve(file)),
                Files.readAllLines(reference.dir().resolve(file)), file);
        }
        final List<String> rows = Files.readAllLines(reference.dir().resolve("readout.csv"));
        assertEquals(3, rows.size(), "the no-step readout and the end's");
        final double baseline = Double.parseDouble(rows.get(1).split(",")[4]);
        final double trained = Double.parseDouble(rows.get(2).split(",")[4]);
        // He2(z1) learned to max_cos 0.99 by four He2 units: a refit of a all but interpolates the target.
        assertTrue(trained < 0.01, "test error after training " + trained);
        assertTrue(baseline > 0.5, "random features at W0 " + baseline);
        assertTrue(Files.readString(reference.dir().resolve("summary.json")).contains("\"rf_test_error\""));
    }

    @Test
    void readoutsAtListedStepsAreTheSameOnBothTrainersAndLeaveTrainingAsItWas() throws Exception
    {
        // 0 and the last step are the rows either side already; 5000 lies beyond the run's end and is not reached.
        final String[] atSteps = {"stop.when=none", "stop.max-steps=1500", "readout.enabled=true",
            "readout.at-steps=[0, 7, 300, 1499, 1500, 5000]"};
        final Runs.Active<?> pipeline = Runs.start(spec(atSteps), tmp.resolve("pipeline"), null, false);
        pipeline.finish();
        final Runs.Active<?> reference = Runs.start(spec(atSteps), tmp.resolve("reference"), null, true);
        reference.finish();
        final Runs.Active<?> endOnly = Runs.start(spec("stop.when=none", "stop.max-steps=1500",
            "readout.enabled=true"), tmp.resolve("end-only"), null, false);
        endOnly.finish();
        final Runs.Active<?> plain = Runs.start(spec("stop.when=none", "stop.max-steps=1500"), tmp.resolve("plain"),
            null, false);
        plain.finish();

        final List<String> rows = Files.readAllLines(pipeline.dir().resolve("readout.csv"));
        assertEquals(rows, Files.readAllLines(reference.dir().resolve("readout.csv")));
        assertEquals(List.of("0", "7", "300", "1499", "1500"),
            rows.stream().skip(1).map(r -> r.split(",")[0]).toList());
        // The end-only run has the same first and last rows: the listed readouts changed nothing they measure.
        final List<String> ends = Files.readAllLines(endOnly.dir().resolve("readout.csv"));
        assertEquals(List.of(rows.get(0), rows.get(1), rows.get(rows.size() - 1)), ends);
        assertTrue(!rows.get(2).equals(rows.get(3)) && !rows.get(3).equals(rows.get(4)), "W moved between readouts");
        // A readout mid-run sees the W a run ending at that step would: settled, whatever the step keeps pending.
        final Runs.Active<?> stopped = Runs.start(spec("stop.when=none", "stop.max-steps=300", "readout.enabled=true"),
            tmp.resolve("stopped-at-300"), null, true);
        stopped.finish();
        final List<String> stoppedRows = Files.readAllLines(stopped.dir().resolve("readout.csv"));
        assertEquals(stoppedRows.get(stoppedRows.size() - 1), rows.get(3), "the readout at step 300");
        final List<String> metrics = ExperimentFixture.withoutWallTime(
            Files.readAllLines(plain.dir().resolve("metrics.csv")));
        assertEquals(metrics, ExperimentFixture.withoutWallTime(
            Files.readAllLines(pipeline.dir().resolve("metrics.csv"))));
        assertEquals(metrics, ExperimentFixture.withoutWallTime(
            Files.readAllLines(reference.dir().resolve("metrics.csv"))));
    }

    @Test
    void withoutTheKeyAnOnlineRunWritesNoReadout() throws Exception
    {
        final Runs.Active<?> run = Runs.start(spec("stop.max-steps=100"), tmp.resolve("plain"), null, true);
        run.finish();
        assertFalse(Files.exists(run.dir().resolve("readout.csv")));
        assertFalse(Files.readString(run.dir().resolve("summary.json")).contains("test_error"));
    }
}
