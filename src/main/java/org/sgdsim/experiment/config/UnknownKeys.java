package org.sgdsim.experiment.config;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import org.sgdsim.experiment.UserError;

/** The user's keys against the defaults' key set: an unknown key fails with the nearest known one as a hint. */
final class UnknownKeys
{
    private static final Set<String> INIT_KEYS = Set.of("M0", "Q0");
    private static final Set<String> WHEN_KEYS = Set.of("metric", "above", "below");

    private UnknownKeys()
    {
    }

    /** The defaults' keys, in order for the hint's ties; collected once, since a Config's entrySet walks its tree. */
    private static final class Known
    {
        static final Set<String> KEYS = keys(ExperimentConfig.defaults());
    }

    private static Set<String> keys(final Config config)
    {
        final Set<String> keys = new TreeSet<>();
        for (final Map.Entry<String, ConfigValue> e : config.entrySet())
        {
            keys.add(e.getKey());
        }
        return java.util.Collections.unmodifiableSet(keys);
    }

    static void reject(final Config user)
    {
        final Set<String> known = Known.KEYS;
        for (final Map.Entry<String, ConfigValue> e : user.entrySet())
        {
            final String key = e.getKey();
            // pekko.* goes to the actor system; cluster.* is checked by org.sgdsim.cluster.ClusterSettings.
            if (known.contains(key) || key.startsWith("pekko.") || key.startsWith("cluster.")
                || allowedChild(key, "student.init.", INIT_KEYS) || allowedChild(key, "stop.when.", WHEN_KEYS)
                || allowedChild(key, "training.switch-when.", WHEN_KEYS))
            {
                continue;
            }
            throw new UserError(ExperimentConfig.where(e.getValue()) + "unknown key '" + key + "'" + suggestion(key, known));
        }
    }

    private static boolean allowedChild(final String key, final String prefix, final Set<String> children)
    {
        return key.startsWith(prefix) && children.contains(key.substring(prefix.length()));
    }

    private static String suggestion(final String key, final Set<String> known)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : known)
        {
            final int distance = editDistance(key, candidate);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 4) ? " (did you mean " + best + "?)" : "";
    }

    private static int editDistance(final String a, final String b)
    {
        final int[] previous = new int[b.length() + 1];
        final int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            System.arraycopy(current, 0, previous, 0, current.length);
        }
        return previous[b.length()];
    }
}
