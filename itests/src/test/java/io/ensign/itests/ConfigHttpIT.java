package io.ensign.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.Test;

/**
 * Configuration over real HTTP in a real server: entries in several environments and their resolved maps, the
 * built-in validation rules refusing writes (nothing stored), rollback, and secrets kept from viewers.
 */
public class ConfigHttpIT extends FrameworkServerTest {
    private JsonNode put(int status, String path, String body) {
        return http.expect(status, http.request("PUT", path, ADMIN, body).header("X-Ensign-Reason", "it"));
    }

    private long lastSequence() {
        return http.expect(200, "GET", "/api/v1/audit?limit=1", ADMIN, null).path("lastSequence").asLong();
    }

    @Test
    public void entriesInSeveralEnvironmentsResolveEnvironmentOverGlobal() {
        put(201, "/api/v1/config/checkout/timeout", "{\"value\":1000}");
        put(201, "/api/v1/config/checkout/retries", "{\"value\":3}");
        put(201, "/api/v1/config/checkout/timeout?environment=production", "{\"value\":250}");
        put(201, "/api/v1/config/checkout/retries?environment=staging", "{\"value\":5}");

        JsonNode production = http.expect(200, "GET", "/api/v1/config/checkout?environment=production", ADMIN, null);
        assertEquals(250, production.path("timeout").path("value").asInt());
        assertEquals("production", production.path("timeout").path("origin").asText());
        assertEquals(3, production.path("retries").path("value").asInt());
        assertEquals("global", production.path("retries").path("origin").asText());
        JsonNode staging = http.expect(200, "GET", "/api/v1/config/checkout?environment=staging", ADMIN, null);
        assertEquals(1000, staging.path("timeout").path("value").asInt());
        assertEquals(5, staging.path("retries").path("value").asInt());
        JsonNode development = http.expect(200, "GET", "/api/v1/config/checkout?environment=development", ADMIN, null);
        assertEquals("global", development.path("timeout").path("origin").asText());
        assertEquals(1, development.path("timeout").path("version").asLong());
    }

    @Test
    public void schemaSecretAndTypeViolationsAreRefusedWith422AndNothingIsStored() {
        put(201, "/api/v1/config/limits/rate", "{\"value\":10,\"schema\":{\"type\":\"integer\",\"minimum\":1}}");
        long before = lastSequence();

        JsonNode schema = put(422, "/api/v1/config/limits/rate", "{\"value\":0}");
        assertEquals("json-schema", schema.path("violations").path(0).path("rule").asText());
        JsonNode secret = put(422, "/api/v1/config/limits/token",
                "{\"value\":\"ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8" + "\"}");
        assertEquals("secret-detection", secret.path("violations").path(0).path("rule").asText());
        assertFalse(secret.toString().contains("a1B2c3D4e5F6"));
        JsonNode type = put(422, "/api/v1/config/limits/rate", "{\"value\":\"ten\",\"schema\":{}}");
        assertTrue(type.toString(), type.toString().contains("type-stability"));

        assertEquals(before, lastSequence());
        assertEquals(10, http.expect(200, "GET", "/api/v1/config/limits/rate", ADMIN, null).path("value").asInt());
        http.expect(404, "GET", "/api/v1/config/limits/token", ADMIN, null);
        JsonNode changed = put(200, "/api/v1/config/limits/rate",
                "{\"value\":\"ten\",\"schema\":{},\"allowTypeChange\":true}");
        assertEquals("ten", changed.path("value").asText());
    }

    @Test
    public void rollbackWritesANewVersionWithTheOldValue() {
        put(201, "/api/v1/config/search/boost?environment=staging", "{\"value\":{\"title\":2}}");
        put(200, "/api/v1/config/search/boost?environment=staging", "{\"value\":{\"title\":9}}");

        JsonNode rolledBack = http.expect(200, http.request("POST",
                "/api/v1/config/search/boost/rollback?environment=staging", ADMIN, "{\"version\":1}"));

        assertEquals(3, rolledBack.path("version").asLong());
        assertEquals(2, http.expect(200, "GET", "/api/v1/config/search?environment=staging", ADMIN, null)
                .path("boost").path("value").path("title").asInt());
        JsonNode history = http.expect(200, "GET", "/api/v1/config/search/boost/history?environment=staging", ADMIN,
                null);
        assertEquals(3, history.size());
    }

    @Test
    public void secretsAreRedactedForViewersAndSdkTokens() {
        String password = "correct horse battery staple";
        put(201, "/api/v1/config/db/password?environment=production",
                "{\"value\":\"" + password + "\",\"secret\":true}");
        String viewer = http.token("viewer", null);
        String sdk = http.token("sdk", "production");

        for (String path : new String[] {"/api/v1/config/db/password?environment=production",
            "/api/v1/config/db?environment=production", "/api/v1/config/db/password/history?environment=production"}) {
            HttpResponse<String> read = http.send("GET", path, viewer, null);
            assertEquals(path, 200, read.statusCode());
            assertFalse(path, read.body().contains(password));
        }
        HttpResponse<String> sdkRead = http.send("GET", "/api/v1/config/db", sdk, null);
        assertEquals(200, sdkRead.statusCode());
        assertFalse(sdkRead.body().contains(password));
        assertEquals(403, http.send("GET", "/api/v1/config/db?environment=staging", sdk, null).statusCode());
        assertEquals(password, http.expect(200, "GET", "/api/v1/config/db/password?environment=production", ADMIN,
                null).path("value").asText());
        assertFalse("the audit trail holds ciphertext only",
                http.send("GET", "/api/v1/audit?limit=1000", ADMIN, null).body().contains(password));
    }
}
