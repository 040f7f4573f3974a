package org.sgdsim.bench;

import java.util.List;

/**
 * SSE clients on loopback for the bench, as a load generator serves them: one thread ({@code bench-sse-reader})
 * reads every reader's non-blocking channel through a selector and counts the events it gets, so the clients do
 * not cost the machine more than the server they measure; stalled ones send their request with a small receive
 * buffer and never read.
 */
final class LiveClients implements AutoCloseable
{
    private static final byte[] MARKER = "\nid: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final java.nio.channels.Selector selector;
    private final java.util.List<java.io.Closeable> connections = new java.util.ArrayList<>();
    private final Thread thread;
    private final java.util.concurrent.atomic.AtomicLong events = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closing;

    /** @param lastEventId the Last-Event-ID the clients send (they get the rows after it), −1 for none. */
    LiveClients(final int port, final String run, final int readers, final int stalled, final long lastEventId)
        throws java.io.IOException
    {
        final byte[] request = ("GET /events?run=" + run + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + (lastEventId >= 0 ? "Last-Event-ID: " + lastEventId + "\r\n" : "") + "\r\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final java.net.InetSocketAddress server =
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port);
        selector = java.nio.channels.Selector.open();
        connections.add(selector);
        for (int i = 0; i < readers; i++)
        {
            final java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open(server);
            connections.add(channel);
            final java.nio.ByteBuffer out = java.nio.ByteBuffer.wrap(request);
            while (out.hasRemaining())
            {
                channel.write(out);
            }
            channel.configureBlocking(false);
            // the attachment: how many bytes of the event marker the channel's last read ended in
            channel.register(selector, java.nio.channels.SelectionKey.OP_READ, new int[1]);
        }
        for (int i = 0; i < stalled; i++)
        {
            final java.net.Socket socket = new java.net.Socket();
            connections.add(socket);
            socket.setReceiveBufferSize(4096);
            socket.connect(server);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
        }
        thread = new Thread(this::read, "bench-sse-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void read()
    {
        final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(64 * 1024);
        final java.util.function.Consumer<java.nio.channels.SelectionKey> ready = key -> drain(key, buffer);
        try
        {
            while (!closing && !selector.keys().isEmpty())
            {
                selector.select(ready);
            }
        }
        catch (final java.io.IOException | java.nio.channels.ClosedSelectorException ex)
        {
            if (!closing)
            {
                failed.incrementAndGet();
            }
        }
    }

    /** Reads what {@code key}'s channel holds and counts the events in it; ends the client at end of stream. */
    private void drain(final java.nio.channels.SelectionKey key, final java.nio.ByteBuffer buffer)
    {
        final java.nio.channels.SocketChannel channel = (java.nio.channels.SocketChannel)key.channel();
        final int[] matched = (int[])key.attachment();
        long found = 0;
        try
        {
            int n;
            while ((n = channel.read(buffer.clear())) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    final byte b = buffer.get(i);
                    matched[0] = b == MARKER[matched[0]] ? matched[0] + 1 : (b == MARKER[0] ? 1 : 0);
                    if (matched[0] == MARKER.length)
                    {
                        found++;
                        matched[0] = 0;
                    }
                }
            }
            if (n < 0)
            {
                throw new java.io.EOFException("the server ended the stream");
            }
        }
        catch (final java.io.IOException ex)
        {
            key.cancel();
            if (!closing)
            {
                failed.incrementAndGet();
            }
        }
        events.addAndGet(found);
    }

    long events()
    {
        return events.get();
    }

    int failed()
    {
        return failed.get();
    }

    @Override
    public void close() throws java.io.IOException
    {
        closing = true;
        selector.wakeup();
        try
        {
            thread.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        for (final java.io.Closeable c : connections)
        {
            c.close();
        }
    }
}
