package org.sgdsim.web;

import java.net.URI;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.typesafe.config.Config;

/** A minimal Chrome DevTools Protocol client over the JDK's WebSocket: commands, replies and events. */
final class DevTools implements WebSocket.Listener, AutoCloseable
{
    private final Map<Integer, CompletableFuture<Config>> pending = new ConcurrentHashMap<>();
    private final List<Config> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;

    DevTools(final String webSocketUrl) throws Exception
    {
        this.socket = LiveFixture.HTTP.newWebSocketBuilder().buildAsync(URI.create(webSocketUrl), this)
            .get(30, TimeUnit.SECONDS);
    }

    /** Sends a command ({@code params} is a JSON object) and waits for its result. */
    Config call(final String method, final String params) throws Exception
    {
        final int id = ids.incrementAndGet();
        final CompletableFuture<Config> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true)
            .get(30, TimeUnit.SECONDS);
        final Config r = reply.get(60, TimeUnit.SECONDS);
        if (r.hasPath("error"))
        {
            throw new IllegalStateException(method + ": " + r.getValue("error").render());
        }
        return r.getConfig("result");
    }

    /** Every event received so far. */
    List<Config> events()
    {
        return events;
    }

    @Override
    public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
    {
        partial.append(data);
        if (last)
        {
            final Config message = LiveFixture.json(partial.toString());
            partial.setLength(0);
            if (message.hasPath("id"))
            {
                final CompletableFuture<Config> reply = pending.remove(message.getInt("id"));
                if (reply != null)
                {
                    reply.complete(message);
                }
            }
            else
            {
                events.add(message);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public void close()
    {
        socket.abort();
    }
}
