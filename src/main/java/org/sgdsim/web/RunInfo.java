package org.sgdsim.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * What the picker shows of a run folder: its kind (online or dfa), experiment name, seed, sweep point, and the
 * group it belongs to (its sweep or seed-set folder), read from config.conf and the folder's place.
 *
 * @param kind       experiment.kind: online or dfa.
 * @param experiment experiment.name.
 * @param seed       experiment.seed, or -1 when config.conf does not say.
 * @param point      the sweep point (runs/POINT-seedK of a sweep folder), or null.
 * @param group      the folder holding this run (a sweep or a seed set), relative to the runs directory; "" for
 *                   the runs directory itself or a run outside it.
 */
record RunInfo(String kind, String experiment, long seed, String point, String group)
{
    private static final Pattern SWEEP_RUN = Pattern.compile("(.+)-seed(\\d+)");

    /** "experiment · point · seed k", the picker's label. */
    String label()
    {
        return experiment + (point != null ? " · " + point : "") + (seed >= 0 ? " · seed " + seed : "");
    }

    /** Reads the folder's config.conf (any failure leaves the defaults: a run still shows under its id). */
    static RunInfo read(final Path dir, final Path root)
    {
        String kind = "online";
        String experiment = String.valueOf(dir.getFileName());
        long seed = -1;
        try
        {
            final Config c = ConfigFactory.parseFile(dir.resolve("config.conf").toFile());
            kind = c.hasPath("experiment.kind") ? c.getString("experiment.kind") : kind;
            experiment = c.hasPath("experiment.name") ? c.getString("experiment.name") : experiment;
            seed = c.hasPath("experiment.seed") ? c.getLong("experiment.seed") : seed;
        }
        catch (final RuntimeException ex)
        {
            // unreadable or half-written: the defaults do
        }
        String point = null;
        Path holder = dir.getParent();
        final Matcher m = SWEEP_RUN.matcher(String.valueOf(dir.getFileName()));
        if (holder != null && holder.getFileName() != null && holder.getFileName().toString().equals("runs")
            && holder.getParent() != null && Files.isRegularFile(holder.getParent().resolve(SweepView.PLAN))
            && m.matches())
        {
            point = m.group(1);
            holder = holder.getParent();
        }
        String group = "";
        if (root != null && holder != null && holder.startsWith(root))
        {
            group = root.relativize(holder).toString().replace(java.io.File.separatorChar, '/');
        }
        return new RunInfo(kind, experiment, seed, point, group);
    }
}
