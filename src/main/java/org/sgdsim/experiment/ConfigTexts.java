package org.sgdsim.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;

/**
 * The texts of a run's config.conf and config.json. The runs of a sweep point or a seed set differ in
 * {@code experiment.seed} alone, and rendering a resolved config costs more than the rest of a short run's folder: the
 * first two runs of such a family are rendered, the place of the seed is found between their texts and checked, and
 * later runs get those texts with their own seed spliced in. A kind's config text must depend on the seed only
 * through its value in the config (ConfigTextsTest checks every kind).
 */
final class ConfigTexts
{
    private static final String SEED = "experiment.seed";
    /** Families remembered at once; a sweep runs one point's seeds after another, so few are ever in use. */
    private static final int FAMILIES = 64;
    private static final Map<Config, Family> BY_SETTINGS = new LinkedHashMap<>(16, 0.75f, true)
    {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<Config, Family> eldest)
        {
            return size() > FAMILIES;
        }
    };

    /** config.conf's text (HOCON) and config.json's, and whether they were spliced rather than rendered. */
    record Texts(String hocon, String json, boolean spliced)
    {
    }

    private ConfigTexts()
    {
    }

    /** config.json's text of a recorded config. */
    static String json(final Config recorded)
    {
        return recorded.root().render(ConfigRenderOptions.concise().setFormatted(true)) + "\n";
    }

    /** The texts of {@code model}'s config, spliced from its family's when two of its runs were rendered before. */
    static Texts of(final RunKind.Model<?> model)
    {
        final Config recorded = model.recordedConfig();
        if (!recorded.hasPath(SEED))
        {
            return new Texts(model.renderConfig(), json(recorded), false);
        }
        final long seed = recorded.getLong(SEED);
        final Config settings = recorded.withoutPath(SEED);
        final Family family;
        synchronized (BY_SETTINGS)
        {
            family = BY_SETTINGS.computeIfAbsent(settings, k -> new Family());
        }
        return family.texts(seed, model, recorded);
    }

    /** Runs whose recorded configs differ in the seed alone. */
    private static final class Family
    {
        private long firstSeed;
        private Texts first;
        private Splice hocon;
        private Splice json;

        synchronized Texts texts(final long seed, final RunKind.Model<?> model, final Config recorded)
        {
            if (hocon != null)
            {
                return new Texts(hocon.with(seed), json.with(seed), true);
            }
            final Texts rendered = new Texts(model.renderConfig(), json(recorded), false);
            if (first == null)
            {
                first = rendered;
                firstSeed = seed;
            }
            else if (seed != firstSeed)
            {
                final Splice h = Splice.between(first.hocon(), firstSeed, rendered.hocon(), seed);
                final Splice j = Splice.between(first.json(), firstSeed, rendered.json(), seed);
                if (h != null && j != null)
                {
                    hocon = h;
                    json = j;
                }
            }
            return rendered;
        }
    }

    /** A text with the seed's digits cut out: prefix, seed, suffix. */
    record Splice(String prefix, String suffix)
    {
        String with(final long seed)
        {
            return prefix + seed + suffix;
        }

        /**
         * Where two texts of one family differ: the one run of characters where the first has {@code a}'s digits and
         * the second {@code b}'s. Null when they differ anywhere else (the text depends on the seed otherwise).
         */
        static Splice between(final String textA, final long a, final String textB, final long b)
        {
            int start = 0;
            final int limit = Math.min(textA.length(), textB.length());
            while (start < limit && textA.charAt(start) == textB.charAt(start))
            {
                start++;
            }
            // The seeds may share leading digits (or a sign): the splice starts where the number does.
            while (start > 0 && isNumberChar(textA.charAt(start - 1)))
            {
                start--;
            }
            final String digitsA = Long.toString(a);
            final String digitsB = Long.toString(b);
            if (!textA.startsWith(digitsA, start) || !textB.startsWith(digitsB, start))
            {
                return null;
            }
            final Splice splice = new Splice(textA.substring(0, start), textA.substring(start + digitsA.length()));
            return splice.with(b).equals(textB) && !splice.suffix().isEmpty()
                && !isNumberChar(splice.suffix().charAt(0)) ? splice : null;
        }

        private static boolean isNumberChar(final char c)
        {
            return c == '-' || (c >= '0' && c <= '9');
        }
    }
}
