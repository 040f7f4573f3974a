package org.sgdsim.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.ArrayList;
import java.util.List;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sgdsim.math.GaussianStream;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Digits;
import org.sgdsim.model.LabelledData;
import org.sgdsim.model.Mlp;
import org.sgdsim.model.MlpOutput;
import org.sgdsim.model.Streams;
import org.sgdsim.optics.OpticalProcessingUnit;
import org.sgdsim.optics.OpuParameters;
import org.sgdsim.optics.Projector;
import org.sgdsim.run.DfaPlan;
import org.sgdsim.run.MlpSession;
import org.sgdsim.train.DeviceMeter;
import org.sgdsim.train.FeedbackOptions;
import org.sgdsim.train.FeedbackRule;
import org.sgdsim.train.MlpTrainer;
import org.sgdsim.train.SoftwareProjector;

/** Several learners share one optical unit: served in strict turns, so the results never depend on timing. */
class OpticalUnitSharingTest
{
    private static final LabelledData.Split DATA = Digits.p0();
    private static final FeedbackOptions TERNARY = new FeedbackOptions(FeedbackOptions.Distribution.GAUSS,
        FeedbackOptions.FeedbackScale.FAN_OUT, FeedbackOptions.Slicing.PREFIX, FeedbackOptions.Transform.TERNARY, 0.1,
        FeedbackOptions.Rescale.NONE, 1.0);

    private static MlpSession session(final long seed, final Projector projector)
    {
        final Mlp net = new Mlp(new int[] {64, 16, 16, 10}, Activation.parse("tanh"), MlpOutput.SOFTMAX);
        net.initUniform(new GaussianStream(seed, Streams.MLP_INIT));
        final MlpTrainer trainer = new MlpTrainer(net, FeedbackRule.DFA, TERNARY, 0.02, 0.9, 64, projector, null, null);
        return new MlpSession(trainer, DATA, 64, 2, seed, 4, DeviceMeter.NONE);
    }

    /** Runs the sessions through the stages, all sending to one unit; returns each learner's rows without wall_s. */
    private static List<List<String>> run(final List<MlpSession> sessions, final Projector unit)
    {
        final List<List<String>> rows = new ArrayList<>();
        final List<DfaPlan> plans = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++)
        {
            final List<String> mine = new ArrayList<>();
            rows.add(mine);
            plans.add(new DfaPlan("learner-" + i, sessions.get(i),
                line -> mine.add(line.toString().substring(0, line.toString().lastIndexOf(','))), null, null, 0, 0, 0,
                null));
        }
        try (DfaRun run = DfaRun.start(plans, List.of(unit), new int[sessions.size()], ConfigFactory.empty()))
        {
            final List<DfaSupervisor.Outcome> outcomes = run.await();
            for (final DfaSupervisor.Outcome o : outcomes)
            {
                assertEquals(2, o.epochs());
            }
        }
        return rows;
    }

    @Test
    @Timeout(60)
    void aSharedSoftwareUnitGivesEachLearnerItsOwnResult()
    {
        final SoftwareProjector shared = new SoftwareProjector(16, 10, FeedbackOptions.Distribution.GAUSS, 1,
            Streams.FEEDBACK, false);
        final List<List<String>> together = run(List.of(session(1, shared), session(2, shared), session(3, shared)),
            shared);
        for (int i = 0; i < 3; i++)
        {
            final SoftwareProjector own = new SoftwareProjector(16, 10, FeedbackOptions.Distribution.GAUSS, 1,
                Streams.FEEDBACK, false);
            assertEquals(together.get(i), run(List.of(session(i + 1, own)), own).get(0), "learner " + i);
        }
    }

    @Test
    @Timeout(60)
    void aSharedOpticalUnitIsDeterministic()
    {
        final OpuParameters parameters = org.sgdsim.experiment.OpticsSpec.from(
            org.sgdsim.experiment.config.ExperimentConfig.defaults()).unit();
        final List<List<String>> first = twoOnOneUnit(parameters);
        final List<List<String>> second = twoOnOneUnit(parameters);
        assertEquals(first, second);
        assertEquals(2, first.get(0).size());
        assertTrue(!first.get(0).equals(first.get(1)), "the two learners trained different networks");
    }

    private static List<List<String>> twoOnOneUnit(final OpuParameters parameters)
    {
        final OpticalProcessingUnit opu = new OpticalProcessingUnit(parameters, 10, 16, 7);
        return run(List.of(session(1, opu), session(2, opu)), opu);
    }
}
