package io.ensign.engine.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.auth.Role;
import io.ensign.http.internal.ApiHarness;
import io.ensign.testing.fakes.InMemoryCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Flags, segments and environments over HTTP: status codes, versions, ETags and If-Match. */
class CatalogResourceTest {
    private static final String FLAG = "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\"}";
    private static final String FLAG_ON = "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"on\"}";
    private static final InMemoryCatalog catalog = new InMemoryCatalog();
    private static ApiHarness api;
    private static String editor;

    @BeforeAll
    static void start() throws Exception {
        api = ApiHarness.start().add(new FlagsResource(catalog), new SegmentsResource(catalog),
                new EnvironmentsResource(catalog));
        editor = api.token(Role.EDITOR, null);
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    private static HttpResponse<String> put(String path, String body, String ifMatch) {
        var request = api.request("PUT", path, editor, body);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return api.send(request);
    }

    @Test
    void putCreatesWith201AndReplacesWith200() {
        HttpResponse<String> created = put("/api/v1/flags/checkout", FLAG, null);
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("\"1\"", created.headers().firstValue("ETag").orElseThrow());
        assertEquals("/api/v1/flags/checkout", created.headers().firstValue("Location").orElseThrow());
        JsonNode body = api.json(created);
        assertEquals("checkout", body.path("key").asText());
        assertEquals(1, body.path("version").asLong());
        assertTrue(body.path("warnings").isArray());

        HttpResponse<String> replaced = put("/api/v1/flags/checkout", FLAG_ON, null);
        assertEquals(200, replaced.statusCode());
        assertEquals(2, api.json(replaced).path("version").asLong());
        assertEquals("\"2\"", replaced.headers().firstValue("ETag").orElseThrow());
    }

    @Test
    void getReturnsTheFlagWithVersionAndETag() {
        put("/api/v1/flags/readable", FLAG, null);
        HttpResponse<String> got = api.send("GET", "/api/v1/flags/readable", editor, null);
        assertEquals(200, got.statusCode());
        assertEquals("\"1\"", got.headers().firstValue("ETag").orElseThrow());
        JsonNode flag = api.json(got);
        assertEquals("boolean", flag.path("type").asText());
        assertTrue(flag.path("variants").path("on").asBoolean());
        assertFalse(flag.has("warnings"));
    }

    @Test
    void listReturnsEveryFlagWithVersions() {
        put("/api/v1/flags/listed", FLAG, null);
        JsonNode list = api.json(api.send("GET", "/api/v1/flags", editor, null));
        assertTrue(list.isArray());
        boolean found = false;
        for (JsonNode flag : list) {
            found |= flag.path("key").asText().equals("listed") && flag.path("version").asLong() == 1;
        }
        assertTrue(found, list.toString());
    }

    @Test
    void unknownFlagGives404() {
        HttpResponse<String> response = api.send("GET", "/api/v1/flags/nope", editor, null);
        assertEquals(404, response.statusCode());
        assertEquals("NOT_FOUND", api.json(response).path("error").asText());
        assertEquals(404, api.send("DELETE", "/api/v1/flags/nope", editor, null).statusCode());
    }

    @Test
    void ifMatchWithTheCurrentVersionWrites() {
        put("/api/v1/flags/guarded", FLAG, null);
        assertEquals(200, put("/api/v1/flags/guarded", FLAG_ON, "\"1\"").statusCode());
        assertEquals(2, catalog.flag("guarded").orElseThrow().version());
    }

    @Test
    void ifMatchWithAnOldVersionGives409AndChangesNothing() {
        put("/api/v1/flags/contended", FLAG, null);
        put("/api/v1/flags/contended", FLAG, null);
        HttpResponse<String> conflict = put("/api/v1/flags/contended", FLAG_ON, "\"1\"");
        assertEquals(409, conflict.statusCode());
        assertEquals("VERSION_CONFLICT", api.json(conflict).path("error").asText());
        JsonNode after = api.json(api.send("GET", "/api/v1/flags/contended", editor, null));
        assertEquals(2, after.path("version").asLong());
        assertEquals("off", after.path("defaultVariant").asText());
    }

    @Test
    void ifMatchStarRequiresExistence() {
        HttpResponse<String> missing = put("/api/v1/flags/not-yet", FLAG, "*");
        assertEquals(409, missing.statusCode());
        assertTrue(catalog.flag("not-yet").isEmpty());
        put("/api/v1/flags/not-yet", FLAG, null);
        assertEquals(200, put("/api/v1/flags/not-yet", FLAG_ON, "*").statusCode());
    }

    @Test
    void malformedIfMatchGives400() {
        HttpResponse<String> response = put("/api/v1/flags/weak", FLAG, "W/\"1\"");
        assertEquals(400, response.statusCode());
        assertEquals("If-Match", api.json(response).path("field").asText());
        assertTrue(catalog.flag("weak").isEmpty());
    }

    @Test
    void deleteGives204AndHonoursIfMatch() {
        put("/api/v1/flags/doomed", FLAG, null);
        assertEquals(409, api.send(api.request("DELETE", "/api/v1/flags/doomed", editor, null)
                .header("If-Match", "\"7\"")).statusCode());
        assertTrue(catalog.flag("doomed").isPresent());
        assertEquals(204, api.send("DELETE", "/api/v1/flags/doomed", editor, null).statusCode());
        assertTrue(catalog.flag("doomed").isEmpty());
    }

    @Test
    void invalidKeyGives422NamingTheKeyField() {
        HttpResponse<String> response = put("/api/v1/flags/bad%20key", FLAG, null);
        assertEquals(422, response.statusCode(), response.body());
        JsonNode body = api.json(response);
        assertEquals("VALIDATION_FAILED", body.path("error").asText());
        assertEquals("/key", body.path("violations").get(0).path("field").asText());
    }

    @Test
    void wrongTypesGive422WithEveryViolation() {
        HttpResponse<String> response = put("/api/v1/flags/typed",
                "{\"type\":\"boolean\",\"variants\":{\"on\":\"yes\"},\"defaultVariant\":\"none\",\"enabled\":\"no\"}", null);
        assertEquals(422, response.statusCode());
        JsonNode violations = api.json(response).path("violations");
        assertTrue(violations.size() >= 3, violations.toString());
        for (JsonNode v : violations) {
            assertFalse(v.path("rule").asText().isEmpty());
            assertTrue(v.path("field").asText().startsWith("/"));
            assertFalse(v.path("message").asText().isEmpty());
        }
        assertTrue(catalog.flag("typed").isEmpty());
    }

    @Test
    void catalogViolationsGive422WithTheirField() {
        HttpResponse<String> response = put("/api/v1/flags/segmented", "{\"type\":\"boolean\",\"variants\":{\"on\":true,"
                + "\"off\":false},\"defaultVariant\":\"off\",\"rules\":[{\"segment\":\"ghosts\",\"variant\":\"on\"}]}", null);
        assertEquals(422, response.statusCode());
        assertEquals("/rules/0/segment", api.json(response).path("field").asText());
    }

    @Test
    void warningsComeBackInThe2xxBody() {
        HttpResponse<String> response = put("/api/v1/flags/warned", "{\"type\":\"boolean\",\"description\":\"warn me\","
                + "\"variants\":{\"on\":true},\"defaultVariant\":\"on\"}", null);
        assertEquals(201, response.statusCode());
        JsonNode warning = api.json(response).path("warnings").get(0);
        assertEquals("lint", warning.path("rule").asText());
        assertEquals("/description", warning.path("field").asText());
    }

    @Test
    void segmentsFollowTheSamePattern() {
        String segment = "{\"conditions\":[{\"attribute\":\"country\",\"operator\":\"in\",\"values\":[\"NL\"]}],"
                + "\"included\":[\"u1\"],\"excluded\":[\"u9\"]}";
        HttpResponse<String> created = put("/api/v1/segments/beta", segment, null);
        assertEquals(201, created.statusCode(), created.body());
        JsonNode body = api.json(created);
        assertEquals("u1", body.path("included").get(0).asText());
        assertEquals(1, body.path("version").asLong());
        assertEquals(200, put("/api/v1/segments/beta", segment, "\"1\"").statusCode());
        assertEquals(409, put("/api/v1/segments/beta", segment, "\"1\"").statusCode());
        assertEquals(200, api.send("GET", "/api/v1/segments/beta", editor, null).statusCode());
        assertEquals(204, api.send("DELETE", "/api/v1/segments/beta", editor, null).statusCode());
        assertEquals(404, api.send("GET", "/api/v1/segments/beta", editor, null).statusCode());
    }

    @Test
    void environmentsAreListedAndMadeByPut() {
        JsonNode list = api.json(api.send("GET", "/api/v1/environments", editor, null));
        assertTrue(list.toString().contains("\"production\""));
        assertEquals(201, api.send("PUT", "/api/v1/environments/qa", editor, null).statusCode());
        HttpResponse<String> replaced = api.send("PUT", "/api/v1/environments/qa", editor, "{\"description\":\"QA\"}");
        assertEquals(200, replaced.statusCode());
        assertEquals("QA", api.json(replaced).path("description").asText());
        assertEquals(405, api.send("DELETE", "/api/v1/environments/qa", editor, null).statusCode());
    }
}
