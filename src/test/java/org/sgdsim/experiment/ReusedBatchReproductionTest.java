package org.sgdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.sgdsim.experiment.config.ExperimentConfig;

/**
 * online-sgd.md §4 C: multi-pass GD on one reused batch (D = 1000, α = 3), M_11 averaged over 10 seeds must
 * follow the DMFT row within 0.01, and the risk the published simulation within 0.005 — using the shipped
 * experiment file unchanged.
 */
class ReusedBatchReproductionTest
{
    private static final double[] DMFT_M11 = {0.0758, 0.1238, 0.1554, 0.1786, 0.1982, 0.2162};
    private static final double[] SIM_TEST_ERROR = {0.4917, 0.4202, 0.3859, 0.3683, 0.3587, 0.3534, 0.3504};

    @Test
    void reusedBatchFollowsDmft()
    {
        final int seeds = 10;
        final double[] m11 = new double[7];
        final double[] risk = new double[7];
        for (int seed = 1; seed <= seeds; seed++)
        {
            final ExperimentSpec spec = ExperimentConfig.load(Path.of("conf/experiments/reused-batch-gd.conf"),
                List.of("experiment.seed=" + seed, "metrics.progress=false"), null);
            final List<String> rows = ExperimentFixture.rows(spec);
            final List<String> header = List.of(rows.get(0).split(","));
            final int m = header.indexOf("m_1_1");
            final int r = header.indexOf("risk");
            for (int t = 0; t <= 6; t++)
            {
                final String[] cells = rows.get(t + 1).split(",");
                assertEquals(t, Integer.parseInt(cells[0]));
                m11[t] += Double.parseDouble(cells[m]) / seeds;
                risk[t] += Double.parseDouble(cells[r]) / seeds;
            }
        }
        assertEquals(0.0, m11[0], 1e-15, "M0 = 0");
        for (int t = 1; t <= 6; t++)
        {
            assertEquals(DMFT_M11[t - 1], m11[t], 0.01, "M_11 at t = " + t);
        }
        for (int t = 0; t <= 6; t++)
        {
            assertEquals(SIM_TEST_ERROR[t], risk[t], 0.005, "risk at t = " + t);
        }
    }
}
