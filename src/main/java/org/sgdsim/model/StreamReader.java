package org.sgdsim.model;

/**
 * Reads the sample stream in order, one block at a time, and hands out contiguous runs of samples
 * straight from the block buffer (no copy). Single-threaded; used by the reference loop.
 */
public final class StreamReader
{
    private final BlockSource generator;
    private final int blockSize;
    private final double[] x;
    private final double[] y;
    private long block = -1;
    private int cursor;
    private int first;
    private int filled;

    /** A reader positioned at sample 0. */
    public StreamReader(final BlockSource generator)
    {
        this.generator = generator;
        this.blockSize = generator.blockSize();
        this.x = new double[blockSize * generator.dim()];
        this.y = new double[blockSize];
        this.cursor = blockSize;
        this.filled = blockSize;
    }

    /**
     * Makes the next {@code min(max, rest of block)} samples available from sample slot {@link #offset()}
     * of {@link #x()}/{@link #y()}, advances past them and returns how many (≥ 1 when max ≥ 1).
     */
    public int next(final int max)
    {
        if (cursor == filled)
        {
            block++;
            generator.fillBlock(block, x, y);
            filled = generator.count(block);
            cursor = 0;
        }
        first = cursor;
        final int n = Math.min(max, filled - cursor);
        cursor += n;
        return n;
    }

    /** Sample slot within the block of the first sample handed out by the last {@link #next}. */
    public int offset()
    {
        return first;
    }

    /** The block's covariates, row-major blockSize × d. */
    public double[] x()
    {
        return x;
    }

    /** The block's labels. */
    public double[] y()
    {
        return y;
    }

    /** Index in the stream of the next sample {@link #next} will hand out (streams of full blocks only). */
    public long position()
    {
        return block < 0 ? 0 : block * blockSize + cursor;
    }

    /** Copies the next {@code count} samples into {@code dstX}/{@code dstY} from sample slot {@code dstIndex}. */
    public void read(final int count, final double[] dstX, final double[] dstY, final int dstIndex)
    {
        final int d = generator.dim();
        int done = 0;
        while (done < count)
        {
            final int n = next(count - done);
            System.arraycopy(x, first * d, dstX, (dstIndex + done) * d, n * d);
            System.arraycopy(y, first, dstY, dstIndex + done, n);
            done += n;
        }
    }
}
