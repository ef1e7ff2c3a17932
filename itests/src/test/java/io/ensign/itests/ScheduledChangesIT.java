package io.ensign.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * Scheduled changes in a real server over real HTTP: a kill switch, a rollout's weights and a config value applied at
 * their time, through the same validated and audited writes as a person's, with the schedule's reason and lateness
 * in the audit record; cancelling; a change whose target went away fails visibly; bad schedules are refused.
 */
public class ScheduledChangesIT extends FrameworkServerTest {
    private static final String ROLLOUT_FLAG = "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},"
            + "\"defaultVariant\":\"off\",\"rules\":[{\"rollout\":{\"weights\":{\"on\":10,\"off\":90}}}]}";

    private JsonNode schedule(String at, String action, String reason) {
        return http.expect(201, "POST", "/api/v1/schedules", ADMIN, "{\"at\":\"" + at + "\",\"action\":" + action
                + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}");
    }

    /** Waits until the schedule is no longer pending or applying, and returns it. */
    private JsonNode settled(String id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        JsonNode change;
        do {
            Thread.sleep(100);
            change = http.expect(200, "GET", "/api/v1/schedules/" + id, ADMIN, null);
        } while (List.of("pending", "applying").contains(change.path("state").asText())
                && System.currentTimeMillis() < deadline);
        return change;
    }

    private JsonNode evaluate(String flag, String environment, String user) {
        return http.expect(200, "POST", "/ofrep/v1/evaluate/flags/" + flag + "?environment=" + environment, ADMIN,
                "{\"context\":{\"targetingKey\":\"" + user + "\"}}");
    }

