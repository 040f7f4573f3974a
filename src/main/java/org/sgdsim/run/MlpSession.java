package org.sgdsim.run;

import java.util.Locale;

import org.sgdsim.metrics.MlpScores;
import org.sgdsim.model.EpochOrder;
import org.sgdsim.model.LabelledData;
import org.sgdsim.train.DeviceMeter;
import org.sgdsim.train.MlpTrainer;

/**
 * Epochs of mini-batch training of an MLP on a fixed dataset (protocol P0 of dfa-optics.md §6): each epoch visits
 * the training set in a permutation drawn from (seed, epoch) alone, in batches of n_b with the last partial batch
 * kept; after each epoch, one metrics row. Plain Java: the reference loop drives it with {@link #runEpoch}, the
 * pipeline's DFA learner agent drives the trainer's phases itself over the same batches.
 */
public final class MlpSession
{
    private final MlpTrainer trainer;
    private final LabelledData train;
    private final int batchSize;
    private final int epochs;
    private final int alignEvery;
    private final EpochOrder order;
    private final int[] rows;
    private final MlpScores trainScores;
    private final MlpScores testScores;
    private final DeviceMeter meter;
    private int epoch;

    /**
     * @param alignEvery measure the alignment every this many steps (0 = never).
     */
    public MlpSession(final MlpTrainer trainer, final LabelledData.Split data, final int batchSize, final int epochs,
        final long seed, final int alignEvery, final DeviceMeter meter)
    {
        this.trainer = trainer;
        this.train = data.train();
        this.batchSize = batchSize;
        this.epochs = epochs;
        this.alignEvery = alignEvery;
        this.order = new EpochOrder(train.size(), seed);
        this.rows = new int[train.size()];
        this.trainScores = new MlpScores(trainer.net(), data.train());
        this.testScores = new MlpScores(trainer.net(), data.test());
        this.meter = meter;
    }

    /** The trainer. */
    public MlpTrainer trainer()
    {
        return trainer;
    }

    /** Epochs done. */
    public int epoch()
    {
        return epoch;
    }

    /** Planned epochs. */
    public int epochs()
    {
        return epochs;
    }

    /** True when every planned epoch is done. */
    public boolean done()
    {
        return epoch >= epochs;
    }

    /** Continues after {@code epochsDone} epochs (resume): the next epoch's order is the one the original drew. */
    public void seekEpoch(final int epochsDone)
    {
        epoch = epochsDone;
        order.seek((long)epochsDone * train.size());
    }

    /** Draws this epoch's visiting order. */
    public void startEpoch()
    {
        for (int i = 0; i < rows.length; i++)
        {
            rows[i] = order.next();
        }
        trainer.resetDiagnostics();
    }

    /** Batches per epoch: ⌈N / n_b⌉. */
    public int batches()
    {
        return (train.size() + batchSize - 1) / batchSize;
    }

    /** First position (into {@link #rows()}) of batch i. */
    public int batchStart(final int i)
    {
        return i * batchSize;
    }

    /** Samples in batch i. */
    public int batchLength(final int i)
    {
        return Math.min(batchSize, train.size() - i * batchSize);
    }

    /** This epoch's visiting order. */
    public int[] rows()
    {
        return rows;
    }

    /** The training inputs. */
    public double[] x()
    {
        return train.x();
    }

    /** The training targets. */
    public double[] y()
    {
        return train.y();
    }

    /** Whether the step about to be taken measures the alignment. */
    public boolean measureNext()
    {
        return alignEvery > 0 && trainer.steps() % alignEvery == 0;
    }

    /** One whole epoch with in-line projections (the reference loop). */
    public void runEpoch()
    {
        startEpoch();
        for (int i = 0; i < batches(); i++)
        {
            trainer.step(x(), y(), rows, batchStart(i), batchLength(i), measureNext());
        }
    }

    /** Closes the epoch: evaluates on both sets and returns its metrics row ({@code wallSeconds} last). */
    public String endEpoch(final double wallSeconds)
    {
        epoch++;
        trainScores.evaluate();
        testScores.evaluate();
        final StringBuilder row = new StringBuilder();
        row.append(epoch).append(',').append(trainer.steps()).append(',').append((long)epoch * train.size());
        final boolean classes = train.classification();
        row.append(',').append(num(trainScores.loss())).append(',')
            .append(num(classes ? trainScores.accuracy() : trainScores.nmse()));
        row.append(',').append(num(testScores.loss())).append(',')
            .append(num(classes ? testScores.accuracy() : testScores.nmse()));
        for (final double a : trainer.alignment())
        {
            row.append(',').append(Double.isNaN(a) ? "" : num(a));
        }
        final double fidelity = trainer.fidelity();
        row.append(',').append(trainer.rule().projects() ? num(Double.isNaN(fidelity) ? 1.0 : fidelity) : "");
        row.append(',').append(meter.frames()).append(',').append(num(meter.deviceSeconds())).append(',')
            .append(num(meter.joules()));
        row.append(',').append(String.format(Locale.ROOT, "%.3f", wallSeconds));
        return row.toString();
    }

    /** The metrics.csv header matching {@link #endEpoch}. */
    public String header()
    {
        final String score = train.classification() ? "acc" : "nmse";
        final StringBuilder h = new StringBuilder("epoch,step,samples,train_loss,train_" + score + ",test_loss,test_"
            + score);
        for (int l = 1; l < trainer.net().layers(); l++)
        {
            h.append(",align_").append(l);
        }
        h.append(",fidelity,frames,optical_s,energy_j,wall_s");
        return h.toString();
    }

    /** Test accuracy (classification) or normalised MSE (regression) at the last {@link #endEpoch}. */
    public double testScore()
    {
        return train.classification() ? testScores.accuracy() : testScores.nmse();
    }

    /** Training score at the last {@link #endEpoch}. */
    public double trainScore()
    {
        return train.classification() ? trainScores.accuracy() : trainScores.nmse();
    }

    /** Test loss at the last {@link #endEpoch}. */
    public double testLoss()
    {
        return testScores.loss();
    }

    /** The device counters. */
    public DeviceMeter meter()
    {
        return meter;
    }

    private static String num(final double v)
    {
        return Double.toString(v);
    }
}
