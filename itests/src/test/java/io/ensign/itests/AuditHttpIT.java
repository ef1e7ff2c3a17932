package io.ensign.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;

/**
 * The audit trail over real HTTP: a record for every change, the sinks' status, and the journal's verification
 * catching a record edited on disk.
 */
public class AuditHttpIT extends FrameworkServerTest {
    private static final String FLAG = "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},"
            + "\"defaultVariant\":\"off\"}";

    private long lastSequence() {
        return http.expect(200, "GET", "/api/v1/audit?limit=1", ADMIN, null).path("lastSequence").asLong();
    }

    @Test
    public void everyChangeHasARecordWithWhoWhatAndWhy() {
        long before = lastSequence();
        http.expect(201, http.request("PUT", "/api/v1/flags/audited", ADMIN, FLAG).header("X-Ensign-Reason", "launch"));
        http.expect(201, "PUT", "/api/v1/config/shop/limit?environment=staging", ADMIN, "{\"value\":5,\"reason\":\"cap\"}");
        http.expect(204, "DELETE", "/api/v1/config/shop/limit?environment=staging", ADMIN, null);
        String viewer = http.token("viewer", null);

        JsonNode records = http.expect(200, "GET", "/api/v1/audit?since=" + before, viewer, null).path("records");

        assertEquals(records.toString(), 4, records.size());
        assertEquals("flag", records.path(0).path("kind").asText());
        assertEquals("launch", records.path(0).path("reason").asText());
        assertTrue(records.path(0).path("after").isObject());
        assertEquals("config", records.path(1).path("kind").asText());
        assertEquals("cap", records.path(1).path("reason").asText());
        assertEquals("staging", records.path(1).path("environment").asText());
        assertEquals("delete", records.path(2).path("action").asText());
        assertEquals("token", records.path(3).path("kind").asText());
        assertFalse("token hashes stay out of the trail", records.path(3).path("after").has("hash"));
        for (int i = 0; i < 4; i++) {
            assertEquals(before + 1 + i, records.path(i).path("sequence").asLong());
            assertTrue(records.path(i).path("actor").asText().contains("bootstrap-admin"));
        }
        assertEquals(403, http.send("GET", "/api/v1/audit", http.token("sdk", "staging"), null).statusCode());
    }

    @Test
    public void verifyReportsAnIntactJournalThenTheRecordEditedOnDisk() throws Exception {
        http.expect(201, "PUT", "/api/v1/config/tamper/a", ADMIN, "{\"value\":1}");
        awaitJournalCaughtUp();
        JsonNode intact = http.expect(200, "GET", "/api/v1/audit/verify", ADMIN, null);
        assertTrue(intact.toString(), intact.path("valid").asBoolean());
        assertTrue(intact.path("records").asLong() >= 2);

        Path journal = Path.of(context.getProperty("ensign.data"), "audit", "journal.jsonl");
        byte[] original = Files.readAllBytes(journal);
        String text = new String(original, StandardCharsets.UTF_8);
        String edited = text.replaceFirst("\"actor\":\"[^\"]*\"", "\"actor\":\"mallory\"");
        assertFalse(text.equals(edited));
        Files.writeString(journal, edited);
        try {
            JsonNode tampered = http.expect(200, "GET", "/api/v1/audit/verify", ADMIN, null);
            assertFalse(tampered.toString(), tampered.path("valid").asBoolean());
            assertEquals(1, tampered.path("firstInvalidSequence").asLong());
        } finally {
            Files.write(journal, original);
        }
    }

    @Test
    public void sinksReportTheJournalCaughtUp() throws Exception {
        http.expect(201, "PUT", "/api/v1/config/sinks/a", ADMIN, "{\"value\":1}");
        JsonNode journal = awaitJournalCaughtUp();
        assertEquals(lastSequence(), journal.path("cursor").asLong());
        assertTrue(journal.path("lastError").isNull());
    }

    /** The journal sink's status once it has every record (its feed runs on its own thread). */
    private JsonNode awaitJournalCaughtUp() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        JsonNode journal = null;
        while (System.currentTimeMillis() < deadline) {
            for (JsonNode sink : http.expect(200, "GET", "/api/v1/audit/sinks", ADMIN, null)) {
                if (sink.path("name").asText().equals("journal")) {
                    journal = sink;
                }
            }
            if (journal != null && journal.path("lag").asLong() == 0) {
                return journal;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the journal did not catch up: " + journal);
    }
}
