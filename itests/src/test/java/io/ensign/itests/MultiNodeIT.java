package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two server processes on one PostgreSQL database, written to in turn: each node's change stream carries every
 * node's changes, in the same order and with the same event ids, and a flag written on one node is evaluated on the
 * other once the change has come over (LISTEN/NOTIFY, the change log as the source of truth).
 */
class MultiNodeIT extends PostgresServers {
    private static final int WRITES = 20;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyNodesStreamCarriesEveryNodesChangesWithTheSameIds() throws Exception {
        String url = newDatabase();
        try (ServerProcess a = node("a", url);
             ServerProcess b = node("b", url)) {
            HttpDriver onA = a.driver().awaitReady();
            HttpDriver onB = b.driver().awaitReady();
            try (Stream fromA = new Stream(onA); Stream fromB = new Stream(onB)) {
                for (int i = 0; i < WRITES; i++) {
                    HttpDriver writer = i % 2 == 0 ? onA : onB;
                    writer.expect(201, "PUT", "/api/v1/flags/node-flag-" + i, ADMIN, FLAG);
                }
                List<String> seenOnA = fromA.take(WRITES);
                List<String> seenOnB = fromB.take(WRITES);
                assertEquals(seenOnA, seenOnB);
                for (int i = 0; i < WRITES; i++) {
                    assertTrue(seenOnA.get(i).endsWith(" flag node-flag-" + i), seenOnA.toString());
                }
            }
            long start = System.nanoTime();
            onA.expect(201, "PUT", "/api/v1/flags/cross-node", ADMIN, FLAG);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int status;
            do {
                status = onB.send("POST", "/ofrep/v1/evaluate/flags/cross-node", ADMIN,
                        "{\"context\":{\"targetingKey\":\"u\"}}").statusCode();
            } while (status != 200 && System.nanoTime() < deadline);
            assertEquals(200, status, "the flag written on node A is evaluated on node B");
            System.out.printf("a flag written on node A evaluated on node B after %.1f ms%n",
                    (System.nanoTime() - start) / 1e6);
        }
    }

    /** One node's change stream, read on a thread of its own: each event as "id kind key". */
    private final class Stream implements AutoCloseable {
        private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        private final InputStream body;

        Stream(HttpDriver node) throws IOException, InterruptedException {
            HttpResponse<InputStream> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(node.request("GET", "/api/v1/stream", ADMIN, null).timeout(Duration.ofMinutes(5)).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            body = response.body();
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    String id = null;
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.startsWith("id: ")) {
                            id = line.substring(4);
                        } else if (line.startsWith("data: ")) {
                            JsonNode data = MAPPER.readTree(line.substring(6));
                            events.add(id + " " + data.path("kind").asText() + " " + data.path("key").asText());
                        }
                    }
                } catch (IOException closed) {
                    // the test closed the stream
                }
            }, "multi-node-stream");
            reader.setDaemon(true);
            reader.start();
        }

        List<String> take(int n) throws InterruptedException {
            List<String> taken = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String event = events.poll(10, TimeUnit.SECONDS);
                assertNotNull(event, "event " + (i + 1) + " of " + n + " after " + taken);
                taken.add(event);
            }
            return taken;
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
