package io.ensign.auth.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.auth.Role;
import io.ensign.api.catalog.WriteContext;
import io.ensign.auth.internal.TokenRegistry;
import io.ensign.auth.internal.TokenRegistryAccess;
import io.ensign.http.internal.ApiHarness;
import io.ensign.http.internal.OpenApiChecks;
import io.ensign.testing.fakes.InMemoryCatalog;
import io.ensign.testing.fakes.InMemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensResourceTest {
    private static final String ADMIN = ApiHarness.ADMIN_SECRET;
    @TempDir
    static Path data;
    private static ApiHarness api;
    private static TokensResource resource;

    /** The real registry authenticates the harness's requests, so that a token issued here is one the server takes. */
    @BeforeAll
    static void start() throws Exception {
        InMemoryStore store = new InMemoryStore();
        TokenRegistry registry = TokenRegistryAccess.create(store, ApiHarness.ADMIN_SECRET, data);
        api = ApiHarness.start(store, registry, (role, environment) -> registry.issue("test " + role.jsonName(), role,
                environment, new WriteContext("tests", null, null)).secret());
        resource = new TokensResource(registry, new InMemoryCatalog());
        api.add(resource);
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    @Test
    void adminIssuesATokenWhoseSecretIsShownOnceAndWorks() {
        HttpResponse<String> issued = api.send("POST", "/api/v1/tokens", ADMIN, "{\"name\":\"ci\",\"role\":\"viewer\"}");
        assertEquals(201, issued.statusCode(), issued.body());
        JsonNode body = api.json(issued);
        String secret = body.path("token").asText();
        assertTrue(secret.startsWith("ens_"));
        assertEquals("viewer", body.path("role").asText());
        api.assertError(api.send("GET", "/api/v1/tokens", secret, null), 403, "FORBIDDEN"); // known, but no admin

        JsonNode list = api.json(api.send("GET", "/api/v1/tokens", ADMIN, null));
        for (JsonNode token : list) {
            assertFalse(token.has("token"));
            assertFalse(token.has("hash"));
        }
        assertTrue(list.toString().contains(body.path("id").asText()));
        assertFalse(list.toString().contains(secret));
    }

    @Test
    void revokedTokensStopWorking() {
        JsonNode body = api.json(api.send("POST", "/api/v1/tokens", ADMIN, "{\"name\":\"temp\",\"role\":\"editor\"}"));
        String secret = body.path("token").asText();
        assertEquals(204, api.send("DELETE", "/api/v1/tokens/" + body.path("id").asText(), ADMIN, null).statusCode());
        api.assertError(api.send("GET", "/api/v1/tokens", secret, null), 401, "UNAUTHORIZED");
        assertEquals(404, api.send("DELETE", "/api/v1/tokens/" + body.path("id").asText(), ADMIN, null).statusCode());
    }

    @Test
    void sdkTokensNeedAnExistingEnvironment() {
        HttpResponse<String> missing = api.send("POST", "/api/v1/tokens", ADMIN, "{\"name\":\"app\",\"role\":\"sdk\"}");
        assertEquals(422, missing.statusCode());
        assertEquals("/environment", api.json(missing).path("field").asText());
        HttpResponse<String> unknown = api.send("POST", "/api/v1/tokens", ADMIN,
                "{\"name\":\"app\",\"role\":\"sdk\",\"environment\":\"moon\"}");
        assertEquals(422, unknown.statusCode());
        HttpResponse<String> ok = api.send("POST", "/api/v1/tokens", ADMIN,
                "{\"name\":\"app\",\"role\":\"sdk\",\"environment\":\"staging\"}");
        assertEquals(201, ok.statusCode());
        assertEquals("staging", api.json(ok).path("environment").asText());
    }

    @Test
    void otherRolesHaveNoEnvironment() {
        HttpResponse<String> response = api.send("POST", "/api/v1/tokens", ADMIN,
                "{\"name\":\"x\",\"role\":\"viewer\",\"environment\":\"staging\"}");
        assertEquals(422, response.statusCode());
        assertEquals("/environment", api.json(response).path("field").asText());
    }

    @Test
    void badFieldsGive422WithEachField() {
        HttpResponse<String> response = api.send("POST", "/api/v1/tokens", ADMIN, "{\"name\":\"\",\"role\":\"root\",\"x\":1}");
        assertEquals(422, response.statusCode());
        String violations = api.json(response).path("violations").toString();
        assertTrue(violations.contains("/name") && violations.contains("/role") && violations.contains("/x"), violations);
    }

    @Test
    void onlyAdminsManageTokens() {
        String editor = api.token(Role.EDITOR, null);
        assertEquals(403, api.send("GET", "/api/v1/tokens", editor, null).statusCode());
        assertEquals(403, api.send("POST", "/api/v1/tokens", editor, "{\"name\":\"x\",\"role\":\"admin\"}").statusCode());
        assertEquals(403, api.send("DELETE", "/api/v1/tokens/bootstrap-admin", editor, null).statusCode());
        assertEquals(Role.ADMIN, api.tokens.authenticate(ADMIN).orElseThrow().role());
    }

    @Test
    void everyTokenButAMetricsOneLearnsWhoItIs() {
        JsonNode viewer = api.json(api.send("POST", "/api/v1/tokens", ADMIN, "{\"name\":\"support desk\",\"role\":\"viewer\"}"));
        HttpResponse<String> self = api.send("GET", "/api/v1/whoami", viewer.path("token").asText(), null);
        assertEquals(200, self.statusCode(), self.body());
        JsonNode body = api.json(self);
        assertEquals(viewer.path("id").asText(), body.path("id").asText());
        assertEquals("support desk", body.path("name").asText());
        assertEquals("viewer", body.path("role").asText());
        assertFalse(body.has("environment"));
        assertFalse(self.body().contains(viewer.path("token").asText()));

        JsonNode sdk = api.json(api.send("GET", "/api/v1/whoami", api.token(Role.SDK, "staging"), null));
        assertEquals("sdk", sdk.path("role").asText());
        assertEquals("staging", sdk.path("environment").asText());
        api.assertError(api.send("GET", "/api/v1/whoami", api.token(Role.METRICS, null), null), 403, "FORBIDDEN");
        api.assertError(api.send("GET", "/api/v1/whoami", "ens_unknown", null), 401, "UNAUTHORIZED");
    }

    @Test
    void theOpenApiFragmentDocumentsEveryRouteAndNoOther() throws Exception {
        OpenApiChecks.assertDocumentedExactly(List.of(resource));
    }
}
