package io.ensign.client.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.client.ClientStatus;

/**
 * Keeps a client current, on its own thread: fetches the sync document ({@code If-None-Match} with the version held),
 * then follows the change stream from that version ({@code Last-Event-ID}, {@code objects=true}); an event newer
 * than the state held is applied from the object it carries (configuration, which never travels, fetches the
 * document again), events the state already covers are skipped, so reconnecting misses nothing and
 * applies nothing twice. A broken or silent stream (no byte, not even a heartbeat, for the read timeout) is closed
 * and the loop starts over after a jittered, doubling delay. A server whose stream cannot be opened is polled:
 * the document is fetched every poll interval.
 */
public final class SyncLoop implements Runnable {
    /** What the loop updates. */
    public interface Sink {
        SyncState current();

        /** Parses a document and applies it; the new state. */
        SyncState apply(byte[] document) throws IOException;

        /**
         * Applies one streamed change from the object its event carries; false when the event cannot be applied
         * that way and the document must be fetched.
         */
        boolean applyChange(long sequence, JsonNode event) throws IOException;

        void status(ClientStatus status);
    }

    /** The server refused the token or the environment: retrying helps only after an operator acts. */
    private static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private static final System.Logger LOG = System.getLogger(SyncLoop.class.getName());
    private static final ObjectMapper EVENTS = new ObjectMapper();
    private final HttpClient http;
    private final URI server;
    private final String token;
    private final String environment;
    private final Duration requestTimeout;
    private final Duration readTimeout;
    private final Duration minDelay;
    private final Duration maxDelay;
    private final Duration pollInterval;
    private final ScheduledExecutorService scheduler;
    private final Sink sink;
    private volatile boolean closed;
    private volatile InputStream stream;
    private volatile long lastRead;
    /** Whether the state held came from this server (and may be named in If-None-Match). */
    private volatile boolean fromServer;

    public SyncLoop(HttpClient http, URI server, String token, String environment, Duration requestTimeout,
                    Duration readTimeout, Duration minDelay, Duration maxDelay, Duration pollInterval,
                    ScheduledExecutorService scheduler, Sink sink, boolean backupFromServer) {
        this.http = http;
        this.server = server;
        this.token = token;
        this.environment = environment;
        this.requestTimeout = requestTimeout;
        this.readTimeout = readTimeout;
        this.minDelay = minDelay;
        this.maxDelay = maxDelay;
        this.pollInterval = pollInterval;
        this.scheduler = scheduler;
        this.sink = sink;
        this.fromServer = backupFromServer;
    }

    @Override
    public void run() {
        long delay = minDelay.toMillis();
        while (!closed) {
            boolean polled = false;
            try {
                fetch();
                sink.status(ClientStatus.READY);
                delay = minDelay.toMillis();
                polled = !follow();
            } catch (Refused e) {
                LOG.log(System.Logger.Level.ERROR, e.getMessage());
                sink.status(ClientStatus.ERROR);
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.log(System.Logger.Level.DEBUG, "sync with " + server + " interrupted: " + e);
                sink.status(sink.current() == SyncState.EMPTY ? ClientStatus.NOT_READY : ClientStatus.STALE);
            } catch (InterruptedException e) {
                return;
            }
            long wait = polled ? pollInterval.toMillis() : jittered(delay);
            if (!polled) {
                delay = Math.min(maxDelay.toMillis(), delay * 2);
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Full jitter over the upper half: between delay/2 and delay. */
    private static long jittered(long delay) {
        return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }

    /** Stops the loop and closes the stream it reads. */
    public void close() {
        closed = true;
        closeStream();
    }

    private void closeStream() {
        InputStream in = stream;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing is all we want of it
            }
        }
    }

    private String query() {
        String env = environment != null ? environment : sink.current().environment();
        return env == null ? "" : "?environment=" + URLEncoder.encode(env, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path) {
        return request(path, query());
    }

    private HttpRequest.Builder request(String path, String query) {
        return HttpRequest.newBuilder(server.resolve(path + query)).header("Authorization", "Bearer " + token);
    }

    /** Fetches the document, applying it unless the server says the one held is current. */
    void fetch() throws IOException, InterruptedException {
        HttpRequest.Builder request = request("/api/v1/sync").timeout(requestTimeout).GET();
        SyncState held = sink.current();
        if (held != SyncState.EMPTY && fromServer) {
            request.header("If-None-Match", "\"sync-" + held.version() + "\"");
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        if (status == 304) {
            return;
        }
        if (status == 401 || status == 403 || status == 400) {
            throw new Refused("the server refuses the sync document (" + status + "): "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        if (status != 200) {
            throw new IOException("GET /api/v1/sync answered " + status);
        }
        sink.apply(response.body());
        fromServer = true;
    }

    /**
     * Reads the change stream until it ends. Returns false when the server offers no stream (the caller polls
     * instead), true when a stream was followed and ended.
     */
    private boolean follow() throws IOException, InterruptedException {
        String query = query();
        HttpRequest request = request("/api/v1/stream", query + (query.isEmpty() ? "?" : "&") + "objects=true")
                .header("Accept", "text/event-stream")
                .header("Last-Event-ID", Long.toString(sink.current().version())).GET().build();
        CompletableFuture<HttpResponse<InputStream>> pending =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response;
        try {
            response = pending.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new IOException("the change stream did not answer within " + requestTimeout);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                return false;
            }
            stream = body;
            if (closed) {
                return true;
            }
            lastRead = System.nanoTime();
            ScheduledFuture<?> watch = scheduler.scheduleWithFixedDelay(this::closeIfSilent,
                    readTimeout.toMillis(), Math.max(1, readTimeout.toMillis() / 4), TimeUnit.MILLISECONDS);
            try {
                read(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)));
            } finally {
                watch.cancel(false);
                stream = null;
            }
        }
        return true;
    }

    private boolean applied(long id, String data) throws IOException {
        if (data == null) {
            return false;
        }
        JsonNode event;
        try {
            event = EVENTS.readTree(data);
        } catch (IOException e) {
            return false;
        }
        return event != null && sink.applyChange(id, event);
    }

    private void closeIfSilent() {
        if (System.nanoTime() - lastRead > readTimeout.toNanos()) {
            closeStream();
        }
    }

    /**
     * Reads events until the stream ends. An event newer than the state held is applied from the object it carries
     * when it carries one, else by fetching the document.
     */
    private void read(BufferedReader reader) throws IOException, InterruptedException {
        long id = -1;
        String data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            lastRead = System.nanoTime();
            if (line.isEmpty()) {
                if (id > sink.current().version() && !applied(id, data)) {
                    fetch();
                }
                id = -1;
                data = null;
            } else if (line.startsWith("data:")) {
                data = line.substring(5).strip();
            } else if (line.startsWith("id:")) {
                try {
                    id = Long.parseLong(line.substring(3).trim());
                } catch (NumberFormatException e) {
                    id = -1;
                }
            }
        }
    }
}
