package org.sgdsim.experiment.sweep;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class ShippedSweepFilesTest
{
    /** Every sweep file in conf/sweeps loads and expands into runs, as `./sgdsim sweep FILE` would plan it. */
    @Test
    void everyShippedSweepFilePlans() throws IOException
    {
        final List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("conf", "sweeps")))
        {
            files = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        for (final Path file : files)
        {
            final SweepPlan plan = SweepPlan.expand(SweepFile.load(file, List.of()), null, 1);
            assertTrue(plan.runs().size() > 1, file + " plans " + plan.runs().size() + " runs");
        }
    }
}
