package org.sgdsim.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The tabled Gauss–Hermite rules are Hipparchus's rules, bit for bit, so reading the table changes no result. */
class GaussHermiteTableTest
{
    /** The table as Hipparchus computes it today; on a mismatch it is written to target/ to be reviewed and copied. */
    @Test
    void theTableIsWhatHipparchusComputes() throws IOException
    {
        final StringBuilder expected = new StringBuilder();
        for (int n = 1; n <= GaussHermite.TABLED; n++)
        {
            final GaussHermite.Rule rule = GaussHermite.computed(n);
            expected.append(n);
            for (final double x : rule.nodes())
            {
                expected.append(' ').append(Double.toHexString(x));
            }
            for (final double w : rule.weights())
            {
                expected.append(' ').append(Double.toHexString(w));
            }
            expected.append('\n');
        }
        final String actual;
        try (InputStream in = GaussHermite.class.getResourceAsStream(GaussHermite.TABLE))
        {
            actual = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        if (!expected.toString().equals(actual))
        {
            final Path fresh = Path.of("target", GaussHermite.TABLE);
            Files.createDirectories(fresh.getParent());
            Files.writeString(fresh, expected, StandardCharsets.US_ASCII);
        }
        assertEquals(expected.toString(), actual, "src/main/resources/org/sgdsim/math/" + GaussHermite.TABLE
            + " differs from Hipparchus's rules; the computed table is in target/" + GaussHermite.TABLE);
    }

    @Test
    void everyRuleIsBitForBitTheComputedOne()
    {
        for (final int n : new int[] {1, 2, 3, 7, 20, 40, GaussHermite.TABLED, GaussHermite.TABLED + 1})
        {
            final GaussHermite.Rule computed = GaussHermite.computed(n);
            final GaussHermite.Rule rule = GaussHermite.rule(n);
            assertArrayEquals(computed.nodes(), rule.nodes(), "nodes of " + n);
            assertArrayEquals(computed.weights(), rule.weights(), "weights of " + n);
            assertSame(rule, GaussHermite.rule(n), "cached");
        }
    }
}
