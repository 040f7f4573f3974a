package org.sgdsim.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.sgdsim.metrics.LiveRows;

/**
 * The runs a server shows: runs of this process (registered with their live feed) and run folders found under a
 * runs directory (read on first use, followed while they have no summary.json). A run's id is its folder name,
 * made unique with a numeric suffix.
 */
final class RunCatalog
{
    /** How deep below the runs directory run folders are looked for (sweep/runs/point-seed/ is three). */
    private static final int MAX_DEPTH = 4;

    /** One run: id, folder (null when it has none) and feed; {@code tail} is null for runs of this process. */
    static final class Entry
    {
        final String id;
        final Path dir;
        private final LiveRows live;
        private final FolderTail tail;
        private final EventCache events;
        private volatile boolean followed;

        Entry(final String id, final Path dir, final LiveRows live, final FolderTail tail)
        {
            this.id = id;
            this.dir = dir;
            this.live = live;
            this.tail = tail;
            this.events = new EventCache(tail != null ? tail.rows().capacity() : live.capacity());
        }

        /** The run's rows encoded as SSE events, shared by its clients. */
        EventCache events()
        {
            return events;
        }

        /** The feed; a folder run is read on first use. */
        LiveRows rows()
        {
            if (tail != null && !followed)
            {
                followed = true;
                tail.poll();
            }
            return tail != null ? tail.rows() : live;
        }

        /** Whether the feed is being filled (in-process, or a folder read at least once). */
        boolean active()
        {
            return tail == null || followed;
        }

        /** Reads what a followed folder gained; false once there is nothing more to follow. */
        boolean poll()
        {
            return tail == null || !followed || !tail.poll();
        }

        /** "live" for a run of this process, else "running" or "finished" by its folder. */
        String state()
        {
            if (tail == null)
            {
                return live.finished() ? "finished" : "live";
            }
            return dir != null && Files.isRegularFile(dir.resolve("summary.json")) ? "finished" : "running";
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<Path, String> byDir = new LinkedHashMap<>();
    private final int capacity;

    RunCatalog(final int capacity)
    {
        this.capacity = capacity;
    }

    /** Adds a run of this process; returns its id. */
    synchronized String register(final Path dir, final LiveRows live)
    {
        final Path key = dir.toAbsolutePath().normalize();
        final String existing = byDir.get(key);
        if (existing != null && entries.get(existing).tail == null)
        {
            return existing;
        }
        final String id = existing != null ? existing : uniqueId(dir.getFileName().toString());
        entries.put(id, new Entry(id, key, live, null));
        byDir.put(key, id);
        return id;
    }

    /** Adds the run folders (those holding config.conf) under {@code root} that are not known yet. */
    void scan(final Path root)
    {
        final List<Path> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root, MAX_DEPTH))
        {
            walk.filter(p -> Files.isRegularFile(p.resolve("config.conf"))).sorted().forEach(found::add);
        }
        catch (final IOException | java.io.UncheckedIOException ex)
        {
            // a folder vanished during the walk: the next scan sees the new state
            return;
        }
        synchronized (this)
        {
            for (final Path dir : found)
            {
                final Path key = dir.toAbsolutePath().normalize();
                if (!byDir.containsKey(key))
                {
                    final String id = uniqueId(dir.getFileName().toString());
                    entries.put(id, new Entry(id, key, null, new FolderTail(key, capacity)));
                    byDir.put(key, id);
                }
            }
        }
    }

    /**
     * Hands finished runs of this process over to their folders: once summary.json is written, the run's feed is
     * let go and the folder is read again on demand, so a long sweep does not keep every run's ring in memory.
     */
    synchronized void retireFinished()
    {
        for (final Map.Entry<String, Entry> e : entries.entrySet())
        {
            final Entry run = e.getValue();
            if (run.tail == null && run.live.finished() && run.dir != null
                && Files.isRegularFile(run.dir.resolve("summary.json")))
            {
                e.setValue(new Entry(run.id, run.dir, null, new FolderTail(run.dir, capacity)));
            }
        }
    }

    /** The run with this id, or null. */
    synchronized Entry get(final String id)
    {
        return entries.get(id);
    }

    /** Every run in the order they became known. */
    synchronized List<Entry> all()
    {
        return new ArrayList<>(entries.values());
    }

    private String uniqueId(final String name)
    {
        final String base = name.replaceAll("[^A-Za-z0-9._-]", "_");
        String id = base;
        for (int n = 2; entries.containsKey(id); n++)
        {
            id = base + "-" + n;
        }
        return id;
    }
}
