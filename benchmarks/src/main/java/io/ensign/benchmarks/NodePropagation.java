package io.ensign.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.testing.postgresql.PostgresCluster;

/**
 * Propagation between nodes: a PostgreSQL cluster of its own (initdb, pg_ctl, a free port) and three server
 * processes of a built distribution on it. Each write is a flag PUT on node A; nodes B and C are then asked over
 * OFREP, each by a thread of its own in a loop, until they answer the written value. A sample is the time from the
 * write's commit (its audit record's time) to one node's first answer with the new value. Writes go one at a time.
 *
 * <p>Usage: {@code java -cp ... io.ensign.benchmarks.NodePropagation <distribution directory> [writes=1000]}
 */
public final class NodePropagation {
    private static final String ADMIN = "bench-admin-token";
    private static final String FLAG = "propagation";
    private static final int WARMUP_WRITES = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodePropagation() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: NodePropagation <distribution directory> [writes=1000]");
            System.exit(2);
        }
        Path distribution = Path.of(args[0]).toAbsolutePath();
        int writes = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path work = Files.createTempDirectory("ensign-node-propagation");
        System.out.println("data directories and logs in " + work);
        List<Process> nodes = new CopyOnWriteArrayList<>();
        PostgresCluster cluster = PostgresCluster.start();
        // Also when the driver is interrupted: no server process or database is left behind.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            nodes.forEach(Process::destroy);
            for (Process node : nodes) {
                try {
                    node.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            cluster.close();
        }));
        String url = cluster.storeUrl(cluster.createDatabase());
        List<String> bases = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            int port = freePort();
            ProcessBuilder node = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-jar", distribution.resolve("lib/ensign-launcher.jar").toString(), "--port",
                    Integer.toString(port), "--host", "127.0.0.1", "--data", work.resolve(name).toString(),
                    "--store", url)
                    .redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile())
                    .directory(distribution.toFile());
            node.environment().put("ENSIGN_ADMIN_TOKEN", ADMIN);
            node.environment().put("ENSIGN_STORE_PASSWORD", cluster.password());
            nodes.add(node.start());
            bases.add("http://127.0.0.1:" + port);
        }
        run(bases, writes, cluster);
        System.exit(0);
    }

    private static void run(List<String> bases, int writes, PostgresCluster cluster) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (String base : bases) {
            awaitReady(http, base);
        }
        String a = bases.get(0);
        ExecutorService pollers = Executors.newFixedThreadPool(2);
        Map<Long, List<Instant>> seen = new HashMap<>();
        for (int w = 0; w < WARMUP_WRITES + writes; w++) {
            String value = "w-" + w;
            long version = JSON.readTree(AdminHttp.send(http, a, ADMIN, "PUT", "/api/v1/flags/" + FLAG,
                    "{\"type\":\"string\",\"variants\":{\"only\":\"" + value + "\"},\"defaultVariant\":\"only\"}"))
                    .path("version").asLong();
            List<Future<Instant>> answers = new ArrayList<>();
            for (String node : bases.subList(1, 3)) {
                answers.add(pollers.submit(() -> awaitValue(http, node, value)));
            }
            List<Instant> at = new ArrayList<>();
            for (Future<Instant> answer : answers) {
                at.add(answer.get());
            }
            if (w >= WARMUP_WRITES) {
                seen.put(version, at);
            }
        }
        pollers.shutdown();
        Map<Long, Instant> committed = ClientPropagation.commitTimes(http, a, ADMIN, FLAG);
        long[] samples = new long[seen.size() * 2];
        int n = 0;
        for (Map.Entry<Long, List<Instant>> write : seen.entrySet()) {
            for (Instant at : write.getValue()) {
                samples[n++] = Duration.between(committed.get(write.getKey()), at).toNanos();
            }
        }
        Arrays.sort(samples, 0, n);
        System.out.printf("writes %d on node A, samples %d (nodes B and C): commit -> evaluated on another node"
                        + " p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (PostgreSQL %s)%n", writes, n,
                StreamLatency.ms(samples, n, 0.50), StreamLatency.ms(samples, n, 0.90),
                StreamLatency.ms(samples, n, 0.99), StreamLatency.ms(samples, n, 1.0), cluster.jdbcUrl("postgres"));
    }

    /** Asks the node over OFREP until it answers the value; the moment it first did. */
    private static Instant awaitValue(HttpClient http, String base, String value) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/ofrep/v1/evaluate/flags/" + FLAG))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"context\":{\"targetingKey\":\"u\"}}")).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && value.equals(JSON.readTree(response.body()).path("value").asText())) {
                return Instant.now();
            }
        }
        throw new IllegalStateException(base + " did not answer " + value + " within 30 s");
    }

    private static void awaitReady(HttpClient http, String base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(base + " did not become ready");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
