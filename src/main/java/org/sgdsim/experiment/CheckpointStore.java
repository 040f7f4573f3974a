package org.sgdsim.experiment;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import org.sgdsim.metrics.FreshReadout;
import org.sgdsim.metrics.StepMonitor;
import org.sgdsim.run.TrainingState;

/**
 * The checkpoints of one run folder: {@code checkpoints/step-<step>.ckpt}, each the training state plus the length
 * {@code metrics.csv} had when it was taken, closed by a CRC-32. Written atomically (temp file, fsync, rename);
 * the newest {@code keep} are kept. A checkpoint that is truncated or fails its checksum is skipped in favour
 * of the previous one. Version 2 adds the trained second layer and the adaptive loss's switch, version 3 the
 * readouts taken at {@code readout.at-steps}; older files (without them) still load.
 */
public final class CheckpointStore
{
    private static final long MAGIC = 0x5347_4453_494D_434BL; // "SGDSIMCK"
    private static final int VERSION = 3;
    private static final String SUFFIX = ".ckpt";
    /** A readout in a checkpoint: its step, train and test errors. */
    private static final int READOUT_BYTES = 8 + 8 + 8;

    private final Path dir;
    private final int keep;

    /** The store under {@code runDir/checkpoints}, keeping the newest {@code keep}. */
    public CheckpointStore(final Path runDir, final int keep)
    {
        this.dir = runDir.resolve("checkpoints");
        this.keep = keep;
    }

    /**
     * A checkpoint as stored: the state and the metrics.csv length (bytes) it belongs to; {@code version} 1 holds no
     * second layer and no loss switch (written before checkpoints had them).
     */
    public record Saved(TrainingState state, long metricsBytes, Path file, int version)
    {
        /** Whether the checkpoint records the adaptive loss's switch (version 2 on). */
        public boolean holdsLossSwitch()
        {
            return version >= 2;
        }
    }

