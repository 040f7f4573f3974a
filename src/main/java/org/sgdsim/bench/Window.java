package org.sgdsim.bench;

/**
 * The measured window, from the pipeline's once-a-second rows (wall_s, steps, samples, …): the first row after
 * {@link #open} starts it and the last row before {@link #close} ends it, so both ends are the learner's
 * own counters at known times.
 */
final class Window
{
    private volatile boolean open;
    private volatile boolean closed;
    private double startWall = Double.NaN;
    private long startSteps;
    private long startSamples;
    private double endWall = Double.NaN;
    private long endSteps;
    private long endSamples;

    private double newestWall = Double.NaN;
    private long newestSamples;
    private long rowsSeen;

    synchronized void onPipelineRow(final CharSequence row)
    {
        final String[] cells = row.toString().split(",");
        if (!Character.isDigit(cells[0].charAt(0)))
        {
            return;
        }
        final double wall = Double.parseDouble(cells[0]);
        final long steps = Long.parseLong(cells[1]);
        final long samples = Long.parseLong(cells[2]);
        newestWall = wall;
        newestSamples = samples;
        rowsSeen++;
        notifyAll();
        if (!open || closed)
        {
            return;
        }
        if (Double.isNaN(startWall))
        {
            startWall = wall;
            startSteps = steps;
            startSamples = samples;
        }
        else
        {
            endWall = wall;
            endSteps = steps;
            endSamples = samples;
        }
    }

    /** Waits for the next pipeline row and returns its {wall_s, samples}. */
    synchronized double[] nextRow() throws InterruptedException
    {
        final long seen = rowsSeen;
        final long deadline = System.currentTimeMillis() + 10_000;
        while (rowsSeen == seen)
        {
            final long left = deadline - System.currentTimeMillis();
            if (left <= 0)
            {
                throw new IllegalStateException("no pipeline row for 10 s");
            }
            wait(left);
        }
        return new double[] {newestWall, newestSamples};
    }

    void open()
    {
        open = true;
    }

    void close()
    {
        closed = true;
    }

    synchronized double seconds()
    {
        if (Double.isNaN(endWall))
        {
            throw new IllegalStateException("the measured window saw fewer than two pipeline rows: raise --seconds");
        }
        return endWall - startWall;
    }

    synchronized long samples()
    {
        return endSamples - startSamples;
    }

    synchronized long steps()
    {
        return endSteps - startSteps;
    }
}
