package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Audit delivery on two server processes of one PostgreSQL database. A webhook subscription — a sink of the cluster —
 * receives each record once, from the node that leads, while the other node follows the shared cursor; after
 * {@code kill -9} of the leading node the other takes the lead and continues from that cursor: no record missing,
 * at most the one in flight twice. Each node's journal — a sink of the node — holds the same hash chain.
 */
class ClusterAuditIT extends PostgresServers {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ConcurrentLinkedQueue<Long> received = new ConcurrentLinkedQueue<>();

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aClusterSinkGetsEachRecordOnceAndTheOtherNodeTakesOverWhenTheLeaderIsKilled() throws Exception {
        String url = newDatabase();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            received.add(Long.parseLong(exchange.getRequestHeaders().getFirst("X-Ensign-Sequence")));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try (ServerProcess a = node("a", url)) {
            HttpDriver onA = a.driver().awaitReady();
            Eventually.await(WAIT, () -> logSays("a", "this node leads"), "node a takes the lead, alone on the database");
            try (ServerProcess b = node("b", url)) {
                HttpDriver onB = b.driver().awaitReady();
                JsonNode subscription = onA.expect(201, "POST", "/api/v1/webhooks", ADMIN, "{\"url\":\"http://127.0.0.1:"
                        + receiver.getAddress().getPort() + "/hook\",\"kinds\":[\"flag\"]}");
                String sink = subscription.path("sink").asText();
                long startAfter = subscription.path("startAfter").asLong();
                for (int i = 0; i < 30; i++) {
                    (i % 2 == 0 ? onA : onB).expect(201, "PUT", "/api/v1/flags/audited-" + i, ADMIN, FLAG);
                }
                List<Long> written = flagSequences(onB, startAfter);
                assertEquals(30, written.size());
                Eventually.await(WAIT, () -> received.size() >= written.size(), "30 deliveries");
                Thread.sleep(1_000);
                assertEquals(written, List.copyOf(received), "each record once, in order, from one node");
                long last = written.get(written.size() - 1);
                Eventually.await(WAIT, () -> cursor(onA, sink) == last && cursor(onB, sink) == last,
                        "both nodes show the shared cursor at " + last);
                assertTrue(Files.readString(work.resolve("b.log")).lines().noneMatch(l -> l.contains("this node leads")),
                        "node b only follows");

                a.kill();
                for (int i = 30; i < 50; i++) {
                    onB.expect(201, "PUT", "/api/v1/flags/audited-" + i, ADMIN, FLAG);
                }
                List<Long> all = flagSequences(onB, startAfter);
                Eventually.await(WAIT, () -> received.containsAll(all), "node b delivers what was written after the kill");
                assertTrue(logSays("b", "this node leads"), "node b took the lead");
                Map<Long, Long> times = received.stream().collect(Collectors.groupingBy(Function.identity(),
                        Collectors.counting()));
                assertEquals(all.size(), times.size(), "every record delivered, none else: " + times);
                long twice = times.values().stream().filter(n -> n > 1).count();
                assertTrue(twice <= 1 && times.values().stream().allMatch(n -> n <= 2),
                        "at most the record in flight at the kill twice: " + times);
                System.out.printf("cluster webhook: %d records, %d delivered twice around the kill%n", all.size(),
                        twice);

                List<String> journalA = Files.readAllLines(work.resolve("a").resolve("audit").resolve("journal.jsonl"));
                List<String> journalB = Files.readAllLines(work.resolve("b").resolve("audit").resolve("journal.jsonl"));
                assertTrue(journalA.size() > 30, "node a journaled what it saw");
                assertEquals(journalA, journalB.subList(0, journalA.size()), "one hash chain on both nodes");
            }
        } finally {
            receiver.stop(0);
        }
    }

    private boolean logSays(String node, String text) {
        try {
            return Files.readString(work.resolve(node + ".log")).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** The sequences of the flag records after {@code after}, from the change log. */
    private static List<Long> flagSequences(HttpDriver node, long after) {
        List<Long> sequences = new ArrayList<>();
        for (JsonNode record : node.expect(200, "GET", "/api/v1/audit?limit=1000&since=" + after, ADMIN, null)
                .path("records")) {
            if ("flag".equals(record.path("kind").asText())) {
                sequences.add(record.path("sequence").asLong());
            }
        }
        return sequences;
    }

    private static long cursor(HttpDriver node, String sink) {
        for (JsonNode status : node.expect(200, "GET", "/api/v1/audit/sinks", ADMIN, null)) {
            if (sink.equals(status.path("name").asText())) {
                return status.path("cursor").asLong();
            }
        }
        return -1;
    }
}
