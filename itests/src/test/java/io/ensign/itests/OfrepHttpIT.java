package io.ensign.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.Before;
import org.junit.Test;

/** OFREP against a real server: evaluation through the real engine, response shapes, environments, ETag/304. */
public class OfrepHttpIT extends FrameworkServerTest {
    private static final String CHECKOUT = "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},"
            + "\"defaultVariant\":\"off\",\"overrides\":{\"user-42\":\"on\"},"
            + "\"rules\":[{\"name\":\"beta\",\"segment\":\"ofrep-beta\",\"variant\":\"on\"},"
            + "{\"conditions\":[{\"attribute\":\"country\",\"operator\":\"in\",\"values\":[\"NL\",\"DE\"]}],"
            + "\"rollout\":{\"weights\":{\"on\":50,\"off\":50}}}],"
            + "\"environments\":{\"staging\":{\"defaultVariant\":\"on\",\"overrides\":{\"user-7\":\"off\"}}}}";

    private String sdkStaging;

    @Before
    public void setUp() throws Exception {
        if (http.send("GET", "/api/v1/flags/ofrep-checkout", ADMIN, null).statusCode() == 404) {
            http.expect(201, "PUT", "/api/v1/segments/ofrep-beta", ADMIN, "{\"included\":[\"u1\"],\"conditions\":[]}");
            http.expect(201, "PUT", "/api/v1/flags/ofrep-checkout", ADMIN, CHECKOUT);
            http.expect(201, "PUT", "/api/v1/flags/ofrep-color", ADMIN, "{\"type\":\"string\","
                    + "\"variants\":{\"blue\":\"#00f\",\"red\":\"#f00\"},\"defaultVariant\":\"blue\"}");
        }
        sdkStaging = http.token("sdk", "staging");
    }

    /** Evaluates until the engine's snapshot has caught up with the writes made in setUp. */
    private JsonNode evaluate(String token, String query, String targetingKey, String extra) throws InterruptedException {
        String body = "{\"context\":{\"targetingKey\":\"" + targetingKey + "\"" + extra + "}}";
        HttpResponse<String> response = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            response = http.send("POST", "/ofrep/v1/evaluate/flags/ofrep-checkout" + query, token, body);
            if (response.statusCode() != 404) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals(response.body(), 200, response.statusCode());
        return http.json(response);
    }

    @Test
    public void singleEvaluationHasTheOfrepShape() throws Exception {
        JsonNode result = evaluate(ADMIN, "", "nobody", "");
        assertEquals("ofrep-checkout", result.path("key").asText());
        assertFalse(result.path("value").asBoolean());
        assertEquals("off", result.path("variant").asText());
        assertEquals("OFREP has no DEFAULT", "UNKNOWN", result.path("reason").asText());
        assertEquals("DEFAULT", result.path("metadata").path("ensignReason").asText());
    }