    private List<String> usersOn(String flag, int users) {
        List<String> on = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            if (evaluate(flag, "staging", "user-" + i).path("value").asBoolean()) {
                on.add("user-" + i);
            }
        }
        return on;
    }

    @Test
    public void aKillSwitchFlipsAtItsTimeThroughAnAuditedWriteWithTheScheduleAndItsLateness() throws Exception {
        http.expect(201, "PUT", "/api/v1/flags/sched-kill", ADMIN, "{\"type\":\"boolean\",\"variants\":{\"on\":true,"
                + "\"off\":false},\"defaultVariant\":\"on\"}");
        Instant at = Instant.now().plusSeconds(2);
        JsonNode made = schedule(at.toString(), "{\"type\":\"flag-enabled\",\"flag\":\"sched-kill\","
                + "\"environment\":\"production\",\"enabled\":false}", "end of campaign");
        assertEquals("pending", made.path("state").asText());
        assertEquals(true, evaluate("sched-kill", "production", "u").path("value").asBoolean());

        JsonNode applied = settled(made.path("id").asText());
        assertEquals(applied.toString(), "applied", applied.path("state").asText());
        assertTrue("applied no earlier than due", !Instant.parse(applied.path("applied").asText()).isBefore(at));
        assertTrue(applied.toString(), applied.path("lateMillis").asLong() < 5_000);
        JsonNode disabled = evaluate("sched-kill", "production", "u");
        assertEquals("DISABLED", disabled.path("reason").asText());
        assertEquals(true, evaluate("sched-kill", "staging", "u").path("value").asBoolean());

        JsonNode records = http.expect(200, "GET", "/api/v1/audit?since=0&limit=1000", ADMIN, null).path("records");
        JsonNode write = null;
        for (JsonNode record : records) {
            if ("flag".equals(record.path("kind").asText()) && "sched-kill".equals(record.path("key").asText())) {
                write = record;
            }
        }
        assertTrue(write.toString(), write.path("actor").asText().startsWith("scheduler (for "));
        assertTrue(write.toString(), write.path("reason").asText().startsWith("scheduled change "
                + made.path("id").asText() + " due " + at));
        assertTrue(write.toString(), write.path("reason").asText().endsWith("ms late: end of campaign"));
    }

    @Test
    public void aRolloutGrowsAtItsTimeAndEveryUnitInItStaysIn() throws Exception {
        http.expect(201, "PUT", "/api/v1/flags/sched-ramp", ADMIN, ROLLOUT_FLAG);
        List<String> before = usersOn("sched-ramp", 400);
        JsonNode made = schedule(Instant.now().plusSeconds(1).toString(), "{\"type\":\"rollout-weights\","
                + "\"flag\":\"sched-ramp\",\"rule\":0,\"weights\":{\"on\":50,\"off\":50}}", null);
        assertEquals("applied", settled(made.path("id").asText()).path("state").asText());

        List<String> after = usersOn("sched-ramp", 400);
        assertTrue("10 % of 400 then 50 %: " + before.size() + ", " + after.size(),
                before.size() > 15 && before.size() < 70 && after.size() > 160 && after.size() < 240);
        assertTrue("no unit leaves the rollout as it grows", after.containsAll(before));
        JsonNode weights = http.expect(200, "GET", "/api/v1/flags/sched-ramp", ADMIN, null)
                .path("rules").path(0).path("rollout").path("weights");
        assertEquals(50.0, weights.path("on").asDouble(), 0);
    }

    @Test
    public void aConfigValueChangesAtItsTimeAndACancelledChangeNever() throws Exception {
        http.expect(201, "PUT", "/api/v1/config/sched/limit", ADMIN, "{\"value\":5}");
        JsonNode made = schedule(Instant.now().plusSeconds(1).toString(), "{\"type\":\"config-value\","
                + "\"namespace\":\"sched\",\"key\":\"limit\",\"value\":50}", "black friday");
        JsonNode cancelled = schedule(Instant.now().plusSeconds(1).toString(), "{\"type\":\"config-value\","
                + "\"namespace\":\"sched\",\"key\":\"limit\",\"value\":7}", null);
        http.expect(204, "DELETE", "/api/v1/schedules/" + cancelled.path("id").asText(), ADMIN, null);
        assertEquals(409, http.send("DELETE", "/api/v1/schedules/" + cancelled.path("id").asText(), ADMIN, null)
                .statusCode());

        assertEquals("applied", settled(made.path("id").asText()).path("state").asText());
        Thread.sleep(500);
        assertEquals(50, http.expect(200, "GET", "/api/v1/config/sched/limit", ADMIN, null).path("value").asInt());
        assertEquals("cancelled", http.expect(200, "GET", "/api/v1/schedules/" + cancelled.path("id").asText(),
                ADMIN, null).path("state").asText());
        assertEquals(404, http.send("DELETE", "/api/v1/schedules/nope", ADMIN, null).statusCode());
    }

    @Test
    public void aChangeWhoseTargetWentAwayFailsWithTheReason() throws Exception {
        http.expect(201, "PUT", "/api/v1/flags/sched-gone", ADMIN, ROLLOUT_FLAG);
        JsonNode made = schedule(Instant.now().plusSeconds(2).toString(), "{\"type\":\"flag-enabled\","
                + "\"flag\":\"sched-gone\",\"enabled\":false}", null);
        http.expect(204, "DELETE", "/api/v1/flags/sched-gone", ADMIN, null);
        JsonNode failed = settled(made.path("id").asText());
        assertEquals(failed.toString(), "failed", failed.path("state").asText());
        assertTrue(failed.toString(), failed.path("error").asText().contains("sched-gone"));
    }

    @Test
    public void badSchedulesAreRefusedNamingTheFieldAndStoreNothing() {
        int before = http.expect(200, "GET", "/api/v1/schedules", ADMIN, null).size();
        String soon = Instant.now().plusSeconds(60).toString();
        Map<String, String> refused = Map.of(
                "{\"action\":{\"type\":\"flag-enabled\",\"flag\":\"x\",\"enabled\":true}}", "/at",
                "{\"at\":\"tomorrow\",\"action\":{\"type\":\"flag-enabled\",\"flag\":\"x\",\"enabled\":true}}", "/at",
                "{\"at\":\"" + soon + "\",\"action\":{\"type\":\"explode\"}}", "/action/type",
                "{\"at\":\"" + soon + "\",\"action\":{\"type\":\"flag-enabled\",\"flag\":\"no-such-flag\","
                        + "\"enabled\":true}}", "/action/flag",
                "{\"at\":\"" + soon + "\",\"action\":{\"type\":\"flag-enabled\",\"flag\":\"x\",\"enabled\":\"no\"}}",
                "/action/enabled",
                "{\"at\":\"" + soon + "\",\"action\":{\"type\":\"rollout-weights\",\"flag\":\"x\",\"rule\":0,"
                        + "\"weights\":{\"on\":-1}}}", "/action/weights/on",
                "{\"at\":\"" + soon + "\",\"action\":{\"type\":\"config-value\",\"namespace\":\"a\",\"key\":\"b\","
                        + "\"value\":1,\"environment\":\"nowhere\"}}", "/action/environment",
                "{\"at\":\"" + soon + "\",\"when\":1,\"action\":{\"type\":\"config-value\",\"namespace\":\"a\","
                        + "\"key\":\"b\",\"value\":1}}", "/when");
        refused.forEach((body, field) -> {
            JsonNode error = http.expect(422, "POST", "/api/v1/schedules", ADMIN, body);
            assertEquals(body, field, error.path("field").asText());
        });
        assertEquals(403, http.send("POST", "/api/v1/schedules", http.token("viewer", null), "{}").statusCode());
        assertEquals(before, http.expect(200, "GET", "/api/v1/schedules", ADMIN, null).size());
    }
}
