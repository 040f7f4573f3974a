package org.sgdsim.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.sgdsim.experiment.LiveSettings;
import org.sgdsim.experiment.UserError;
import org.sgdsim.metrics.LiveRows;

/**
 * The embedded HTTP server: {@code GET /} (dashboard), {@code /events?run=ID} (Server-Sent Events),
 * {@code /api/runs}, {@code /api/runs/ID/metrics}, {@code /api/cluster} and {@code /metrics} (Prometheus). It runs
 * on its own threads and only reads the runs' feeds: nothing a client sends reaches a run. Bad requests get a 4xx
 * status with {@code {"error": "…"}}.
 */
public final class LiveServer implements AutoCloseable
{
    private static final String STATIC = "org/sgdsim/web/static/";
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
        "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "txt", "text/plain; charset=utf-8",
        "png", "image/png", "svg", "image/svg+xml");
    private static final long WATCH_MS = 250;
    private static final long SCAN_MS = 2000;
    private static final long TAIL_MS = 1000;
    private static final int MAX_ROWS_PER_RESPONSE = 200_000;

    private final LiveSettings settings;
    private final HttpServer server;
    private final ExecutorService executor;
    private final ScheduledExecutorService background;
    private final RunCatalog catalog;
    private final PrometheusExport prometheus;
    private final Semaphore streamSlots;
    private final EventBroadcaster broadcaster;
    private final SweepView sweeps = new SweepView();
    private volatile ClusterView cluster;

    private LiveServer(final LiveSettings settings, final HttpServer server)
    {
        this.settings = settings;
        this.server = server;
        this.catalog = new RunCatalog(settings.bufferRows());
        this.prometheus = new PrometheusExport(catalog);
        this.streamSlots = new Semaphore(settings.maxClients());
        this.broadcaster = new EventBroadcaster(prometheus, streamSlots);
        final AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> daemon(r, "sgdsim-web-" + n.incrementAndGet()));
        this.background = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sgdsim-web-watch"));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Binds {@code live.host:live.port} (0 = any free port) and starts serving.
     *
     * @throws UserError when the address cannot be bound (port in use, unknown host).
     */
    public static LiveServer start(final LiveSettings settings)
    {
        final HttpServer server;
        try
        {
            server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 64);
        }
        catch (final BindException ex)
        {
            throw new UserError("live.port: cannot listen on " + settings.host() + ":" + settings.port() + " ("
                + ex.getMessage() + "); choose another port or 0 for any free one");
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new UserError("live.host: cannot listen on " + settings.host() + ":" + settings.port() + " ("
                + ex.getMessage() + ")");
        }
        final LiveServer live = new LiveServer(settings, server);
        live.broadcaster.start();
        live.background.scheduleWithFixedDelay(live::watchStreams, WATCH_MS, WATCH_MS, TimeUnit.MILLISECONDS);
        live.background.scheduleWithFixedDelay(live::followFolders, TAIL_MS, TAIL_MS, TimeUnit.MILLISECONDS);
        server.start();
        return live;
    }

    /** The dashboard's address, e.g. {@code http://127.0.0.1:43117/}. */
    public String url()
    {
        final InetSocketAddress a = server.getAddress();
        final String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
    }

    /** The bound port. */
    public int port()
    {
        return server.getAddress().getPort();
    }

    /** Shows a run of this process; returns its id. */
    public String register(final Path dir, final LiveRows rows)
    {
        return catalog.register(dir, rows);
    }

    /** Shows the run folders under {@code root}, looking for new ones every two seconds. */
    public void browse(final Path root)
    {
        if (!Files.isDirectory(root))
        {
            throw new UserError("serve: " + root + " is not a directory");
        }
        scan(root);
        background.scheduleWithFixedDelay(() -> scan(root), SCAN_MS, SCAN_MS, TimeUnit.MILLISECONDS);
    }

    /** Registers what {@code GET /api/cluster} shows (null to remove it). */
    public void cluster(final ClusterView view)
    {
        this.cluster = view;
    }

    /**
     * Gives open event streams up to {@code timeout} to send what is left of runs that have finished (they then
     * close by themselves), so a dashboard watching a run to its end gets its last rows.
     */
    public void drain(final java.time.Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!broadcaster.idle() && System.nanoTime() < deadline)
        {
            Thread.sleep(50);
        }
    }

    /** Stops listening, ends every stream and the server's threads. */
    @Override
    public void close()
    {
        try
        {
            // interrupts a write blocked on a client that stopped reading, and ends the streams with their counters
            broadcaster.close();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        background.shutdownNow();
        executor.shutdownNow();
    }

    private void scan(final Path root)
    {
        catalog.scan(root);
        for (final RunCatalog.Entry e : catalog.all())
        {
            // runs another process is writing are followed at once, so /metrics shows them
            if (!e.active() && e.state().equals("running"))
            {
                e.rows();
            }
        }
    }

    private void followFolders()
    {
        catalog.retireFinished();
        for (final RunCatalog.Entry e : catalog.all())
        {
            e.poll();
        }
    }

    private void watchStreams()
    {
        broadcaster.dropOverdue(System.nanoTime(), settings.clientTimeout().toNanos());
    }

    private void handle(final HttpExchange exchange)
    {
        boolean streaming = false;
        try
        {
            final String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD"))
            {
                throw new HttpError(405, "method " + method + " is not allowed; use GET");
            }
            streaming = route(exchange);
        }
        catch (final HttpError ex)
        {
            error(exchange, ex.status, ex.getMessage());
        }
        catch (final IOException ex)
        {
            // the client went away
        }
        catch (final RuntimeException ex)
        {
            error(exchange, 500, "internal error: " + ex);
        }
        finally
        {
            if (!streaming)
            {
                exchange.close();
            }
        }
    }

    /** Answers the request; true when the exchange went on to the broadcaster, which closes it. */
    private boolean route(final HttpExchange exchange) throws HttpError, IOException
    {
        final URI uri = exchange.getRequestURI();
        final String path = uri.getRawPath();
        final Map<String, String> query = query(uri.getRawQuery());
        if (path.equals("/events"))
        {
            return events(exchange, query);
        }
        if (path.equals("/") || path.equals("/index.html"))
        {
            resource(exchange, "index.html");
        }
        else if (path.startsWith("/static/"))
        {
            resource(exchange, path.substring("/static/".length()));
        }
        else if (path.equals("/api/runs"))
        {
            json(exchange, 200, runs());
        }
        else if (path.startsWith("/api/runs/"))
        {
            final String rest = path.substring("/api/runs/".length());
            final int slash = rest.indexOf('/');
            if (slash < 0 || !rest.substring(slash).equals("/metrics"))
            {
                throw new HttpError(404, "unknown path " + path + "; expected /api/runs/ID/metrics");
            }
            json(exchange, 200, metrics(run(decode(rest.substring(0, slash))), query));
        }
        else if (path.equals("/api/sweeps"))
        {
            json(exchange, 200, sweeps.list(catalog.root(), catalog));
        }
        else if (path.startsWith("/api/sweeps/"))
        {
            final String id = decode(path.substring("/api/sweeps/".length()));
            final Path sweep = catalog.root() == null ? null : SweepView.byId(catalog.root(), id);
            if (sweep == null)
            {
                throw new HttpError(404, "unknown sweep '" + id + "'; GET /api/sweeps lists them");
            }
            json(exchange, 200, sweeps.one(catalog.root(), sweep, catalog));
        }
        else if (path.equals("/api/cluster"))
        {
            json(exchange, 200, cluster());
        }
        else if (path.equals("/metrics"))
        {
            exchange.getResponseHeaders().set("Content-Type", prometheus.contentType());
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody())
            {
                prometheus.write(out);
            }
        }
        else
        {
            throw new HttpError(404, "unknown path " + path
                + "; try /, /events?run=ID, /api/runs, /api/runs/ID/metrics, /api/sweeps, /api/sweeps/ID, /api/cluster"
                + " or /metrics");
        }
        return false;
    }

    /**
     * Validates an event-stream request, sends the headers and hands the exchange to the broadcaster; returns
     * true once it did (the exchange stays open after the handler returns).
     */
    private boolean events(final HttpExchange exchange, final Map<String, String> query) throws HttpError, IOException
    {
        allowOnly(query, Set.of("run", "lastEventId"));
        final RunCatalog.Entry run = run(required(query, "run"));
        final String header = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        final String last = header != null ? header : query.get("lastEventId");
        final LiveRows rows = run.rows();
        long from = rows.oldest();
        if (last != null && !last.isBlank())
        {
            try
            {
                from = Long.parseLong(last.strip()) + 1;
            }
            catch (final NumberFormatException ex)
            {
                throw new HttpError(400, "Last-Event-ID: expected the id of an event (a number), got '" + last + "'");
            }
            if (from < 0)
            {
                throw new HttpError(400, "Last-Event-ID: expected a number ≥ 0, got '" + last + "'");
            }
            if (from > rows.next())
            {
                // an id from before this process started: the rows it knew are not these
                from = rows.oldest();
            }
        }
        if (!streamSlots.tryAcquire())
        {
            throw new HttpError(503, "too many event streams (live.max-clients = " + settings.maxClients() + ")");
        }
        try
        {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
            if (exchange.getRequestMethod().equals("HEAD"))
            {
                exchange.sendResponseHeaders(200, -1);
                streamSlots.release();
                return false;
            }
            exchange.sendResponseHeaders(200, 0);
        }
        catch (final IOException | RuntimeException ex)
        {
            streamSlots.release();
            throw ex;
        }
        broadcaster.add(new EventStream(run, exchange, from, settings.heartbeat()));
        return true;
    }

    private String runs()
    {
        final StringBuilder out = new StringBuilder("{\"runs\":[");
        boolean first = true;
        for (final RunCatalog.Entry e : catalog.all())
        {
            out.append(first ? "" : ",").append("\n{\"id\":").append(RowJson.quote(e.id)).append(",\"state\":")
                .append(RowJson.quote(e.state())).append(",\"dir\":")
                .append(e.dir == null ? "null" : RowJson.quote(e.dir.toString()))
                .append(",\"label\":").append(RowJson.quote(e.info.label())).append(",\"group\":")
                .append(RowJson.quote(e.info.group())).append(",\"kind\":").append(RowJson.quote(e.info.kind()))
                .append(",\"experiment\":").append(RowJson.quote(e.info.experiment())).append(",\"point\":")
                .append(e.info.point() == null ? "null" : RowJson.quote(e.info.point())).append(",\"seed\":")
                .append(e.info.seed() < 0 ? "null" : String.valueOf(e.info.seed()));
            if (e.active())
            {
                final LiveRows rows = e.rows();
                out.append(",\"oldest\":").append(rows.oldest()).append(",\"next\":").append(rows.next());
                out.append(",\"columns\":{");
                boolean firstTable = true;
                for (final LiveRows.Table t : LiveRows.Table.values())
                {
                    out.append(firstTable ? "" : ",").append(RowJson.quote(t.eventName())).append(':');
                    columns(out, rows.header(t));
                    firstTable = false;
                }
                out.append('}');
            }
            out.append(",\"theory\":").append(e.dir != null && Files.isRegularFile(e.dir.resolve("theory.csv")));
            out.append('}');
            first = false;
        }
        return out.append("]}").toString();
    }

    private String metrics(final RunCatalog.Entry run, final Map<String, String> query) throws HttpError, IOException
    {
        allowOnly(query, Set.of("table", "since"));
        final String tableName = query.getOrDefault("table", "metrics");
        LiveRows.Table table = null;
        for (final LiveRows.Table t : LiveRows.Table.values())
        {
            if (t.eventName().equals(tableName))
            {
                table = t;
            }
        }
        if (table == null)
        {
            throw new HttpError(400, "table: expected metrics, pipeline or latency, got '" + tableName + "'");
        }
        final LiveRows rows = run.rows();
        long since = rows.oldest();
        if (query.containsKey("since"))
        {
            try
            {
                since = Math.max(since, Long.parseLong(query.get("since")));
            }
            catch (final NumberFormatException ex)
            {
                throw new HttpError(400, "since: expected a sequence number, got '" + query.get("since") + "'");
            }
        }
        final long next = rows.next();
        final StringBuilder out = new StringBuilder(4096);
        out.append("{\"run\":").append(RowJson.quote(run.id)).append(",\"state\":").append(RowJson.quote(run.state()))
            .append(",\"table\":").append(RowJson.quote(table.eventName())).append(",\"columns\":");
        columns(out, rows.header(table));
        out.append(",\"seq\":[");
        final StringBuilder values = new StringBuilder(4096);
        int n = 0;
        for (long s = since; s < next && n < MAX_ROWS_PER_RESPONSE; s++)
        {
            final LiveRows.Row row = rows.get(s);
            if (row == null || row.table() != table)
            {
                continue;
            }
            out.append(n == 0 ? "" : ",").append(s);
            values.append(n == 0 ? "\n[" : ",\n[");
            final String[] cells = row.text().split(",", -1);
            for (int i = 0; i < cells.length; i++)
            {
                if (i > 0)
                {
                    values.append(',');
                }
                RowJson.value(values, cells[i]);
            }
            values.append(']');
            n++;
        }
        out.append("],\"next\":").append(next).append(",\"finished\":").append(rows.finished())
            .append(",\"rows\":[").append(values).append(']');
        if (table == LiveRows.Table.METRICS && run.dir != null)
        {
            final Path theory = run.dir.resolve("theory.csv");
            if (Files.isRegularFile(theory) && Files.size(theory) < 64L << 20)
            {
                final List<String> lines = Files.readAllLines(theory, StandardCharsets.UTF_8);
                out.append(",\"theory\":{\"columns\":");
                columns(out, lines.isEmpty() ? null : lines.get(0));
                out.append(",\"rows\":[");
                for (int l = 1; l < lines.size(); l++)
                {
                    out.append(l == 1 ? "\n[" : ",\n[");
                    final String[] cells = lines.get(l).split(",", -1);
                    for (int i = 0; i < cells.length; i++)
                    {
                        if (i > 0)
                        {
                            out.append(',');
                        }
                        RowJson.value(out, cells[i]);
                    }
                    out.append(']');
                }
                out.append("]}");
            }
        }
        return out.append("}\n").toString();
    }

    private String cluster()
    {
        final ClusterView view = cluster;
        if (view == null)
        {
            // a 200 rather than a 404, so the dashboard's poll leaves no error in the browser's console
            return "{\"cluster\":false,\"members\":[]}\n";
        }
        final StringBuilder out = new StringBuilder("{\"cluster\":true,\"members\":[");
        boolean first = true;
        for (final ClusterView.Member m : view.members())
        {
            out.append(first ? "" : ",").append("\n{\"address\":").append(RowJson.quote(m.address()))
                .append(",\"status\":").append(RowJson.quote(m.status())).append(",\"roles\":");
            strings(out, m.roles());
            out.append(",\"runs\":");
            strings(out, m.runs());
            out.append('}');
            first = false;
        }
        return out.append("]}\n").toString();
    }

    private RunCatalog.Entry run(final String id) throws HttpError
    {
        final RunCatalog.Entry e = catalog.get(id);
        if (e == null)
        {
            throw new HttpError(404, "unknown run '" + id + "'; GET /api/runs lists them");
        }
        return e;
    }

    private void resource(final HttpExchange exchange, final String name) throws HttpError, IOException
    {
        if (name.isEmpty() || name.contains("..") || name.contains("//") || !name.matches("[A-Za-z0-9._/-]+"))
        {
            throw new HttpError(404, "no such file: /static/" + name);
        }
        final int dot = name.lastIndexOf('.');
        final String type = TYPES.get(dot < 0 ? "txt" : name.substring(dot + 1));
        try (InputStream in = LiveServer.class.getClassLoader().getResourceAsStream(STATIC + name))
        {
            if (in == null || type == null)
            {
                throw new HttpError(404, "no such file: /static/" + name);
            }
            final byte[] body = in.readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            send(exchange, 200, body);
        }
    }

    private static void json(final HttpExchange exchange, final int status, final String body) throws IOException
    {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void error(final HttpExchange exchange, final int status, final String message)
    {
        try
        {
            json(exchange, status, "{\"error\":" + RowJson.quote(message) + "}\n");
        }
        catch (final IOException | RuntimeException ex)
        {
            // headers were sent already, or the client is gone: nothing more to tell it
        }
    }

    private static void send(final HttpExchange exchange, final int status, final byte[] body) throws IOException
    {
        if (exchange.getRequestMethod().equals("HEAD"))
        {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(body);
        }
    }

    private static void columns(final StringBuilder out, final String header)
    {
        strings(out, header == null ? List.of() : List.of(header.split(",", -1)));
    }

    private static void strings(final StringBuilder out, final List<String> values)
    {
        out.append('[');
        for (int i = 0; i < values.size(); i++)
        {
            out.append(i == 0 ? "" : ",").append(RowJson.quote(values.get(i)));
        }
        out.append(']');
    }

    private static Map<String, String> query(final String raw) throws HttpError
    {
        final Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty())
        {
            return out;
        }
        for (final String pair : raw.split("&"))
        {
            if (pair.isEmpty())
            {
                continue;
            }
            final int eq = pair.indexOf('=');
            final String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (out.put(key, decode(eq < 0 ? "" : pair.substring(eq + 1))) != null)
            {
                throw new HttpError(400, "parameter '" + key + "' given twice");
            }
        }
        return out;
    }

    private static String decode(final String s) throws HttpError
    {
        try
        {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new HttpError(400, "malformed URL encoding in '" + s + "'");
        }
    }

    private static String required(final Map<String, String> query, final String key) throws HttpError
    {
        final String v = query.get(key);
        if (v == null || v.isEmpty())
        {
            throw new HttpError(400, "parameter '" + key + "' is required");
        }
        return v;
    }

    private static void allowOnly(final Map<String, String> query, final Set<String> allowed) throws HttpError
    {
        for (final String key : query.keySet())
        {
            if (!allowed.contains(key))
            {
                throw new HttpError(400, "unknown parameter '" + key + "'; expected one of " + allowed);
            }
        }
    }

    /** A started-later daemon thread. */
    static Thread daemon(final Runnable r, final String name)
    {
        final Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
