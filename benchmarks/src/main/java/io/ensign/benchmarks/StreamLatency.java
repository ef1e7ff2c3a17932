package io.ensign.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Live push latency against a running server: {@code subscribers} clients hold {@code GET /api/v1/stream}; each
 * write is a config PUT, and the latency of one subscriber is the time from sending the PUT (the commit, fsync
 * included, happens before its response) to that subscriber reading the event. Writes go one at a time, the next
 * once every subscriber has the previous one.
 *
 * <p>Usage: {@code java -cp ... io.ensign.benchmarks.StreamLatency <baseUrl> <adminToken> [subscribers] [writes]}
 */
public final class StreamLatency {
    private static final int WARMUP_WRITES = 20;

    private StreamLatency() {
    }

    public static void main(String[] args) throws Exception {
        DriverArguments arguments = DriverArguments.parse(args, "StreamLatency", "subscribers");
        String base = arguments.base();
        String token = arguments.adminToken();
        int subscribers = arguments.listeners();
        int writes = arguments.writes();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String key = "k" + System.nanoTime();
        // sequence -> arrivals still expected, and the receive times of the write being measured
        ConcurrentHashMap<String, CountDownLatch> pending = new ConcurrentHashMap<>();
        ConcurrentHashMap<String, List<Long>> arrivals = new ConcurrentHashMap<>();
        List<InputStream> streams = new ArrayList<>();
        CountDownLatch connected = new CountDownLatch(subscribers);
        for (int i = 0; i < subscribers; i++) {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/stream?environment=staging"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("stream answered " + response.statusCode());
            }
            streams.add(response.body());
            Thread reader = new Thread(() -> read(response.body(), key, connected, pending, arrivals), "sub-" + i);
            reader.setDaemon(true);
            reader.start();
        }
        connected.await(30, TimeUnit.SECONDS);
        long[] latencies = new long[writes * subscribers];
        long[] roundTrips = new long[writes];
        int n = 0;
        for (int w = -WARMUP_WRITES; w < writes; w++) {
            String value = Integer.toString(w + WARMUP_WRITES + 1);
            CountDownLatch all = new CountDownLatch(subscribers);
            List<Long> times = Collections.synchronizedList(new ArrayList<>());
            pending.put(value, all);
            arrivals.put(value, times);
            long sent = System.nanoTime();
            HttpResponse<String> put = client.send(HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/config/bench/" + key + "?environment=staging"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":" + value + "}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            if (put.statusCode() >= 300) {
                throw new IllegalStateException("PUT answered " + put.statusCode() + ": " + put.body());
            }
            if (!all.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (subscribers - all.getCount()) + " subscribers got write " + w);
            }
            if (w >= 0) {
                roundTrips[w] = answered - sent;
                synchronized (times) {
                    for (long t : times) {
                        latencies[n++] = t - sent;
                    }
                }
            }
            pending.remove(value);
            arrivals.remove(value);
        }
        Arrays.sort(latencies, 0, n);
        System.out.printf("subscribers=%d writes=%d samples=%d%n", subscribers, writes, n);
        System.out.printf("PUT sent -> event read, ms: p50=%.2f p90=%.2f p99=%.2f max=%.2f%n", ms(latencies, n, 0.50),
                ms(latencies, n, 0.90), ms(latencies, n, 0.99), latencies[n - 1] / 1e6);
        Arrays.sort(roundTrips);
        System.out.printf("PUT round trip (commit with fsync), ms: p50=%.2f p99=%.2f%n", ms(roundTrips, writes, 0.50),
                ms(roundTrips, writes, 0.99));
        for (InputStream stream : streams) {
            stream.close();
        }
    }

    /**
     * Reads one stream; the event's version is not the value, so the data line is matched by the write's value
     * through the entry's version: value v is written as version v.
     */
    private static void read(InputStream body, String key, CountDownLatch connected,
                             ConcurrentHashMap<String, CountDownLatch> pending,
                             ConcurrentHashMap<String, List<Long>> arrivals) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            boolean first = true;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (first) {
                    connected.countDown();
                    first = false;
                }
                if (line.startsWith("data: ") && line.contains("\"bench/" + key + "\"")) {
                    long now = System.nanoTime();
                    int at = line.indexOf("\"version\":") + 10;
                    String version = line.substring(at, line.indexOf(',', at));
                    List<Long> times = arrivals.get(version);
                    CountDownLatch latch = pending.get(version);
                    if (times != null && latch != null) {
                        times.add(now);
                        latch.countDown();
                    }
                }
            }
        } catch (IOException e) {
            // closed at the end
        }
    }

    static double ms(long[] sorted, int n, double quantile) {
        return sorted[Math.min(n - 1, (int) Math.ceil(quantile * n) - 1)] / 1e6;
    }
}
