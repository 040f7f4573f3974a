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
 * runs directory (read on first use, followed while they have no summary.json). A run's id is its folder's path
 * below the runs directory ({@code seeds/seed-3}, {@code runs/dim-128-seed1}), or its folder name for a run outside
 * it; the same folder keeps the same id whatever else appears.
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
        final RunInfo info;
        private final LiveRows live;
        private final FolderTail tail;
        private final EventCache events;
        private volatile boolean followed;
        private final Map<String, Newest> newest = new java.util.HashMap<>();

        Entry(final String id, final Path dir, final RunInfo info, final LiveRows live, final FolderTail tail)
        {
            this.id = id;
            this.dir = dir;
            this.info = info;
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

        /**
         * The header and newest complete row of the folder's {@code file} (metrics.csv, pipeline.csv) without
         * following the folder: what a scrape needs of a run nobody opened. Null when there is no row; reread only
         * when the file changed size.
         */
        String[] newest(final String file)
        {
            if (dir == null)
            {
                return null;
            }
            final Path path = dir.resolve(file);
            try
            {
                final long size = Files.isRegularFile(path) ? Files.size(path) : -1;
                synchronized (this)
                {
                    final Newest cached = newest.get(file);
                    if (cached != null && cached.size == size)
                    {
                        return cached.cells;
                    }
                    final String[] cells = size < 0 ? null : FolderTail.headerAndLast(path);
                    newest.put(file, new Newest(size, cells));
                    return cells;
                }
            }
            catch (final IOException ex)
            {
                return null;
            }
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

    /** A file's header and newest row, by its size when read. */
    private record Newest(long size, String[] cells)
    {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<Path, String> byDir = new LinkedHashMap<>();
    private final int capacity;
    /** The runs directory being browsed (ids are paths below it), or null. */
    private Path root;

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
        final String id = existing != null ? existing : uniqueId(key);
        entries.put(id, new Entry(id, key, RunInfo.read(key, root), live, null));
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
            if (this.root == null)
            {
                this.root = root.toAbsolutePath().normalize();
            }
            for (final Path dir : found)
            {
                final Path key = dir.toAbsolutePath().normalize();
                if (!byDir.containsKey(key))
                {
                    final String id = uniqueId(key);
                    entries.put(id, new Entry(id, key, RunInfo.read(key, this.root), null, new FolderTail(key, capacity)));
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
                e.setValue(new Entry(run.id, run.dir, run.info, null, new FolderTail(run.dir, capacity)));
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

    /** The runs directory being browsed, or null. */
    synchronized Path root()
    {
        return root;
    }

    /** The folder's path below the runs directory ('/'-separated), else its name; suffixed only on a clash. */
    private String uniqueId(final Path dir)
    {
        final String name = root != null && dir.startsWith(root) && !dir.equals(root)
            ? root.relativize(dir).toString().replace(java.io.File.separatorChar, '/')
            : String.valueOf(dir.getFileName());
        final String base = name.replaceAll("[^A-Za-z0-9._/-]", "_");
        String id = base;
        for (int n = 2; entries.containsKey(id); n++)
        {
            id = base + "-" + n;
        }
        return id;
    }
}