    /** Writes one checkpoint atomically and prunes the oldest beyond {@code keep}. */
    public void save(final TrainingState state, final long metricsBytes)
    {
        try
        {
            Files.createDirectories(dir);
            final byte[] bytes = encode(state, metricsBytes);
            final Path target = dir.resolve(String.format("step-%015d%s", state.steps(), SUFFIX));
            RunFolder.writeAtomically(target, bytes);
            final List<Path> all = files();
            for (int i = 0; i < all.size() - keep; i++)
            {
                Files.deleteIfExists(all.get(i));
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write a checkpoint in " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The checkpoint a resume would use — the newest that reads back intact and refers to no more than
     * {@code metricsBytes} of metrics.csv — and the newer ones passed over, with one line each saying why. Reads
     * only; nothing is changed.
     */
    public Choice newestUsable(final long metricsBytes)
    {
        final List<Path> all = files();
        final List<Path> passedOver = new ArrayList<>();
        final List<String> reasons = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--)
        {
            final Path file = all.get(i);
            try
            {
                final Saved saved = decode(Files.readAllBytes(file), file);
                if (saved.metricsBytes() <= metricsBytes)
                {
                    return new Choice(saved, passedOver, reasons);
                }
                reasons.add("checkpoint " + file + " refers to more of metrics.csv than exists");
            }
            catch (final IOException | IllegalArgumentException ex)
            {
                reasons.add("checkpoint " + file + " is damaged (" + ex.getMessage() + ")");
            }
            passedOver.add(file);
        }
        return new Choice(null, passedOver, reasons);
    }

    /** What {@link #newestUsable} found: the checkpoint to use (or null) and the newer files passed over, with why. */
    public record Choice(Saved saved, List<Path> passedOver, List<String> reasons)
    {
        /** One line per checkpoint passed over: why, and that an older one is tried when there is one. */
        public List<String> notes()
        {
            final List<String> notes = new ArrayList<>();
            for (int i = 0; i < reasons.size(); i++)
            {
                notes.add(reasons.get(i) + (i + 1 < reasons.size() || saved != null ? "; using the previous one" : ""));
            }
            return notes;
        }
    }

    /**
     * Renames checkpoints passed over to {@code *.damaged}: kept for inspection, no longer listed, so pruning after
     * the resumed run's own checkpoints never removes those in favour of them.
     */
    public void setAside(final List<Path> files)
    {
        for (final Path file : files)
        {
            try
            {
                Files.move(file, file.resolveSibling(file.getFileName() + ".damaged"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot set aside " + file + ": " + ex.getMessage(), ex);
            }
        }
    }

    /** Checkpoint files, oldest first. */
    List<Path> files()
    {
        final List<Path> all = new ArrayList<>();
        if (!Files.exists(dir))
        {
            return all;
        }
        if (!Files.isDirectory(dir))
        {
            throw new UserError(dir + " is not a directory; a run folder keeps its checkpoints there");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "step-*" + SUFFIX))
        {
            for (final Path p : entries)
            {
                all.add(p);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + dir, ex);
        }
        all.sort(null);
        return all;
    }

    static byte[] encode(final TrainingState s, final long metricsBytes)
    {
        try
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 8 * s.weights().length);
            final DataOutputStream out = new DataOutputStream(bytes);
            out.writeLong(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(s.steps());
            out.writeLong(s.samples());
            out.writeLong(s.batches());
            out.writeLong(s.elapsedNs());
            out.writeLong(metricsBytes);
            final StepMonitor.State m = s.monitor();
            out.writeLong(m.nextRow());
            out.writeLong(m.lastRowStep());
            out.writeBoolean(m.reached());
            out.writeLong(m.stepsToThreshold());
            out.writeLong(m.samplesToThreshold());
            out.writeBoolean(m.lossSwitched());
            out.writeInt(s.weights().length);
            for (final double w : s.weights())
            {
                out.writeDouble(w);
            }
            // −1: a is fixed (not part of the state).
            out.writeInt(s.secondLayer() == null ? -1 : s.secondLayer().length);
            if (s.secondLayer() != null)
            {
                for (final double a : s.secondLayer())
                {
                    out.writeDouble(a);
                }
            }
            out.writeInt(s.readouts().size());
            for (final FreshReadout.Errors r : s.readouts())
            {
                out.writeLong(r.step());
                out.writeDouble(r.trainError());
                out.writeDouble(r.testError());
            }
            out.flush();
            final CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
            out.flush();
            return bytes.toByteArray();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static Saved decode(final byte[] bytes, final Path file)
    {
        if (bytes.length < 8 + 4 + 8)
        {
            throw new IllegalArgumentException("truncated: " + bytes.length + " bytes");
        }
        final CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        final ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.getLong(bytes.length - 8) != crc.getValue())
        {
            throw new IllegalArgumentException("checksum mismatch");
        }
        if (in.getLong() != MAGIC)
        {
            throw new IllegalArgumentException("not an sgdsim checkpoint");
        }
        final int version = in.getInt();
        if (version < 1 || version > VERSION)
        {
            throw new IllegalArgumentException("version " + version + ", expected 1 to " + VERSION);
        }
        final long steps = in.getLong();
        final long samples = in.getLong();
        final long batches = in.getLong();
        final long elapsedNs = in.getLong();
        final long metricsBytes = in.getLong();
        final StepMonitor.State monitor = new StepMonitor.State(in.getLong(), in.getLong(), in.get() != 0, in.getLong(),
            in.getLong(), version >= 2 && in.get() != 0);
        final int n = in.getInt();
        // Version 1 ends with the weights; version 2 follows them with a's length (−1: none) and a; version 3 with
        // the number of readouts and their (step, train error, test error).
        final long rest = bytes.length - in.position() - 8L - (version >= 2 ? 4 : 0) - (version >= 3 ? 4 : 0);
        if (n < 0 || (version == 1 ? n != rest / 8 : 8L * n > rest))
        {
            throw new IllegalArgumentException("inconsistent length");
        }
        final double[] weights = readDoubles(in, n);
        double[] secondLayer = null;
        if (version >= 2)
        {
            final int m = in.getInt();
            final long arrays = 8L * ((long)n + Math.max(m, 0));
            if (m < -1 || (version == 2 ? arrays != rest : arrays > rest || (rest - arrays) % READOUT_BYTES != 0))
            {
                throw new IllegalArgumentException("inconsistent length");
            }
            secondLayer = m == -1 ? null : readDoubles(in, m);
        }
        final List<FreshReadout.Errors> readouts = new ArrayList<>();
        if (version >= 3)
        {
            final int count = in.getInt();
            if (count != (bytes.length - 8L - in.position()) / READOUT_BYTES)
            {
                throw new IllegalArgumentException("inconsistent length");
            }
            for (int i = 0; i < count; i++)
            {
                readouts.add(new FreshReadout.Errors(in.getLong(), in.getDouble(), in.getDouble()));
            }
        }
        return new Saved(new TrainingState(steps, samples, batches, weights, secondLayer, monitor, elapsedNs,
            readouts),
            metricsBytes, file, version);
    }

    private static double[] readDoubles(final ByteBuffer in, final int n)
    {
        final double[] values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = in.getDouble();
        }
        return values;
    }
}
