package io.ensign.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Experiment events on their way to {@code POST /api/v1/events}: a bounded queue the caller only offers to (a full
 * queue drops the event and counts it), drained in batches on the scheduler's thread. A batch the server did not
 * take for a passing reason (no connection, 429, 5xx) is sent again first on the next flush; one it refused
 * (another 4xx) is dropped and counted as failed, as are events the server rejected one by one.
 */
public final class EventBatcher {
    /** One event as api.md's events route takes it; {@code variant} for exposures, {@code metric}/{@code value} else. */
    public record Event(String id, String type, String experiment, String unit, String variant, String metric,
                        double value, long timestampMillis) {
    }

    private static final System.Logger LOG = System.getLogger(EventBatcher.class.getName());
    private final BlockingQueue<Event> queue;
    private final int batchSize;
    private final HttpClient http;
    private final URI endpoint;
    private final String token;
    private final Duration requestTimeout;
    private final ScheduledExecutorService scheduler;
    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonFactory json = mapper.getFactory();
    private final AtomicBoolean flushRequested = new AtomicBoolean();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Object sending = new Object();
    private List<Event> pending = List.of();

    public EventBatcher(int capacity, int batchSize, HttpClient http, URI endpoint, String token,
                        Duration requestTimeout, ScheduledExecutorService scheduler, Duration flushInterval) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batchSize = batchSize;
        this.http = http;
        this.endpoint = endpoint;
        this.token = token;
        this.requestTimeout = requestTimeout;
        this.scheduler = scheduler;
        long every = Math.max(1, flushInterval.toMillis());
        scheduler.scheduleWithFixedDelay(this::flushQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** Queues an event without waiting; false (and counted) when the queue is full. */
    public boolean offer(Event event) {
        if (!queue.offer(event)) {
            dropped.increment();
            return false;
        }
        if (queue.size() >= batchSize && flushRequested.compareAndSet(false, true)) {
            try {
                scheduler.execute(this::flushQuietly);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                flushRequested.set(false);
            }
        }
        return true;
    }

    public long dropped() {
        return dropped.sum();
    }

    public long sent() {
        return sent.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public int queued() {
        return queue.size() + pending.size();
    }

    private void flushQuietly() {
        flushRequested.set(false);
        try {
            flush(Long.MAX_VALUE);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "sending events failed", e);
        }
    }

    /**
     * Sends what is queued, batch by batch, until the queue is empty, a batch could not be delivered, or
     * {@code timeoutNanos} passed. Returns whether everything went.
     */
    public boolean flush(long timeoutNanos) {
        long start = System.nanoTime();
        synchronized (sending) {
            while (System.nanoTime() - start < timeoutNanos) {
                if (pending.isEmpty()) {
                    List<Event> batch = new ArrayList<>(batchSize);
                    queue.drainTo(batch, batchSize);
                    if (batch.isEmpty()) {
                        return true;
                    }
                    pending = batch;
                }
                if (!send(pending)) {
                    return false;
                }
                pending = List.of();
            }
            return queue.isEmpty() && pending.isEmpty();
        }
    }

    /** Whether the batch is done with (taken, or refused for good); false to send it again later. */
    private boolean send(List<Event> batch) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(endpoint).timeout(requestTimeout)
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body(batch))).build();
        } catch (IOException e) {
            throw new IllegalStateException("events could not be written as JSON", e);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            return false;
        }
        if (status == 202) {
            int rejected = countRejected(response.body());
            sent.add(batch.size() - rejected);
            failed.add(rejected);
        } else {
            failed.add(batch.size());
            LOG.log(System.Logger.Level.WARNING, "the server refused " + batch.size() + " events with " + status
                    + ": " + response.body());
        }
        return true;
    }

    private int countRejected(String body) {
        try {
            return mapper.readTree(body).path("rejected").size();
        } catch (IOException e) {
            return 0; // 202 means taken; an unreadable summary counts nothing as rejected
        }
    }

    private byte[] body(List<Event> batch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 * batch.size());
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("events");
            for (Event e : batch) {
                g.writeStartObject();
                g.writeStringField("id", e.id());
                g.writeStringField("type", e.type());
                g.writeStringField("experiment", e.experiment());
                g.writeStringField("unit", e.unit());
                if (e.variant() != null) {
                    g.writeStringField("variant", e.variant());
                }
                if (e.metric() != null) {
                    g.writeStringField("metric", e.metric());
                    g.writeNumberField("value", e.value());
                }
                g.writeStringField("timestamp", Instant.ofEpochMilli(e.timestampMillis()).toString());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