    @Test
    public void overridesSegmentsAndRolloutsDecide() throws Exception {
        JsonNode override = evaluate(ADMIN, "", "user-42", "");
        assertEquals("TARGETING_MATCH", override.path("reason").asText());
        assertTrue(override.path("value").asBoolean());
        JsonNode member = evaluate(ADMIN, "", "u1", "");
        assertEquals("TARGETING_MATCH", member.path("reason").asText());
        assertEquals("on", member.path("variant").asText());

        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            JsonNode split = evaluate(ADMIN, "", "unit-" + i, ",\"country\":\"NL\"");
            assertEquals("SPLIT", split.path("reason").asText());
            counts.merge(split.path("variant").asText(), 1, Integer::sum);
            assertEquals("the same unit always gets the same variant", split.path("variant"),
                    evaluate(ADMIN, "", "unit-" + i, ",\"country\":\"NL\"").path("variant"));
        }
        assertEquals(2, counts.size());
        assertEquals("DEFAULT", evaluate(ADMIN, "", "unit-1", ",\"country\":\"FR\"").path("metadata")
                .path("ensignReason").asText());
    }

    @Test
    public void environmentsComeFromTheSdkTokenOrTheQuery() throws Exception {
        assertEquals("on", evaluate(sdkStaging, "", "nobody", "").path("variant").asText());
        assertEquals("off", evaluate(sdkStaging, "", "user-7", "").path("variant").asText());
        assertEquals("on", evaluate(ADMIN, "?environment=staging", "nobody", "").path("variant").asText());
        assertEquals("off", evaluate(ADMIN, "?environment=production", "nobody", "").path("variant").asText());
        http.expect(403, "POST", "/ofrep/v1/evaluate/flags/ofrep-checkout?environment=production", sdkStaging,
                "{\"context\":{}}");
        JsonNode unknown = http.expect(400, "POST", "/ofrep/v1/evaluate/flags/ofrep-checkout?environment=moon", ADMIN,
                "{\"context\":{}}");
        assertTrue(unknown.path("errorDetails").asText().contains("moon"));
    }

    @Test
    public void errorsHaveTheOfrepShape() {
        JsonNode missing = http.expect(404, "POST", "/ofrep/v1/evaluate/flags/no-such-flag", sdkStaging, "{\"context\":{}}");
        assertEquals("no-such-flag", missing.path("key").asText());
        assertEquals("FLAG_NOT_FOUND", missing.path("errorCode").asText());
        JsonNode badContext = http.expect(400, "POST", "/ofrep/v1/evaluate/flags/ofrep-checkout", sdkStaging,
                "{\"context\":{\"targetingKey\":7}}");
        assertEquals("INVALID_CONTEXT", badContext.path("errorCode").asText());
        assertEquals("INVALID_CONTEXT", http.expect(400, "POST", "/ofrep/v1/evaluate/flags/ofrep-checkout", sdkStaging,
                "{\"context\":[]}").path("errorCode").asText());
        assertEquals("PARSE_ERROR", http.expect(400, "POST", "/ofrep/v1/evaluate/flags/ofrep-checkout", sdkStaging,
                "{\"context\":").path("errorCode").asText());
        assertEquals("UNAUTHORIZED", http.expect(401, "POST", "/ofrep/v1/evaluate/flags/ofrep-checkout", null, "{}")
                .path("error").asText());
        http.expect(401, "POST", "/ofrep/v1/evaluate/flags/ofrep-checkout", "ens_wrong", "{}");
    }

    @Test
    public void bulkEvaluationHasAnETagThatTurnsInto304UntilAFlagChanges() throws Exception {
        evaluate(sdkStaging, "", "u5", "");
        String body = "{\"context\":{\"targetingKey\":\"u5\"}}";
        HttpResponse<String> first = http.send("POST", "/ofrep/v1/evaluate/flags", sdkStaging, body);
        assertEquals(first.body(), 200, first.statusCode());
        String keys = http.json(first).path("flags").findValuesAsText("key").toString();
        assertTrue(keys, keys.contains("ofrep-checkout") && keys.contains("ofrep-color"));
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> unchanged = http.send(http.request("POST", "/ofrep/v1/evaluate/flags", sdkStaging, body)
                .header("If-None-Match", etag));
        assertEquals(304, unchanged.statusCode());
        assertTrue(unchanged.body().isEmpty());

        http.expect(200, "PUT", "/api/v1/flags/ofrep-color", ADMIN, "{\"type\":\"string\","
                + "\"variants\":{\"blue\":\"#00f\",\"red\":\"#f00\"},\"defaultVariant\":\"red\"}");
        HttpResponse<String> changed = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            changed = http.send(http.request("POST", "/ofrep/v1/evaluate/flags", sdkStaging, body)
                    .header("If-None-Match", etag));
            if (changed.statusCode() != 304) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals(changed.body(), 200, changed.statusCode());
        assertNotEquals(etag, changed.headers().firstValue("ETag").orElseThrow());
    }

    @Test
    public void configurationTellsProvidersToPoll() {
        JsonNode configuration = http.expect(200, "GET", "/ofrep/v1/configuration", sdkStaging, null);
        assertTrue(configuration.at("/capabilities/cacheInvalidation/polling/enabled").asBoolean());
        assertTrue(configuration.at("/capabilities/cacheInvalidation/polling/minPollingIntervalMs").asLong() > 0);
    }
}
