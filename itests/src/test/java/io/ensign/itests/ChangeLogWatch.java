package io.ensign.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.itests.TortureFigures.Finding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Watches the change log while the crash torture's load runs: pages through {@code GET /api/v1/audit} and keeps the
 * change stream ({@code GET /api/v1/stream}) open. After the restart every record seen must still be there with the
 * same content (a sequence is never handed to another record), the last sequence must not have gone back, and every
 * streamed change must be in the change log (the stream only tells of durable changes).
 */
final class ChangeLogWatch {
    private static final String ADMIN = EnsignConfiguration.ADMIN_TOKEN;
    private static final int PAGE = 1000;
    private static final long POLL_PAUSE_MILLIS = 20;

    private final TortureFigures figures;
    private final HttpClient streamClient;
    private final ObjectMapper mapper = new ObjectMapper();
    /** A digest of each record seen at each sequence in the whole run (records are large, digests are not). */
    private final Map<Long, String> digests = new ConcurrentHashMap<>();
    private final NavigableSet<Long> seenThisRound = new ConcurrentSkipListSet<>();
    private final Queue<JsonNode> streamed = new ConcurrentLinkedQueue<>();
    private long lastSequence;
    private int round;
    private volatile boolean watching;
    private Thread poller;
    private Thread streamer;
    private volatile Stream<String> stream;

    ChangeLogWatch(TortureFigures figures, HttpClient streamClient) {
        this.figures = figures;
        this.streamClient = streamClient;
    }

    long lastSequence() {
        return lastSequence;
    }

    int streamedThisRound() {
        return streamed.size();
    }

    /** Starts watching {@code driver}'s server for round {@code round}; returns once the stream is open. */
    void start(HttpDriver driver, int round) throws InterruptedException {
        this.round = round;
        seenThisRound.clear();
        streamed.clear();
        watching = true;
        CountDownLatch connected = new CountDownLatch(1);
        streamer = new Thread(() -> follow(driver, connected), "torture-stream");
        streamer.setDaemon(true);
        streamer.start();
        if (!connected.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the change stream did not open within 30 s");
        }
        poller = new Thread(() -> poll(driver), "torture-audit");
        poller.setDaemon(true);
        poller.start();
    }

    /** After the kill: waits for both watchers to notice the server is gone. */
    void stop() throws InterruptedException {
        watching = false;
        Stream<String> open = stream;
        if (open != null) {
            open.close();
        }
        poller.join(TimeUnit.SECONDS.toMillis(30));
        streamer.join(TimeUnit.SECONDS.toMillis(30));
    }

    private void follow(HttpDriver driver, CountDownLatch connected) {
        try {
            HttpResponse<Stream<String>> response = streamClient.send(
                    driver.request("GET", "/api/v1/stream", ADMIN, null).build(), HttpResponse.BodyHandlers.ofLines());
            stream = response.body();
            stream.forEach(line -> {
                if (line.startsWith(": connected")) {
                    connected.countDown();
                } else if (line.startsWith("data:")) {
                    streamed.add(parse(line.substring("data:".length())));
                }
            });
        } catch (IOException | UncheckedIOException serverGone) {
            // the kill ends the stream
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void poll(HttpDriver driver) {
        long since = lastSequence;
        try {
            while (watching) {
                JsonNode page = page(driver, since);
                page.path("records").forEach(this::seen);
                since = page.path("next").asLong(since);
                if (page.path("records").isEmpty()) {
                    Thread.sleep(POLL_PAUSE_MILLIS);
                }
            }
        } catch (UncheckedIOException | IllegalStateException serverGone) {
            // the kill
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private JsonNode page(HttpDriver driver, long since) {
        HttpResponse<String> response = driver.send("GET", "/api/v1/audit?since=" + since + "&limit=" + PAGE, ADMIN, null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /api/v1/audit -> " + response.statusCode() + " " + response.body());
        }
        return driver.json(response);
    }

    /** Records the record at its sequence; a different record where one was seen before is a reused sequence. */
    private void seen(JsonNode record) {
        long sequence = record.path("sequence").asLong();
        String digest = digest(record.toString());
        String before = digests.put(sequence, digest);
        if (before != null && !before.equals(digest)) {
            figures.found(Finding.SEQUENCE_REUSED, round, "sequence " + sequence + " now holds " + brief(record));
        }
        seenThisRound.add(sequence);
    }

    /**
     * After the restart on {@code driver}: re-reads the change log from where this round started and compares it
     * with what was seen and streamed before the kill.
     */
    void checkAfterRestart(HttpDriver driver) {
        long from = lastSequence;
        long highestSeen = Math.max(from, seenThisRound.isEmpty() ? 0 : seenThisRound.last());
        for (JsonNode event : streamed) {
            highestSeen = Math.max(highestSeen, event.path("sequence").asLong());
        }
        List<Long> seenBefore = List.copyOf(seenThisRound);
        Map<Long, JsonNode> now = new HashMap<>();
        long since = from;
        long last;
        while (true) {
            JsonNode page = page(driver, since);
            last = page.path("lastSequence").asLong();
            page.path("records").forEach(r -> now.put(r.path("sequence").asLong(), r));
            page.path("records").forEach(this::seen);
            long next = page.path("next").asLong(since);
            if (page.path("records").isEmpty() || next >= highestSeen) {
                break;
            }
            since = next;
        }
        if (last < highestSeen) {
            figures.found(Finding.SEQUENCE_BACK, round, "last sequence " + last + " after the restart, " + highestSeen
                    + " seen before the kill");
        }
        for (long sequence : seenBefore) {
            if (!now.containsKey(sequence)) {
                figures.found(Finding.CHANGE_LOG_RECORD_LOST, round, "sequence " + sequence);
            }
        }
        for (JsonNode event : streamed) {
            JsonNode record = now.get(event.path("sequence").asLong());
            if (record == null || !sameChange(event, record)) {
                figures.found(Finding.STREAM_GHOST, round, event + " vs " + (record == null ? "nothing" : brief(record)));
            }
        }
        lastSequence = last;
    }

    // The stream names a config entry by namespace/key and its environment; the change log by its store key.
    private static boolean sameChange(JsonNode event, JsonNode record) {
        String key = record.path("key").asText();
        int at = key.indexOf('@');
        String streamKey = record.path("kind").asText().equals("config") && at >= 0 ? key.substring(0, at) : key;
        return event.path("kind").asText().equals(record.path("kind").asText())
                && event.path("key").asText().equals(streamKey)
                && event.path("version").asLong() == record.path("version").asLong()
                && event.path("environment").equals(record.path("environment"));
    }

    private static String brief(JsonNode record) {
        return record.path("action").asText() + " " + record.path("kind").asText() + " " + record.path("key").asText()
                + " v" + record.path("version").asLong();
    }

    private JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
