package io.ensign.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load driver for experiment event ingestion over HTTP against a running server (not JMH: the server is another
 * process). Modes:
 * <ul>
 *   <li>{@code events}: N threads post batches of B fresh exposure events (unique ids and units) to
 *   {@code POST /api/v1/events} for S seconds; prints events/s and batch latency.</li>
 *   <li>{@code live}: the same threads send {@code GET /health/live} for S seconds, the transport baseline.</li>
 *   <li>{@code results}: ingests U units (an exposure and a revenue event each, a conversion for every fourth)
 *   with N threads, then times {@code GET /api/v1/experiments/{key}/results} R times; prints the median.</li>
 * </ul>
 * Usage: {@code EventIngestLoad <baseUrl> <adminToken> <mode> <threads> <batch> <seconds|units> [runs]}.
 */
public final class EventIngestLoad {
    private static final String TIMESTAMP = "2026-11-26T10:00:00Z";

    private final String base;
    private final String token;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private EventIngestLoad(String base, String token) {
        this.base = base;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        EventIngestLoad load = new EventIngestLoad(args[0], args[1]);
        String mode = args[2];
        int threads = Integer.parseInt(args[3]);
        int batch = Integer.parseInt(args[4]);
        long amount = Long.parseLong(args[5]);
        String key = "bench-exp-" + Long.toHexString(System.nanoTime());
        load.startExperiment(key);
        switch (mode) {
            case "events" -> load.ingestFor(key, threads, batch, amount);
            case "live" -> load.liveFor(threads, amount);
            case "results" -> load.results(key, threads, batch, amount, args.length > 6 ? Integer.parseInt(args[6]) : 7);
            default -> throw new IllegalArgumentException("mode must be events, live or results");
        }
    }

    private void startExperiment(String key) throws Exception {
        // one flag per run: a flag has at most one running experiment per environment
        send("PUT", "/api/v1/flags/" + key, "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},"
                + "\"defaultVariant\":\"off\"}");
        expect(201, send("PUT", "/api/v1/experiments/" + key, "{\"flag\":\"" + key + "\",\"environment\":"
                + "\"development\",\"control\":\"off\",\"weights\":{\"off\":50,\"on\":50},\"metrics\":["
                + "{\"name\":\"converted\",\"kind\":\"proportion\"},{\"name\":\"revenue\",\"kind\":\"mean\"}],"
                + "\"primaryMetric\":\"converted\",\"minimumDetectableEffect\":0.01}"));
        expect(200, send("POST", "/api/v1/experiments/" + key + "/start", null));
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.statusCode() + " " + response.body());
        }
    }

    /** A batch of events for units {@code first ..}; {@code metrics} adds revenue and some conversions. */
    private static String batch(String key, String prefix, long first, int units, boolean metrics) {
        StringBuilder b = new StringBuilder(units * (metrics ? 400 : 150)).append("{\"events\":[");
        for (long u = first; u < first + units; u++) {
            if (u > first) {
                b.append(',');
            }
            String unit = prefix + u;
            String variant = (u & 1) == 0 ? "off" : "on";
            b.append("{\"id\":\"x-").append(unit).append("\",\"type\":\"exposure\",\"experiment\":\"").append(key)
                    .append("\",\"unit\":\"").append(unit).append("\",\"variant\":\"").append(variant)
                    .append("\",\"timestamp\":\"").append(TIMESTAMP).append("\"}");
            if (metrics) {
                metric(b, key, "r-" + unit, unit, "revenue", (u % 17) * 1.5);
                if (u % 4 == 0) {
                    metric(b, key, "c-" + unit, unit, "converted", 1);
                }
            }
        }
        return b.append("]}").toString();
    }

    private static void metric(StringBuilder b, String key, String id, String unit, String metric, double value) {
        b.append(",{\"id\":\"").append(id).append("\",\"type\":\"metric\",\"experiment\":\"").append(key)
                .append("\",\"metric\":\"").append(metric).append("\",\"unit\":\"").append(unit)
                .append("\",\"value\":").append(value).append(",\"timestamp\":\"").append(TIMESTAMP).append("\"}");
    }

    private void ingestFor(String key, int threads, int batch, long seconds) throws Exception {
        AtomicLong next = new AtomicLong();
        AtomicLong events = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        runFor(threads, seconds, () -> {
            String body = batch(key, "u", next.getAndAdd(batch), batch, false);
            long start = System.nanoTime();
            HttpResponse<String> response = send("POST", "/api/v1/events", body);
            latencies.add(System.nanoTime() - start);
            expect(202, response);
            events.addAndGet(batch);
        }, 5, () -> {
            events.set(0);
            latencies.clear();
        });
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("events: %d threads, batches of %d, %d s: %.0f events/s, batch p50 %.1f ms, p99 %.1f ms%n",
                threads, batch, seconds, events.get() / (double) seconds, sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6);
    }

    private void liveFor(int threads, long seconds) throws Exception {
        AtomicLong requests = new AtomicLong();
        HttpRequest live = HttpRequest.newBuilder(URI.create(base + "/health/live")).build();
        runFor(threads, seconds, () -> {
            expect(200, client.send(live, HttpResponse.BodyHandlers.ofString()));
            requests.incrementAndGet();
        }, 5, () -> requests.set(0));
        System.out.printf("live: %d threads, %d s: %.0f requests/s%n", threads, seconds, requests.get() / (double) seconds);
    }

    private void results(String key, int threads, int batch, long units, int runs) throws Exception {
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        runUntil(threads, Long.MAX_VALUE, () -> {
            long first = next.getAndAdd(batch);
            if (first >= units) {
                throw new Done();
            }
            expect(202, send("POST", "/api/v1/events", batch(key, "r", first, (int) Math.min(batch, units - first), true)));
        });
        double ingestSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("ingested %d units (%d events) in %.1f s%n", units, units * 2 + (units + 3) / 4, ingestSeconds);
        long[] millis = new long[runs];
        String body = null;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> response = send("GET", "/api/v1/experiments/" + key + "/results", null);
            millis[i] = (System.nanoTime() - t0) / 1_000_000;
            expect(200, response);
            body = response.body();
        }
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.printf("results of %d units: %s ms, median %d ms%n", units, Arrays.toString(millis),
                sorted[runs / 2]);
        System.out.println(body.substring(0, Math.min(400, body.length())));
    }

    /** Ends a worker's loop once the work is shared out. */
    private static final class Done extends Exception {
        private static final long serialVersionUID = 1L;

        Done() {
            super(null, null, false, false);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /**
     * Runs {@code step} in a loop on each thread for a warm-up of {@code warmup} s, calls {@code reset} (the
     * counters start again), then runs it for {@code seconds} more.
     */
    private static void runFor(int threads, long seconds, Step step, long warmup, Runnable reset) throws Exception {
        runUntil(threads, System.nanoTime() + warmup * 1_000_000_000L, step);
        reset.run();
        runUntil(threads, System.nanoTime() + seconds * 1_000_000_000L, step);
    }

    private static void runUntil(int threads, long deadline, Step step) throws InterruptedException {
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                try {
                    while (System.nanoTime() < deadline) {
                        step.run();
                    }
                } catch (Done e) {
                    // this worker's share is done
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }
}
