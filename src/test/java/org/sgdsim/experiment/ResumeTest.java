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
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.online.OnlineKind;
import org.sgdsim.metrics.RunResult;
import org.sgdsim.run.TrainingState;

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
        return Runs.start(spec, out, null, false).as(OnlineKind.KIND).finish();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"training.rule=sgd", "training.repeats=2", "training.dataset-size=29",
        "stop.when={metric=max-cos-1, above=0.4}", "data.sampler=lowrank",
        "data.sampler=lowrank | training.batch-size=9000 | data.block-size=1000 | training.learning-rate=0.3",
        // readouts before the checkpoint the resume starts from (held in it), after it, and beyond the end
        "readout.enabled=true | readout.at-steps=[25, 60, 130, 400, 599, 900]"})
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
        Files.deleteIfExists(crashed.resolve("readout.csv"));
        Files.writeString(crashed.resolve("metrics.csv"), "999,999,1.0,0.5", java.nio.file.StandardOpenOption.APPEND);

        final List<String> notes = new ArrayList<>();
        final RunResult resumed = Runs.resume(crashed, null, notes::add).as(OnlineKind.KIND).finish();
        assertEquals(List.of(), notes);
        if (Files.exists(whole.resolve("readout.csv")))
        {
            final List<String> readouts = Files.readAllLines(whole.resolve("readout.csv"));
            assertEquals(List.of("0", "25", "60", "130", "400", "599", "600"),
                readouts.stream().skip(1).map(r -> r.split(",")[0]).toList());
            assertEquals(readouts, Files.readAllLines(crashed.resolve("readout.csv")));
        }
        assertEquals(withoutWall(whole.resolve("metrics.csv")), withoutWall(crashed.resolve("metrics.csv")));
        assertEquals(deterministicSummary(whole), deterministicSummary(crashed));
        assertTrue(resumed.steps() > 50);
    }

    static Stream<Arguments> trainedSecondLayerAndAdaptiveLoss()
    {
        // The switches hold near step 180 (max_cos_1 0.40, risk 3.50), before the checkpoint the resume starts from.
        final String[] variants = {"training.second-layer=sgd",
            "training.loss=adaptive | training.switch-when={metric=max-cos-1, above=0.4}",
            "training.second-layer=sgd | training.loss=adaptive | training.switch-when={metric=risk, below=3.5}",
            // low-rank: the switch near step 130
            "data.sampler=lowrank | training.second-layer=sgd | training.loss=adaptive "
                + "| training.switch-when={metric=max-cos-1, above=0.4}"};
        final List<Arguments> all = new ArrayList<>();
        for (final String variant : variants)
        {
            for (final int g : new int[] {1, 2})
            {
                all.add(Arguments.of(variant, g));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, G = {1}")
    @MethodSource("trainedSecondLayerAndAdaptiveLoss")
    @Timeout(60)
    void aTrainedSecondLayerAndTheAdaptiveLossResumeBitForBit(final String variant, final int generators)
        throws IOException
    {
        final Path reference = tmp.resolve("reference");
        final Path whole = tmp.resolve("whole");
        final Path crashed = tmp.resolve("crashed");
        final List<String> settings = new ArrayList<>(List.of(variant.split(" \\| ")));
        settings.add("pipeline.generators=" + generators);
        final String[] s = settings.toArray(new String[0]);
        Runs.start(spec(s), reference, null, true).finish();
        run(spec(s), whole);
        run(spec(s), crashed);
        final CheckpointStore store = new CheckpointStore(crashed, 100);
        final List<Path> files = store.files();
        for (final Path f : files.subList(files.size() / 2, files.size()))
        {
            Files.delete(f);
        }
        Files.delete(crashed.resolve("summary.json"));
        final TrainingState from = store.newestUsable(Long.MAX_VALUE).saved().state();
        if (variant.contains("second-layer=sgd"))
        {
            assertTrue(from.secondLayer() != null, "the checkpoint holds a");
        }
        if (variant.contains("adaptive"))
        {
            assertTrue(from.monitor().lossSwitched(), "the resume starts after the switch, at step " + from.steps());
        }

        Runs.resume(crashed, null, n -> { }).as(OnlineKind.KIND).finish();
        assertEquals(withoutWall(reference.resolve("metrics.csv")), withoutWall(whole.resolve("metrics.csv")));
        assertEquals(withoutWall(whole.resolve("metrics.csv")), withoutWall(crashed.resolve("metrics.csv")));
        assertEquals(deterministicSummary(whole), deterministicSummary(crashed));
    }

    @org.junit.jupiter.api.Test
    @Timeout(60)
    void aVersion1CheckpointStillLoadsAndRefusesOnlyWhatItCannotHold() throws IOException
    {
        final Path whole = tmp.resolve("whole");
        final Path old = tmp.resolve("old");
        final Path trained = tmp.resolve("trained");
        run(spec(), whole);
        run(spec(), old);
        run(spec("training.second-layer=sgd"), trained);
        for (final Path dir : List.of(old, trained))
        {
            final List<Path> files = new CheckpointStore(dir, 100).files();
            for (final Path f : files.subList(files.size() / 2, files.size()))
            {
                Files.delete(f);
            }
            for (final Path f : files.subList(0, files.size() / 2))
            {
                Files.write(f, version1(CheckpointStore.decode(Files.readAllBytes(f), f)));
            }
            Files.delete(dir.resolve("summary.json"));
        }
        final Path oldest = new CheckpointStore(old, 100).files().get(0);
        assertEquals(1, CheckpointStore.decode(Files.readAllBytes(oldest), oldest).version());

        Runs.resume(old, null, n -> { }).as(OnlineKind.KIND).finish();
        assertEquals(withoutWall(whole.resolve("metrics.csv")), withoutWall(old.resolve("metrics.csv")));
        final UserError refused = assertThrows(UserError.class, () -> Runs.resume(trained, null, n -> { }));
        assertTrue(refused.getMessage().contains("holds no second layer"), refused.getMessage());
        assertTrue(Files.exists(trained.resolve("checkpoints")) && !Files.exists(trained.resolve("summary.json")));
    }

    /** A checkpoint as version 1 wrote it: the monitor without the loss switch, the weights, no second layer. */
    private static byte[] version1(final CheckpointStore.Saved saved) throws IOException
    {
        final TrainingState s = saved.state();
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        final java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.writeLong(0x5347_4453_494D_434BL);
        out.writeInt(1);
        out.writeLong(s.steps());
        out.writeLong(s.samples());
        out.writeLong(s.batches());
        out.writeLong(s.elapsedNs());
        out.writeLong(saved.metricsBytes());
        out.writeLong(s.monitor().nextRow());
        out.writeLong(s.monitor().lastRowStep());
        out.writeBoolean(s.monitor().reached());
        out.writeLong(s.monitor().stepsToThreshold());
        out.writeLong(s.monitor().samplesToThreshold());
        out.writeInt(s.weights().length);
        for (final double w : s.weights())
        {
            out.writeDouble(w);
        }
        out.flush();
        final java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        return bytes.toByteArray();
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
        final Runs.Active<RunResult> active = Runs.start(spec(longer), drained, null, false)
            .as(OnlineKind.KIND);
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
        final Runs.Active<RunResult> first = Runs.start(spec(endless), dir, printTo(firstOut), false)
            .as(OnlineKind.KIND);
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
