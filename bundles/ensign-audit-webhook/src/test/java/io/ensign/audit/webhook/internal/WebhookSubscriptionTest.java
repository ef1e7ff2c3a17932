package io.ensign.audit.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.audit.AuditRecord;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;
import org.junit.jupiter.api.Test;

class WebhookSubscriptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    private static WebhookSubscription parse(String body) throws Exception {
        return WebhookSubscription.fromRequest(JSON.readTree(body), "abc", 10, NOW);
    }

    private static AuditRecord record(long sequence, String kind, String environment) {
        return new AuditRecord(sequence, NOW, "ops", "update", kind, "k", environment, 1, null, "{}", null, null);
    }

    @Test
    void wantsTheSubscribedKindsAfterItsSequenceForItsEnvironmentsOrAll() throws Exception {
        WebhookSubscription s = parse("{\"url\":\"https://hooks.example.com/e\",\"kinds\":[\"flag\",\"config\"],"
                + "\"environments\":[\"production\"]}");
        assertTrue(s.wants(record(11, "flag", null)), "a change for every environment");
        assertTrue(s.wants(record(12, "config", "production")));
        assertFalse(s.wants(record(10, "flag", null)), "made before the subscription");
        assertFalse(s.wants(record(13, "segment", null)), "a kind not subscribed");
        assertFalse(s.wants(record(14, "config", "staging")), "another environment");
    }

    @Test
    void storedFormReadsBackAsTheSameSubscription() throws Exception {
        WebhookSubscription s = parse("{\"url\":\"http://127.0.0.1:9/x\",\"kinds\":[\"flag\",\"flag\"],"
                + "\"secret\":{\"namespace\":\"hooks\",\"key\":\"k\"}}");
        JsonNode stored = JSON.readTree(JSON.writeValueAsString(s.toJson(JSON)));
        assertEquals(s, WebhookSubscription.fromStored(stored));
        assertEquals(List.of("flag"), s.kinds(), "a kind named twice counts once");
        assertEquals("webhook-abc", s.sinkName());
    }

    @Test
    void everyWrongFieldIsNamed() {
        ValidationException e = assertThrows(ValidationException.class, () -> parse("{\"url\":\"ftp://x/y\","
                + "\"kinds\":[\"ok\",7],\"environments\":\"production\",\"secret\":{\"namespace\":\"n\"},\"x\":1}"));
        assertEquals(List.of("/x", "/url", "/kinds/1", "/environments", "/secret"),
                e.violations().stream().map(Violation::field).toList());
        assertThrows(ValidationException.class, () -> parse("[]"));
        assertThrows(ValidationException.class, () -> parse("{\"url\":\"http://a:b@h/\",\"kinds\":[\"flag\"]}"));
        assertThrows(ValidationException.class, () -> parse("{\"url\":\"http://h/ x\",\"kinds\":[\"flag\"]}"));
    }
}
