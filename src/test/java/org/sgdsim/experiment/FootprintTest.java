package org.sgdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.sweep.SweepFile;
import org.sgdsim.experiment.sweep.SweepPlan;

/** The memory estimate: the shipped experiments pass on a small heap, its arithmetic, and the refusal's wording. */
class FootprintTest
{
    private static final long GIB = 1L << 30;

    @Test
    void everyShippedExperimentAndTheLargestSweepPointsFitInOneGibibyte() throws IOException
    {
        try (Stream<Path> files = Files.list(Path.of("conf/experiments")))
        {
            for (final Path file : files.filter(f -> f.toString().endsWith(".conf")).toList())
            {
                final double bytes = Footprint.of(ExperimentConfig.loadAny(file, List.of(), null)).bytes();
                assertTrue(bytes > 0 && bytes < GIB, file + ": " + bytes);
            }
        }
        // the sweeps with the largest d and n_b (expanding all of them takes longer than the fast suite allows)
        for (final String name : List.of("he3-phase-diagram.conf", "he3-dimension.conf"))
        {
            final Path file = Path.of("conf/sweeps", name);
            {
                final SweepPlan plan = SweepPlan.expand(SweepFile.load(file, List.of()), null, 1);
                for (final SweepPlan.Point point : plan.points())
                {
                    final double bytes = Footprint.online(point.spec()).bytes();
                    assertTrue(bytes < GIB, file + " " + point.id() + ": " + bytes);
                }
                plan.checkMemory(1);
            }
        }
    }

    @Test
    void countsThePooledBlocksAndStudentOfAnOnlineRun()
    {
        // d = 1000, p = 4, one generator, blocks of 64: 16 blocks of 64 × 1001 doubles and 64 labels...
        final ExperimentSpec spec = ExperimentFixture.spec("stop.max-steps = 10", "data.dim=1000", "student.width=4",
            "pipeline.generators=1", "data.block-size=64");
        final double blocks = Footprint.online(spec).parts().stream().filter(p -> p.what().contains("pooled"))
            .mapToDouble(Footprint.Part::bytes).sum();
        assertEquals(16.0 * 64 * 1001 * 8, blocks);
        final double student = Footprint.online(spec).parts().stream().filter(p -> p.what().startsWith("the student's"))
            .mapToDouble(Footprint.Part::bytes).sum();
        assertEquals((2 * 4 + 1) * 1000.0 * 8, student);
    }

    @Test
    void refusesRunsAtOnceThatExceedTheHeapAndNamesTheLargestParts()
    {
        final Footprint one = Footprint.online(ExperimentFixture.spec("stop.max-steps = 10", "data.dim=100000",
            "student.width=100", "pipeline.generators=1", "data.block-size=1"));
        final long needed = (long)one.bytes();
        one.check(3, 3 * needed + Footprint.RESERVE, "");
        final UserError error = assertThrows(UserError.class, () -> one.check(4, 3 * needed + Footprint.RESERVE, "x: "));
        assertTrue(error.getMessage().startsWith("x: memory: 4 runs at once need about "), error.getMessage());
        assertTrue(error.getMessage().contains("the student's weights, gradient and initialisation: student.width × data.dim = "
            + Footprint.gib(201 * 100000.0 * 8) + " per run"), error.getMessage());
        assertTrue(error.getMessage().endsWith("lower student.width or data.dim, run fewer at once (--parallel) or give Java more heap (SGDSIM_JAVA_OPTS=-Xmx…)"),
            error.getMessage());
        assertEquals(1, error.getMessage().lines().count());
    }
}
