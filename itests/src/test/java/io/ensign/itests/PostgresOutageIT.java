package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.testing.postgresql.PostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server process on PostgreSQL while the database is stopped ({@code pg_ctl stop -m immediate}) and started
 * again: a write answers 503 STORE_UNAVAILABLE with Retry-After and changes nothing, /health/ready answers 503 naming
 * the store, evaluations over OFREP go on from the snapshot, and once PostgreSQL is back writes succeed again with no
 * restart of the server; the time from the start of PostgreSQL to the first successful write is printed.
 */
class PostgresOutageIT extends PostgresServers {
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void writesAnswer503WhileTheDatabaseIsAwayAndResumeOnceItIsBack() throws Exception {
        PostgresCluster cluster = POSTGRES.cluster();
        String url = newDatabase();
        try (ServerProcess server = node("server", url)) {
            HttpDriver http = server.driver().awaitReady();
            http.expect(201, "PUT", "/api/v1/flags/outage", ADMIN, FLAG);
            String sdk = http.token("sdk", "production");

            cluster.stopImmediately();
            long restartedAt;
            try {
                HttpResponse<String> refused = http.send("PUT", "/api/v1/flags/during-outage", ADMIN, FLAG);
                http.assertError(refused, 503, "STORE_UNAVAILABLE");
                assertTrue(refused.headers().firstValue("Retry-After").isPresent(), refused.headers().toString());
                HttpResponse<String> ready = http.send("GET", "/health/ready", null, null);
                assertEquals(503, ready.statusCode(), ready.body());
                assertTrue(ready.body().contains("PostgreSQL"), ready.body());
                JsonNode evaluated = http.expect(200, "POST", "/ofrep/v1/evaluate/flags/outage", sdk,
                        "{\"context\":{\"targetingKey\":\"u1\"}}");
                assertTrue(evaluated.path("value").asBoolean(false), evaluated.toString());
                JsonNode bulk = http.expect(200, "POST", "/ofrep/v1/evaluate/flags", sdk,
                        "{\"context\":{\"targetingKey\":\"u1\"}}");
                assertTrue(bulk.path("flags").toString().contains("\"outage\""), bulk.toString());
            } finally {
                cluster.restart();
                restartedAt = System.nanoTime();
            }
            long deadline = restartedAt + TimeUnit.SECONDS.toNanos(60);
            int status;
            do {
                status = http.send("PUT", "/api/v1/flags/after-outage", ADMIN, FLAG).statusCode();
            } while (status != 201 && System.nanoTime() < deadline);
            assertEquals(201, status, "a write once PostgreSQL is back");
            System.out.printf("first successful write %.0f ms after PostgreSQL was started again%n",
                    (System.nanoTime() - restartedAt) / 1e6);
            assertEquals(404, http.send("GET", "/api/v1/flags/during-outage", ADMIN, null).statusCode(),
                    "the refused write changed nothing");
            http.expect(200, "GET", "/api/v1/flags/outage", ADMIN, null);
        }
    }
}
