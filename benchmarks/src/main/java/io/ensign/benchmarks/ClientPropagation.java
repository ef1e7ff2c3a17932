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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.client.EnsignClient;

/**
 * Propagation to Java clients against a running server: {@code clients} instances of {@code EnsignClient}, each with
 * its own connection, follow the production environment; each write is a flag PUT, and a sample is the time from the
 * commit of that write (its audit record's time, which is also the {@code time} its stream event carries) to one
 * client having applied it (its change listener running with the new value readable). Writes go one at a time,
 * the next once every client has the previous one. Client and server share the machine's clock. The same samples are
 * also given from each write's publication (the {@code published} of its event, on a stream the driver follows), so
 * the commit's own share (forcing it to disk) shows apart.
 *
 * <p>Usage: {@code java -cp ... io.ensign.benchmarks.ClientPropagation <baseUrl> <adminToken> [clients] [writes]}
 */
public final class ClientPropagation {
    private static final int WARMUP_WRITES = 20;
    private static final String FLAG = "propagation";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClientPropagation() {
    }

    /** One client having applied one write: the value it read and when. */
    private record Applied(String value, Instant at) {
    }

    public static void main(String[] args) throws Exception {
        DriverArguments arguments = DriverArguments.parse(args, "ClientPropagation", "clients");
        String base = arguments.base();
        String admin = arguments.adminToken();
        int clients = arguments.listeners();
        int writes = arguments.writes();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String sdk = send(http, base, admin, "POST", "/api/v1/tokens",
                "{\"name\":\"propagation\",\"role\":\"sdk\",\"environment\":\"production\"}").path("token").asText();
        put(http, base, admin, "w-start");
        Map<Long, Instant> published = publications(http, base, admin);

        ConcurrentLinkedQueue<Applied> applied = new ConcurrentLinkedQueue<>();
        Map<String, CountDownLatch> awaited = new ConcurrentHashMap<>();
        List<EnsignClient> fleet = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            EnsignClient client = EnsignClient.builder(base, sdk).build();
            client.onFlagChange(FLAG, key -> {
                String value = client.stringValue(FLAG, null, null);
                applied.add(new Applied(value, Instant.now()));
                CountDownLatch latch = awaited.get(value);
                if (latch != null) {
                    latch.countDown();
                }
            });
            fleet.add(client);
        }
        for (EnsignClient client : fleet) {
            if (!client.awaitReady(Duration.ofSeconds(60))) {
                throw new IllegalStateException("a client did not become ready");
            }
        }

        Map<String, Long> measuredVersions = new HashMap<>();
        for (int w = 0; w < WARMUP_WRITES + writes; w++) {
            String value = "w-" + w;
            CountDownLatch all = new CountDownLatch(clients);
            awaited.put(value, all);
            long version = put(http, base, admin, value);
            if (w >= WARMUP_WRITES) {
                measuredVersions.put(value, version);
            }
            if (!all.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("write " + value + " reached " + (clients - all.getCount())
                        + " of " + clients + " clients");
            }
        }
        Map<Long, Instant> committed = commitTimes(http, base, admin, FLAG);
        report(clients, writes, "commit", applied, measuredVersions, committed);
        report(clients, writes, "publication", applied, measuredVersions, published);
        fleet.forEach(EnsignClient::close);
        System.exit(0);
    }

    /**
     * Prints the distribution of the time from each measured write's {@code start} (its commit, or its publication
     * by the server) to each client having applied it.
     */
    private static void report(int clients, int writes, String start, Iterable<Applied> applied,
                               Map<String, Long> measuredVersions, Map<Long, Instant> startTimes) {
        long[] samples = new long[clients * writes];
        int n = 0;
        for (Applied a : applied) {
            Long version = measuredVersions.get(a.value());
            Instant from = version == null ? null : startTimes.get(version);
            if (from != null && n < samples.length) {
                samples[n++] = Duration.between(from, a.at()).toNanos();
            }
        }
        Arrays.sort(samples, 0, n);
        System.out.printf("clients %d, writes %d, samples %d: %s -> applied by a client p50 %.1f ms,"
                        + " p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", clients, writes, n, start,
                StreamLatency.ms(samples, n, 0.50), StreamLatency.ms(samples, n, 0.90),
                StreamLatency.ms(samples, n, 0.99), StreamLatency.ms(samples, n, 1.0));
    }

    /**
     * Follows the change stream on a thread of its own and keeps, for each version of the flag, when the server
     * published its event (the event's {@code published}).
     */
    private static Map<Long, Instant> publications(HttpClient http, String base, String admin) throws Exception {
        Map<Long, Instant> published = new ConcurrentHashMap<>();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(base
                + "/api/v1/stream?environment=production")).header("Authorization", "Bearer " + admin).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("data:")) {
                        JsonNode event = JSON.readTree(line.substring(5));
                        if (FLAG.equals(event.path("key").asText())) {
                            published.put(event.path("version").asLong(),
                                    Instant.parse(event.path("published").asText()));
                        }
                    }
                }
            } catch (IOException e) {
                // the driver is ending
            }
        }, "publications");
        reader.setDaemon(true);
        reader.start();
        return published;
    }

    /** Writes the flag with one variant of this value; returns the flag's new version. */
    private static long put(HttpClient http, String base, String admin, String value) throws Exception {
        return send(http, base, admin, "PUT", "/api/v1/flags/" + FLAG, "{\"type\":\"string\","
                + "\"variants\":{\"only\":\"" + value + "\"},\"defaultVariant\":\"only\"}").path("version").asLong();
    }

    /** The commit time of every write of {@code flag}, by the flag version it made, from the audit trail. */
    static Map<Long, Instant> commitTimes(HttpClient http, String base, String admin, String flag) throws Exception {
        Map<Long, Instant> times = new HashMap<>();
        long since = 0;
        while (true) {
            JsonNode page = send(http, base, admin, "GET", "/api/v1/audit?limit=1000&since=" + since, null);
            for (JsonNode record : page.path("records")) {
                if ("flag".equals(record.path("kind").asText()) && flag.equals(record.path("key").asText())) {
                    times.put(record.path("version").asLong(), Instant.parse(record.path("time").asText()));
                }
            }
            long next = page.path("next").asLong();
            if (next == since) {
                return times;
            }
            since = next;
        }
    }

    private static JsonNode send(HttpClient http, String base, String token, String method, String path, String body)
            throws Exception {
        return JSON.readTree(AdminHttp.send(http, base, token, method, path, body));
    }
}
