package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.testing.postgresql.NetworkPartition;
import io.ensign.testing.postgresql.PostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two server processes on one database, node A reaching PostgreSQL through a {@link NetworkPartition} and node B
 * directly, with the store's default time-outs. While the network between A and the database is cut (no byte passes,
 * nothing is refused), A answers writes 503 with {@code Retry-After} within seconds instead of hanging, says why on
 * {@code /health/ready}, and goes on evaluating over OFREP from its snapshot, while B goes on writing. Once the network
 * is back A writes again without a restart and evaluates what B wrote meanwhile; the refused write changed nothing.
 * The times are printed.
 */
class NetworkPartitionIT extends PostgresServers {
    private static final String CONTEXT = "{\"context\":{\"targetingKey\":\"u1\"}}";

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aNodeCutOffFromTheDatabaseRefusesWritesKeepsEvaluatingAndRecovers() throws Exception {
        PostgresCluster cluster = POSTGRES.cluster();
        String url = newDatabase();
        try (NetworkPartition network = new NetworkPartition(cluster.port());
             ServerProcess a = node("a", url.replace(":" + cluster.port() + "/", ":" + network.port() + "/"));
             ServerProcess b = node("b", url)) {
            HttpDriver onA = a.driver().awaitReady();
            HttpDriver onB = b.driver().awaitReady();
            onA.expect(201, "PUT", "/api/v1/flags/before", ADMIN, FLAG);
            String sdk = onA.token("sdk", "production");

            network.partition();
            long cutAt = System.nanoTime();
            long healedAt;
            try {
                HttpResponse<String> refused = onA.send("PUT", "/api/v1/flags/during", ADMIN, FLAG);
                long refusedAfter = millisSince(cutAt);
                onA.assertError(refused, 503, "STORE_UNAVAILABLE");
                assertTrue(refused.headers().firstValue("Retry-After").isPresent(), refused.headers().toString());
                assertTrue(refusedAfter < 20_000, "refused after " + refusedAfter + " ms");
                HttpResponse<String> ready = onA.send("GET", "/health/ready", null, null);
                assertEquals(503, ready.statusCode(), ready.body());
                assertTrue(ready.body().contains("PostgreSQL"), ready.body());
                JsonNode evaluated = onA.expect(200, "POST", "/ofrep/v1/evaluate/flags/before", sdk, CONTEXT);
                assertTrue(evaluated.path("value").asBoolean(false), evaluated.toString());
                long otherStart = System.nanoTime();
                onB.expect(201, "PUT", "/api/v1/flags/meanwhile", ADMIN, FLAG);
                System.out.printf("partition: node A refused a write after %d ms, node B wrote in %d ms%n",
                        refusedAfter, millisSince(otherStart));
            } finally {
                network.heal();
                healedAt = System.nanoTime();
            }
            long deadline = healedAt + TimeUnit.SECONDS.toNanos(60);
            int status;
            do {
                status = onA.send("PUT", "/api/v1/flags/after", ADMIN, FLAG).statusCode();
            } while (status != 201 && System.nanoTime() < deadline);
            assertEquals(201, status, "node A writes once the network is back");
            long writesAgain = millisSince(healedAt);
            do {
                status = onA.send("POST", "/ofrep/v1/evaluate/flags/meanwhile", sdk, CONTEXT).statusCode();
            } while (status != 200 && System.nanoTime() < deadline);
            assertEquals(200, status, "node A evaluates the flag node B wrote during the partition");
            System.out.printf("partition healed: node A wrote again after %d ms and evaluated node B's flag after"
                    + " %d ms%n", writesAgain, millisSince(healedAt));
            assertEquals(404, onB.send("GET", "/api/v1/flags/during", ADMIN, null).statusCode(),
                    "the refused write changed nothing");
            onB.expect(200, "GET", "/api/v1/flags/after", ADMIN, null);
            assertEquals(200, onA.send("GET", "/health/ready", null, null).statusCode());
        }
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
