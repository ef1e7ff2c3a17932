package io.ensign.schedules.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;
import org.junit.jupiter.api.Test;

class ScheduledChangeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    private static ScheduledChange parse(String body) throws Exception {
        return ScheduledChange.fromRequest(JSON.readTree(body), "id1", "ops (t1)", NOW);
    }

    @Test
    void eachActionReadsBackFromItsStoredForm() throws Exception {
        for (String action : List.of(
                "{\"type\":\"flag-enabled\",\"flag\":\"f\",\"environment\":\"production\",\"enabled\":false}",
                "{\"type\":\"rollout-weights\",\"flag\":\"f\",\"rule\":2,\"weights\":{\"on\":25,\"off\":75}}",
                "{\"type\":\"config-value\",\"namespace\":\"n\",\"key\":\"k\",\"value\":{\"max\":[1,2]}}")) {
            ScheduledChange change = parse("{\"at\":\"2026-12-24T18:00:00Z\",\"action\":" + action
                    + ",\"reason\":\"why\"}");
            assertEquals(ScheduledChange.State.PENDING, change.state());
            assertEquals(change, ScheduledChange.fromStored(JSON.readTree(JSON.writeValueAsString(
                    change.toJson(JSON)))), action);
        }
    }

    @Test
    void weightsKeepTheirValues() throws Exception {
        ScheduledChange change = parse("{\"at\":\"2026-12-24T18:00:00Z\",\"action\":{\"type\":\"rollout-weights\","
                + "\"flag\":\"f\",\"rule\":0,\"weights\":{\"b\":1.5,\"a\":0}}}");
        assertEquals(Map.of("a", 0.0, "b", 1.5), ((ScheduledAction.RolloutWeights) change.action()).weights());
    }

    @Test
    void everyWrongFieldIsNamed() {
        ValidationException e = assertThrows(ValidationException.class, () -> parse("{\"at\":5,\"x\":1,"
                + "\"reason\":7,\"action\":{\"type\":\"rollout-weights\",\"flag\":\"bad key\",\"rule\":-1,"
                + "\"weights\":{},\"extra\":true}}"));
        assertEquals(List.of("/x", "/at", "/reason", "/action/extra", "/action/rule", "/action/flag",
                "/action/weights"), e.violations().stream().map(Violation::field).toList());
        assertThrows(ValidationException.class, () -> parse("\"soon\""));
        assertThrows(ValidationException.class, () -> parse("{\"at\":\"2026-12-24T18:00:00Z\","
                + "\"action\":{\"type\":\"config-value\",\"namespace\":\"n\",\"key\":\"k\"}}"));
    }
}
