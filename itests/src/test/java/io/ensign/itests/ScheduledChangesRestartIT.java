package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server process, killed before a scheduled change is due and started again after: the change is applied
 * at the start, late, with its lateness in the audit record, and once — a further restart writes nothing more.
 */
class ScheduledChangesRestartIT {
    private static final String ADMIN = EnsignConfiguration.ADMIN_TOKEN;
    private static final String FLAG = "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},"
            + "\"defaultVariant\":\"on\"}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path work;

    /** The scheduler's writes of the flag in the audit trail. */
    private static long schedulerWrites(HttpDriver driver) {
        long writes = 0;
        for (JsonNode record : driver.expect(200, "GET", "/api/v1/audit?since=0&limit=1000", ADMIN, null)
                .path("records")) {
            if ("flag".equals(record.path("kind").asText()) && record.path("actor").asText().startsWith("scheduler")) {
                writes++;
            }
        }
        return writes;
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aChangeDueWhileTheServerWasDownIsAppliedLateAtItsStartAndOnce() throws Exception {
        Path data = work.resolve("data");
        Path log = work.resolve("server.log");
        Instant at;
        String id;
        try (ServerProcess server = ServerProcess.start(data, log, http)) {
            HttpDriver driver = server.driver();
            driver.expect(201, "PUT", "/api/v1/flags/night-switch", ADMIN, FLAG);
            at = Instant.now().plusSeconds(3);
            id = driver.expect(201, "POST", "/api/v1/schedules", ADMIN, "{\"at\":\"" + at + "\",\"action\":"
                    + "{\"type\":\"flag-enabled\",\"flag\":\"night-switch\",\"enabled\":false}}").path("id").asText();
            server.kill();
        }
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), at).toMillis()) + 2_000);

        try (ServerProcess restarted = ServerProcess.start(data, log, http)) {
            HttpDriver driver = restarted.driver();
            JsonNode change;
            long deadline = System.currentTimeMillis() + 30_000;
            do {
                Thread.sleep(200);
                change = driver.expect(200, "GET", "/api/v1/schedules/" + id, ADMIN, null);
            } while (!"applied".equals(change.path("state").asText()) && System.currentTimeMillis() < deadline);
            assertEquals("applied", change.path("state").asText(), change.toString());
            assertTrue(change.path("lateMillis").asLong() >= 2_000, change.toString());
            assertEquals("DISABLED", driver.expect(200, "POST", "/ofrep/v1/evaluate/flags/night-switch", ADMIN,
                    "{\"context\":{\"targetingKey\":\"u\"}}").path("reason").asText());
            assertEquals(1, schedulerWrites(driver));
        }
        try (ServerProcess again = ServerProcess.start(data, log, http)) {
            Thread.sleep(1_000);
            assertEquals(1, schedulerWrites(again.driver()), "a restart applies nothing twice");
        }
    }
}
