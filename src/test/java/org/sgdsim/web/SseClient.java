package org.sgdsim.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A minimal Server-Sent Events reader over java.net.http, for tests. */
final class SseClient implements AutoCloseable
{
    /** One event: id (null when none), name and data. */
    record Event(String id, String event, String data)
    {
    }

    final int status;
    private final InputStream body;
    private final BufferedReader in;

    SseClient(final String url, final String lastEventId) throws IOException, InterruptedException
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (lastEventId != null)
        {
            request.header("Last-Event-ID", lastEventId);
        }
        final HttpResponse<InputStream> response = LiveFixture.HTTP.send(request.build(),
            HttpResponse.BodyHandlers.ofInputStream());
        this.status = response.statusCode();
        this.body = response.body();
        this.in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** The next event, or null at the end of the stream. */
    Event next() throws IOException
    {
        String id = null;
        String event = "message";
        StringBuilder data = null;
        String line;
        while ((line = in.readLine()) != null)
        {
            if (line.isEmpty())
            {
                if (data != null)
                {
                    return new Event(id, event, data.toString());
                }
                continue;
            }
            if (line.startsWith("id: "))
            {
                id = line.substring(4);
            }
            else if (line.startsWith("event: "))
            {
                event = line.substring(7);
            }
            else if (line.startsWith("data: "))
            {
                data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException
    {
        body.close();
    }
}
