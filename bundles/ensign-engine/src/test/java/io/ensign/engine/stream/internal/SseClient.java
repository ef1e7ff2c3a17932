package io.ensign.engine.stream.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A server-sent events client for tests: parses events as they arrive and queues them. */
final class SseClient implements AutoCloseable {
    /** One event: its id, name and JSON data. */
    record Event(long id, String name, JsonNode data) {
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final AtomicBoolean ended = new AtomicBoolean();
    final HttpResponse<Stream<String>> response;
    private final Thread reader;

    SseClient(HttpRequest request) {
        try {
            response = CLIENT.send(request, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        reader = new Thread(this::read, "sse-test-client");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        long id = -1;
        String name = null;
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Event(id, name, mapper.readTree(data.toString())));
                    }
                    id = -1;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // the stream was cut: it ended
        } finally {
            ended.set(true);
        }
    }

    /** The next event within a few seconds, or null. */
    Event next() throws InterruptedException {
        return events.poll(5, TimeUnit.SECONDS);
    }

    /** The next event within this many milliseconds, or null. */
    Event nextWithin(long millis) throws InterruptedException {
        return events.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** The next {@code n} events; fails when they do not come within a few seconds each. */
    List<Event> take(int n) throws InterruptedException {
        List<Event> taken = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Event event = next();
            if (event == null) {
                throw new AssertionError("only " + taken.size() + " of " + n + " events came: " + taken);
            }
            taken.add(event);
        }
        return taken;
    }

    /** Events already received and not taken. */
    List<Event> drain() {
        List<Event> rest = new ArrayList<>();
        events.drainTo(rest);
        return rest;
    }

    int comments() {
        return comments.get();
    }

    boolean ended() {
        return ended.get();
    }

    @Override
    public void close() {
        response.body().close();
    }
}
