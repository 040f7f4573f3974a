package org.sgdsim.experiment.dfa;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.run.MlpSession;

/**
 * E2 and E6 of dfa-optics.md §6 with their pass rules, 5 seeds each, through the shipped experiment files and the
 * reference loop (the stages give the same numbers, DfaRunsTest). Minutes on 2 cores: tagged slow.
 */
@Tag("slow")
class DfaReproductionTest
{
    @TempDir
    Path tmp;

    private double meanScore(final String file, final String... overrides) throws IOException
    {
        final List<String> sets = new ArrayList<>(List.of(overrides));
        double sum = 0.0;
        for (long seed = 0; seed < 5; seed++)
        {
            final List<String> withSeed = new ArrayList<>(sets);
            withSeed.add("experiment.seed=" + seed);
            final DfaSpec spec = (DfaSpec)ExperimentConfig.loadAny(Path.of("conf/experiments").resolve(file), withSeed,
                null);
            final MlpSession session = DfaKind.built(spec).session;
            while (!session.done())
            {
                session.runEpoch();
                session.endEpoch(0.0);
            }
            sum += session.testScore();
        }
        assertTrue(Files.isDirectory(tmp));
        return sum / 5;
    }

    @Test
    void e2OnDigits6432() throws IOException
    {
        final double bp = meanScore("dfa-digits-bp.conf");
        final double dfa = meanScore("dfa-digits-dfa.conf");
        final double shallow = meanScore("dfa-digits-shallow.conf");
        final double redrawn = meanScore("dfa-digits-redrawn.conf");
        final String all = "bp " + bp + ", dfa " + dfa + ", shallow " + shallow + ", redrawn " + redrawn;
        assertTrue(bp >= 0.965, all);
        assertTrue(dfa >= 0.955, all);
        assertTrue(shallow <= 0.90, all);
        assertTrue(dfa - shallow >= 0.06, all);
        assertTrue(dfa - redrawn >= 0.04, all);
    }

    @Test
    void e6TeacherStudent() throws IOException
    {
        final double bp = meanScore("dfa-teacher-student.conf", "dfa.rule=bp");
        final double dfa = meanScore("dfa-teacher-student.conf", "dfa.rule=dfa");
        final double shallow = meanScore("dfa-teacher-student.conf", "dfa.rule=shallow");
        final String all = "normalised test MSE: bp " + bp + ", dfa " + dfa + ", shallow " + shallow;
        assertTrue(bp < dfa && dfa < shallow, all);
        assertTrue(dfa < 0.08, all);
        assertTrue(shallow > 0.12, all);
    }

    @Test
    void opticalDfaOnDigitsStaysWithinAPointOfSoftwareDfa() throws IOException
    {
        final double software = meanScore("dfa-digits-dfa.conf", "dfa.feedback.error=ternary");
        final double optical = meanScore("dfa-digits-opu.conf");
        assertTrue(optical >= 0.955 && Math.abs(optical - software) <= 0.01,
            "ternary DFA: software " + software + ", optical " + optical);
    }
}
