package io.ensign.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.Test;

/**
 * The REST API of a real server (every bundle of the features, real engine and store) over real HTTP: flags and
 * segments of every shape, versions and If-Match, and every documented 4xx leaving the state as it was.
 */
public class FlagsHttpIT extends FrameworkServerTest {
    private static final String BOOLEAN_FLAG = "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},"
            + "\"defaultVariant\":\"off\"}";

    private JsonNode put(int status, String path, String json) {
        return http.expect(status, "PUT", path, ADMIN, json);
    }

    @Test
    public void newServerHasTheThreeEnvironments() {
        String names = http.expect(200, "GET", "/api/v1/environments", ADMIN, null).findValuesAsText("name").toString();
        assertTrue(names, names.contains("development") && names.contains("staging") && names.contains("production"));
    }

    @Test
    public void flagsOfEveryTypeAreCreatedReadListedAndDeleted() {
        String[][] flags = {
            {"it-bool", BOOLEAN_FLAG},
            {"it-string", "{\"type\":\"string\",\"variants\":{\"a\":\"alpha\",\"b\":\"beta\"},\"defaultVariant\":\"a\"}"},
            {"it-number", "{\"type\":\"number\",\"variants\":{\"low\":1,\"high\":2.5},\"defaultVariant\":\"high\"}"},
            {"it-object", "{\"type\":\"object\",\"variants\":{\"cfg\":{\"limit\":3,\"tags\":[\"x\"]},\"none\":{}},"
                    + "\"defaultVariant\":\"cfg\"}"},
        };
        for (String[] flag : flags) {
            HttpResponse<String> created = http.send("PUT", "/api/v1/flags/" + flag[0], ADMIN, flag[1]);
            assertEquals(created.body(), 201, created.statusCode());
            assertEquals("\"1\"", created.headers().firstValue("ETag").orElseThrow());
            JsonNode sent = http.json(created);
            JsonNode read = http.expect(200, "GET", "/api/v1/flags/" + flag[0], ADMIN, null);
            assertEquals(1, read.path("version").asLong());
            assertEquals(sent.path("variants"), read.path("variants"));
            assertEquals(sent.path("type"), read.path("type"));
        }
        String keys = http.expect(200, "GET", "/api/v1/flags", ADMIN, null).findValuesAsText("key").toString();
        for (String[] flag : flags) {
            assertTrue(keys, keys.contains(flag[0]));
            assertEquals(204, http.send("DELETE", "/api/v1/flags/" + flag[0], ADMIN, null).statusCode());
            http.expect(404, "GET", "/api/v1/flags/" + flag[0], ADMIN, null);
        }
        http.expect(404, "DELETE", "/api/v1/flags/it-bool", ADMIN, null);
    }

    @Test
    public void flagsWithSegmentsOverridesEnvironmentsAndRolloutsRoundTrip() {
        JsonNode segment = put(201, "/api/v1/segments/it-beta", "{\"conditions\":[{\"attribute\":\"plan\","
                + "\"operator\":\"equals\",\"values\":[\"pro\"]}],\"included\":[\"u1\"],\"excluded\":[\"u9\"]}");
        assertEquals(1, segment.path("version").asLong());
        String flag = "{\"type\":\"boolean\",\"description\":\"new checkout\",\"variants\":{\"on\":true,\"off\":false},"
                + "\"defaultVariant\":\"off\",\"overrides\":{\"user-42\":\"on\"},"
                + "\"rules\":[{\"name\":\"beta\",\"segment\":\"it-beta\",\"variant\":\"on\"},"
                + "{\"conditions\":[{\"attribute\":\"country\",\"operator\":\"in\",\"values\":[\"NL\",\"DE\"]}],"
                + "\"rollout\":{\"weights\":{\"on\":20,\"off\":80}}}],"
                + "\"environments\":{\"staging\":{\"defaultVariant\":\"on\",\"overrides\":{\"user-7\":\"off\"}}}}";
        JsonNode created = put(201, "/api/v1/flags/it-checkout", flag);
        assertEquals("it-beta", created.at("/rules/0/segment").asText());
        assertEquals(20, created.at("/rules/1/rollout/weights/on").asInt());
        assertEquals("hash", created.at("/rules/1/rollout/strategy").asText());
        assertEquals("on", created.at("/environments/staging/defaultVariant").asText());
        assertEquals("on", created.at("/overrides/user-42").asText());
        assertTrue(created.path("warnings").isArray());

        JsonNode read = http.expect(200, "GET", "/api/v1/flags/it-checkout", ADMIN, null);
        assertEquals(created.path("rules"), read.path("rules"));
        assertEquals(created.path("environments"), read.path("environments"));
        assertEquals(200, http.send("GET", "/api/v1/segments/it-beta", ADMIN, null).statusCode());
    }

    @Test
    public void ifMatchReplacesTheVersionReadAndRefusesAStaleOne() {
        put(201, "/api/v1/flags/it-guarded", BOOLEAN_FLAG);
        String on = BOOLEAN_FLAG.replace("\"defaultVariant\":\"off\"", "\"defaultVariant\":\"on\"");
        HttpResponse<String> replaced = http.send(http.request("PUT", "/api/v1/flags/it-guarded", ADMIN, on)
                .header("If-Match", "\"1\""));
        assertEquals(replaced.body(), 200, replaced.statusCode());
        assertEquals("\"2\"", replaced.headers().firstValue("ETag").orElseThrow());
        JsonNode conflict = http.expect(409, http.request("PUT", "/api/v1/flags/it-guarded", ADMIN, BOOLEAN_FLAG)
                .header("If-Match", "\"1\""));
        assertEquals("VERSION_CONFLICT", conflict.path("error").asText());
        JsonNode after = http.expect(200, "GET", "/api/v1/flags/it-guarded", ADMIN, null);
        assertEquals(2, after.path("version").asLong());
        assertEquals("on", after.path("defaultVariant").asText());
    }

