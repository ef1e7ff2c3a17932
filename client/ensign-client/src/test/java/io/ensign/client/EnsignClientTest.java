package io.ensign.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.evaluation.MissingTargetingKey;
import io.ensign.api.model.ErrorCode;
import io.ensign.api.model.EvaluationContext;
import io.ensign.api.model.EvaluationResult;
import io.ensign.api.model.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client without a server (its port refuses connections): it starts from the bootstrap file, evaluates and
 * reads configuration from it, and tracking drops what does not fit without blocking. The client against a real
 * server is ClientIT's.
 */
class EnsignClientTest {
    @TempDir
    Path dir;

    /** A loopback URL where nothing listens. */
    private static String nowhere() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    private Path bootstrap() throws IOException {
        Path file = dir.resolve("bootstrap.json");
        try (InputStream in = getClass().getResourceAsStream("bootstrap.json")) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    private EnsignClient.Builder builder() throws IOException {
        return EnsignClient.builder(nowhere(), "sdk-token").reconnectDelay(Duration.ofMillis(50),
                Duration.ofMillis(200)).closeTimeout(Duration.ofMillis(500))
                .operator("is_even", values -> v -> v instanceof Long n && n % 2 == 0);
    }

    private static EvaluationContext ctx(String key, Map<String, Object> attributes) {
        return new EvaluationContext(key, attributes);
    }

    @Test
    void startsFromTheBootstrapFileAndEvaluatesWithBuiltInAndCustomOperators() throws IOException {
        try (EnsignClient client = builder().bootstrapFile(bootstrap()).build()) {
            assertEquals(ClientStatus.STALE, client.status());
            assertEquals(42, client.version());
            assertTrue(client.booleanValue("new-checkout", ctx("u1", Map.of("country", "NL")), false));
            assertFalse(client.booleanValue("new-checkout", ctx("u1", Map.of("country", "FR")), true));
            assertTrue(client.booleanValue("new-checkout", ctx("vip", Map.of()), false), "override");
            assertTrue(client.booleanValue("new-checkout", ctx("u1", Map.of("age", 30L)), false), "custom operator");
            EvaluationResult staff = client.evaluate("limit", ctx("u2", Map.of("email", "a@ensign.example")));
            assertEquals(7.5, staff.value());
            assertEquals(Reason.TARGETING_MATCH, staff.reason());
            assertEquals(3L, client.longValue("limit", ctx("u2", Map.of()), -1));
            assertEquals(-1, client.longValue("limit", ctx("u2", Map.of("email", "a@ensign.example")), -1),
                    "7.5 is no long");
            assertEquals(3.0, client.doubleValue("limit", null, 0));
            assertEquals("blue", client.stringValue("new-checkout", null, "blue"), "a boolean is no string");
            assertEquals(ErrorCode.FLAG_NOT_FOUND, client.evaluate("nope", null).errorCode());
            EvaluationResult split = client.evaluate("button", ctx("u3", Map.of()));
            assertEquals(Reason.SPLIT, split.reason());
            assertEquals("button-test", split.metadata().get("experiment"));
            assertEquals(Reason.DEFAULT, client.evaluate("button", ctx(null, Map.of()),
                    MissingTargetingKey.ERROR).reason(), "the experiment takes units with a key only");
        }
    }

    @Test
    void configurationReadsTypedValuesAndDefaultsWhateverIsAbsentOrOfAnotherType() throws IOException {
        try (EnsignClient client = builder().bootstrapFile(bootstrap()).build()) {
            assertEquals(2500, client.getInt("checkout", "timeoutMs", 1));
            assertEquals(2500L, client.getLong("checkout", "timeoutMs", 1));
            assertEquals(1, client.getInt("checkout", "ratio", 1), "0.25 is no int");
            assertEquals(0.25, client.getDouble("checkout", "ratio", 1));
            assertEquals("Pay", client.getString("checkout", "title", "x"));
            assertEquals("x", client.getString("checkout", "timeoutMs", "x"));
            assertTrue(client.getBoolean("checkout", "express", false));
            assertEquals("dflt", client.getString("nowhere", "title", "dflt"));
            JsonNode limits = client.getJson("checkout", "limits");
            assertEquals("EUR", limits.path("currency").asText());
            assertTrue(client.getJson("checkout", "missing").isMissingNode());
            Limits mapped = client.getJson("checkout", "limits", Limits.class, null);
            assertEquals(new Limits(10, "EUR"), mapped);
            Limits fallback = new Limits(0, "USD");
            assertEquals(fallback, client.getJson("checkout", "title", Limits.class, fallback), "not an object");
        }
    }

    /** A configuration object mapped by Jackson. */
    record Limits(int max, String currency) {
    }

    @Test
    void withoutAnyStateEvaluationsAreNotReadyAndNothingThrows() throws IOException {
        try (EnsignClient client = builder().build()) {
            assertEquals(ClientStatus.NOT_READY, client.status());
            assertEquals(ErrorCode.PROVIDER_NOT_READY, client.evaluate("new-checkout", null).errorCode());
            assertTrue(client.booleanValue("new-checkout", ctx("u", Map.of()), true));
            assertEquals(7, client.getInt("checkout", "timeoutMs", 7));
            assertTrue(client.evaluate(null, null).isError(), "no key: an error result, not an exception");
        }
    }

    @Test
    void aBackupFileWinsOverTheBootstrapFileAndABrokenOneIsPassedOver() throws IOException {
        Path backup = dir.resolve("backup.json");
        Files.writeString(backup, new String(Files.readAllBytes(bootstrap())).replace("\"version\": 42", "\"version\": 43"));
        try (EnsignClient client = builder().backupFile(backup).bootstrapFile(bootstrap()).build()) {
            assertEquals(43, client.version());
        }
        Files.writeString(backup, "{\"not\": \"a document\"");
        try (EnsignClient client = builder().backupFile(backup).bootstrapFile(bootstrap()).build()) {
            assertEquals(42, client.version(), "the bootstrap file, the backup being unreadable");
        }
    }

    @Test
    void trackingNeverBlocksAndCountsWhatAFullQueueDrops() throws IOException {
        try (EnsignClient client = builder().bootstrapFile(bootstrap()).tracking(3, 100, Duration.ofHours(1))
                .build()) {
            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                client.track("clicked", "user-" + i, 1);
            }
            client.track("not-a-metric-of-any-experiment", "user-1", 1);
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos());
            TrackingStats stats = client.trackingStats();
            assertEquals(3, stats.queued());
            assertEquals(7, stats.dropped());
            assertEquals(0, stats.sent());
            assertFalse(client.flush(Duration.ofMillis(200)), "nobody takes them");
        }
    }
}
