package org.sgdsim.train;

/** Cumulative counters of the device doing the feedback projections: frames, virtual device time, energy. */
public interface DeviceMeter
{
    /** No device: a software projection in the learner's own time. */
    DeviceMeter NONE = new DeviceMeter()
    {
        @Override
        public long frames()
        {
            return 0;
        }

        @Override
        public double deviceSeconds()
        {
            return 0.0;
        }

        @Override
        public double joules()
        {
            return 0.0;
        }
    };

    /** Frames exposed so far. */
    long frames();

    /** Virtual device time so far, seconds. */
    double deviceSeconds();

    /** Device energy so far, joules. */
    double joules();
}
