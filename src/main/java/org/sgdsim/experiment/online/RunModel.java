package org.sgdsim.experiment.online;

import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.metrics.RiskEstimator;
import org.sgdsim.metrics.RiskEstimators;
import org.sgdsim.model.FieldGenerator;
import org.sgdsim.model.Sampler;
import org.sgdsim.model.Teacher;
import org.sgdsim.model.TwoLayerNetwork;
import org.sgdsim.run.RunPlan;
import org.sgdsim.run.TrainingState;
import org.sgdsim.train.UpdateRule;

/** Everything a run trains, built from a spec and its seed: teacher, student, update rule and risk. */
public record RunModel(
    ExperimentSpec spec,
    Teacher teacher,
    TwoLayerNetwork student,
    UpdateRule updateRule,
    RiskEstimator risk)
{
    /** Builds the run's objects; the same spec always builds bit-identical ones. */
    public static RunModel build(final ExperimentSpec spec)
    {
        final int dim = spec.data().dim();
        final int width = spec.student().width();
        final Teacher teacher = Teacher.create(dim, spec.target(), spec.data().noise(), spec.seed());
        final double[] secondLayer = spec.student().secondLayer().weights(width, spec.seed());
        final double[] weights = spec.student().init().weights(teacher, width, spec.seed());
        final TwoLayerNetwork student = new TwoLayerNetwork(dim, weights, secondLayer, spec.student().activation());
        final ExperimentSpec.Training t = spec.training();
        final UpdateRule updateRule = spec.data().sampler() == Sampler.LOWRANK
            ? UpdateRule.lowRank(student, teacher.directions(), teacher.k(), t.loss(), t.normalization(),
                t.learningRate(), spec.seed(), FieldGenerator.pieceSize(spec.data().blockSize(), t.batchSize()),
                spec.data().gaussian())
            : new UpdateRule(student, t.loss(), t.normalization(), t.learningRate(), t.rho(width, dim), t.repeats(),
                t.batchSize());
        if (t.trainsSecondLayer())
        {
            updateRule.trainSecondLayer(t.secondLayerRate());
        }
        final RiskEstimator risk = RiskEstimators.choose(spec.target(), spec.student().activation(), secondLayer,
            spec.metrics().riskSamples(), spec.seed());
        return new RunModel(spec, teacher, student, updateRule, risk);
    }

    /** The pipeline's view of this run: its objects (handed over) and the resolved numbers. */
    public RunPlan plan()
    {
        return plan(null);
    }

    /**
     * As {@link #plan()}, continuing from {@code resume} when not null: its weights (and its a, when a is trained) are
     * copied into the student; the learner restores the rest (counters, rows, the adaptive loss's switch).
     */
    public RunPlan plan(final TrainingState resume)
    {
        if (resume != null)
        {
            if (resume.weights().length != student.weights().length)
            {
                throw new IllegalArgumentException("checkpoint has " + resume.weights().length
                    + " weights, the run's student " + student.weights().length);
            }
            System.arraycopy(resume.weights(), 0, student.weights(), 0, resume.weights().length);
            if (updateRule.trainsSecondLayer())
            {
                final double[] a = student.secondLayer();
                if (resume.secondLayer() == null || resume.secondLayer().length != a.length)
                {
                    throw new IllegalArgumentException("checkpoint holds no second layer of " + a.length + " units");
                }
                // Into the student's own array: the rule, the monitor and the tracker all read a from it.
                System.arraycopy(resume.secondLayer(), 0, a, 0, a.length);
            }
            updateRule.resumeAt(resume.steps());
        }
        final ExperimentSpec.Training t = spec.training();
        final ExperimentSpec.Checkpoints c = spec.checkpoints();
        return new RunPlan(new RunPlan.Model(teacher, student, updateRule, t.lossSwitch()),
            new RunPlan.Samples(spec.data().sampler(), spec.data().gaussian(), spec.seed(), spec.data().blockSize(),
                t.batchSize(), t.repeats(), t.datasetSize()),
            new RunPlan.Monitoring(risk, newRiskEstimator(), spec.metrics().every(), spec.stop().when(),
                spec.stop().checkEvery(), spec.metrics().progress()),
            new RunPlan.Budget(spec.stop().maxSteps(), spec.stop().maxSamples()),
            new RunPlan.Checkpoints(c.everySteps(), c.everySeconds() * 1_000_000_000L), resume);
    }

    /** Another instance of the run's risk estimator (same draws), for a second thread: estimators are single-threaded. */
    private RiskEstimator newRiskEstimator()
    {
        return RiskEstimators.choose(spec.target(), spec.student().activation(), student.secondLayer(),
            spec.metrics().riskSamples(), spec.seed());
    }
}