    @Test
    public void everyDocumented4xxChangesNothing() {
        put(201, "/api/v1/flags/it-stable", BOOLEAN_FLAG);
        String viewer = http.token("viewer", null);
        String sdk = http.token("sdk", "production");
        String changed = BOOLEAN_FLAG.replace("\"defaultVariant\":\"off\"", "\"defaultVariant\":\"on\"");
        String path = "/api/v1/flags/it-stable";
        Object[][] refused = {
            {400, "INVALID_JSON", http.request("PUT", path, ADMIN, "{\"type\":\"boolean\",")},
            {400, "INVALID_JSON", http.request("PUT", path, ADMIN, "[".repeat(100) + "]".repeat(100))},
            {400, "INVALID_HEADER", http.request("PUT", path, ADMIN, changed).header("If-Match", "\"one\"")},
            {422, "VALIDATION_FAILED", http.request("PUT", path, ADMIN, "{\"type\":\"boolean\",\"variants\":"
                    + "{\"on\":\"yes\"},\"defaultVariant\":\"on\",\"enabled\":1}")},
            {422, "VALIDATION_FAILED", http.request("PUT", path, ADMIN, changed.replace("}", ",\"rules\":"
                    + "[{\"segment\":\"no-such-segment\",\"variant\":\"on\"}]}"))},
            {413, "PAYLOAD_TOO_LARGE", http.request("PUT", path, ADMIN,
                    "{\"description\":\"" + "x".repeat(1024 * 1024 + 1) + "\"}")},
            {415, "UNSUPPORTED_MEDIA_TYPE", http.request("PUT", path, ADMIN, null).header("Content-Type", "text/plain")
                    .method("PUT", HttpRequest.BodyPublishers.ofString(changed))},
            {401, "UNAUTHORIZED", http.request("PUT", path, null, changed)},
            {401, "UNAUTHORIZED", http.request("PUT", path, "ens_wrong", changed)},
            {403, "FORBIDDEN", http.request("PUT", path, viewer, changed)},
            {403, "FORBIDDEN", http.request("PUT", path, sdk, changed)},
            {403, "FORBIDDEN", http.request("DELETE", path, viewer, null)},
            {409, "VERSION_CONFLICT", http.request("PUT", path, ADMIN, changed).header("If-Match", "\"5\"")},
            {409, "VERSION_CONFLICT", http.request("DELETE", path, ADMIN, null).header("If-Match", "\"5\"")},
            {405, "METHOD_NOT_ALLOWED", http.request("POST", path, ADMIN, changed)},
        };
        for (Object[] request : refused) {
            HttpResponse<String> response = http.send((HttpRequest.Builder) request[2]);
            assertEquals(response.body(), request[0], response.statusCode());
            JsonNode error = http.json(response);
            assertEquals(response.body(), request[1], error.path("error").asText());
            assertFalse(response.body(), error.path("message").asText().isEmpty());
            JsonNode after = http.expect(200, "GET", path, ADMIN, null);
            assertEquals("after " + request[1], 1, after.path("version").asLong());
            assertEquals("after " + request[1], "off", after.path("defaultVariant").asText());
        }
    }

    @Test
    public void invalidKeysAre422NamingTheKey() {
        JsonNode error = put(422, "/api/v1/flags/bad%20key", BOOLEAN_FLAG);
        assertEquals("/key", error.path("violations").get(0).path("field").asText());
        String tooLong = "k".repeat(129);
        put(422, "/api/v1/flags/" + tooLong, BOOLEAN_FLAG);
        http.expect(404, "GET", "/api/v1/flags/" + tooLong, ADMIN, null);
    }

    @Test
    public void unknownRoutesAre404AndTheOpenApiDocumentIsPublic() {
        assertEquals("NOT_FOUND", http.expect(404, "GET", "/api/v1/nothing", ADMIN, null).path("error").asText());
        JsonNode openapi = http.expect(200, "GET", "/api/v1/openapi.json", null, null);
        assertTrue(openapi.path("paths").has("/api/v1/flags/{key}"));
        assertEquals("UP", http.expect(200, "GET", "/health/live", null, null).path("status").asText());
    }

    @Test
    public void revokedTokensAreRefused() {
        JsonNode issued = http.expect(201, "POST", "/api/v1/tokens", ADMIN, "{\"name\":\"short-lived\",\"role\":\"editor\"}");
        String secret = issued.path("token").asText();
        http.expect(200, "GET", "/api/v1/flags", secret, null);
        assertFalse(http.expect(200, "GET", "/api/v1/tokens", ADMIN, null).toString().contains(secret));
        assertEquals(204, http.send("DELETE", "/api/v1/tokens/" + issued.path("id").asText(), ADMIN, null).statusCode());
        http.expect(401, "GET", "/api/v1/flags", secret, null);
    }
}
