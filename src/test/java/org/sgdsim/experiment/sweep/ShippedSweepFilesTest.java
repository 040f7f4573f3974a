package org.sgdsim.experiment.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        final String readme = Files.readString(Path.of("conf", "sweeps", "README.md"));
        for (final Path file : files)
        {
            final SweepPlan plan = SweepPlan.expand(SweepFile.load(file, List.of()), null, 1);
            // The README's table states each file's run count: the plan must agree with what users are told.
            final java.util.regex.Matcher row = java.util.regex.Pattern.compile("\\| `" + file.getFileName()
                + "` \\|[^\\n]*\\| (\\d+), [^|\\n]*\\|").matcher(readme);
            assertTrue(row.find(), file + " has no row in conf/sweeps/README.md");
            assertEquals(Integer.parseInt(row.group(1)), plan.runs().size(), file.toString());
            // Points × seeds, every run in its own folder, and every point's runs differ only in the seed.
            final int seeds = plan.runs().size() / plan.points().size();
            assertEquals(plan.points().size() * seeds, plan.runs().size(), file.toString());
            assertEquals(plan.runs().size(), plan.runs().stream().map(SweepPlan.Run::folder).distinct().count());
            for (final SweepPlan.Point point : plan.points())
            {
                assertEquals(seeds, plan.runs().stream().filter(r -> r.point() == point)
                    .map(SweepPlan.Run::seed).distinct().count(), point.id());
            }
        }
    }
}
