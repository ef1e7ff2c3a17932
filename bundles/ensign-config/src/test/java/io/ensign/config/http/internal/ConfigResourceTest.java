package io.ensign.config.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.audit.AuditRecord;
import io.ensign.api.auth.Role;
import io.ensign.api.validation.ValidationRule;
import io.ensign.api.validation.Violation;
import io.ensign.config.internal.ConfigCatalog;
import io.ensign.http.internal.ApiHarness;
import io.ensign.http.internal.OpenApiChecks;
import io.ensign.testing.fakes.InMemoryCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration over HTTP on the real configuration service: roles, secrets, versions, history and promotion. */
class ConfigResourceTest {
    private static final String PASSWORD = "hunter2-but-longer";
    @TempDir
    static Path data;
    private static ConfigCatalog config;
    private static ApiHarness api;
    private static String editor;
    private static String viewer;
    private static String sdkStaging;

    @BeforeAll
    static void start() throws Exception {
        api = ApiHarness.start();
        config = new ConfigCatalog(api.store, new InMemoryCatalog(), data.resolve(ConfigCatalog.KEY_FILE));
        api.add(new ConfigResource(config));
        editor = api.token(Role.EDITOR, null);
        viewer = api.token(Role.VIEWER, null);
        sdkStaging = api.token(Role.SDK, "staging");
        // A stand-in for the validation bundle: -1 is refused, and so is a type change not asked for.
        bindRule("no-minus-one", change -> {
            Map<?, ?> after = (Map<?, ?>) change.after();
            return after != null && Long.valueOf(-1).equals(after.get("value"))
                    ? List.of(Violation.error("no-minus-one", "/value", "-1 is not a timeout")) : List.of();
        });
        bindRule("type-stability", change -> {
            Map<?, ?> before = (Map<?, ?>) change.before();
            Map<?, ?> after = (Map<?, ?>) change.after();
            boolean changesType = before != null && after != null && before.get("value") != null
                    && after.get("value") != null && before.get("value").getClass() != after.get("value").getClass();
            return changesType && !Boolean.TRUE.equals(after.get("allowTypeChange"))
                    ? List.of(Violation.error("type-stability", "/value", "type change")) : List.of();
        });
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    private static HttpResponse<String> put(String path, String body) {
        return api.send("PUT", path, editor, body);
    }

    @Test
    void putCreatesWith201ThenReplacesWith200AndVersionsAndETags() {
        HttpResponse<String> created = put("/api/v1/config/shop/timeout?environment=staging", "{\"value\":250}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("\"1\"", created.headers().firstValue("ETag").orElseThrow());
        JsonNode body = api.json(created);
        assertEquals(1, body.path("version").asLong());
        assertEquals(250, body.path("value").asInt());
        assertEquals("staging", body.path("environment").asText());
        assertTrue(body.path("warnings").isArray());

        HttpResponse<String> replaced = put("/api/v1/config/shop/timeout?environment=staging", "{\"value\":300}");
        assertEquals(200, replaced.statusCode(), replaced.body());
        assertEquals(2, api.json(replaced).path("version").asLong());
        JsonNode read = api.json(api.send("GET", "/api/v1/config/shop/timeout?environment=staging", viewer, null));
        assertEquals(300, read.path("value").asInt());
    }

    @Test
    void resolvedMapLaysTheEnvironmentOverTheGlobalEntries() {
        put("/api/v1/config/resolve/a", "{\"value\":\"global-a\"}");
        put("/api/v1/config/resolve/b", "{\"value\":\"global-b\"}");
        put("/api/v1/config/resolve/b?environment=production", "{\"value\":\"prod-b\",\"reason\":\"tuning\"}");

        JsonNode production = api.json(api.send("GET", "/api/v1/config/resolve?environment=production", viewer, null));
        assertEquals("global-a", production.path("a").path("value").asText());
        assertEquals("global", production.path("a").path("origin").asText());
        assertEquals("prod-b", production.path("b").path("value").asText());
        assertEquals("production", production.path("b").path("origin").asText());
        assertEquals(1, production.path("b").path("version").asLong());
        assertFalse(production.path("b").path("secret").asBoolean());
        JsonNode global = api.json(api.send("GET", "/api/v1/config/resolve", viewer, null));
        assertEquals("global-b", global.path("b").path("value").asText());
    }

    @Test
    void resolvedMapAnswers304WhileNothingChanged() {
        put("/api/v1/config/polled/a", "{\"value\":1}");
        HttpResponse<String> first = api.send("GET", "/api/v1/config/polled?environment=staging", viewer, null);
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = api.send(api.request("GET", "/api/v1/config/polled?environment=staging", viewer, null)
                .header("If-None-Match", etag));
        assertEquals(304, again.statusCode());
        put("/api/v1/config/polled/a", "{\"value\":2}");
        HttpResponse<String> changed = api.send(api.request("GET", "/api/v1/config/polled?environment=staging", viewer,
                null).header("If-None-Match", etag));
        assertEquals(200, changed.statusCode());
    }

    @Test
    void secretsAreClearForEditorsAndRedactedForViewersAndSdkTokens() {
        HttpResponse<String> written = put("/api/v1/config/db/password?environment=staging",
                "{\"value\":\"" + PASSWORD + "\",\"secret\":true}");
        assertEquals(201, written.statusCode(), written.body());
        assertFalse(written.body().contains(PASSWORD), "write results carry secrets redacted");

        assertEquals(PASSWORD, api.json(api.send("GET", "/api/v1/config/db/password?environment=staging", editor, null))
                .path("value").asText());
        for (String path : List.of("/api/v1/config/db/password?environment=staging",
                "/api/v1/config/db?environment=staging", "/api/v1/config/db/password/history?environment=staging")) {
            HttpResponse<String> read = api.send("GET", path, viewer, null);
            assertEquals(200, read.statusCode(), path);
            assertFalse(read.body().contains(PASSWORD), path);
            assertTrue(read.body().contains("********"), path);
        }
        HttpResponse<String> sdk = api.send("GET", "/api/v1/config/db?environment=staging", sdkStaging, null);
        assertEquals(200, sdk.statusCode());
        assertEquals("********", api.json(sdk).path("password").path("value").asText());
        assertTrue(api.json(sdk).path("password").path("secret").asBoolean());
    }

    @Test
    void sdkTokensReadOnlyTheirOwnEnvironmentsResolvedMap() {
        put("/api/v1/config/sdk/a?environment=staging", "{\"value\":1}");

        assertEquals(200, api.send("GET", "/api/v1/config/sdk", sdkStaging, null).statusCode());
        assertEquals(1, api.json(api.send("GET", "/api/v1/config/sdk", sdkStaging, null)).path("a").path("value").asInt());
        assertEquals(403, api.send("GET", "/api/v1/config/sdk?environment=production", sdkStaging, null).statusCode());
        assertEquals(403, api.send("GET", "/api/v1/config/sdk/a?environment=staging", sdkStaging, null).statusCode());
        assertEquals(403, api.send("GET", "/api/v1/config/sdk/a/history?environment=staging", sdkStaging, null)
                .statusCode());
    }

    @Test
    void viewersAndSdkTokensCannotWrite() {
        for (String token : List.of(viewer, sdkStaging)) {
            assertEquals(403, api.send("PUT", "/api/v1/config/ro/a", token, "{\"value\":1}").statusCode());
        }
        assertEquals(404, api.send("GET", "/api/v1/config/ro/a", viewer, null).statusCode());
        assertEquals(401, api.send("GET", "/api/v1/config/ro", null, null).statusCode());
    }

    @Test
    void aRuleViolationGives422WithViolationsAndStoresNothing() {
        long before = api.store.lastSequence();

        HttpResponse<String> refused = put("/api/v1/config/rules/timeout", "{\"value\":-1}");

        assertEquals(422, refused.statusCode());
        JsonNode body = api.json(refused);
        assertEquals("VALIDATION_FAILED", body.path("error").asText());
        assertEquals("no-minus-one", body.path("violations").path(0).path("rule").asText());
        assertEquals("/value", body.path("violations").path(0).path("field").asText());
        assertEquals(before, api.store.lastSequence());
        assertEquals(404, api.send("GET", "/api/v1/config/rules/timeout", viewer, null).statusCode());
    }

    @Test
    void aTypeChangeIsRefusedUnlessTheWriteAllowsIt() {
        put("/api/v1/config/types/timeout", "{\"value\":250}");

        assertEquals(422, put("/api/v1/config/types/timeout", "{\"value\":\"250ms\"}").statusCode());
        HttpResponse<String> allowed = put("/api/v1/config/types/timeout", "{\"value\":\"250ms\",\"allowTypeChange\":true}");
        assertEquals(200, allowed.statusCode(), allowed.body());
        assertFalse(allowed.body().contains("allowTypeChange"));
        assertEquals("250ms", api.json(api.send("GET", "/api/v1/config/types/timeout", viewer, null)).path("value").asText());
    }

    @Test
    void malformedWritesGive422AndStoreNothing() {
        long before = api.store.lastSequence();
        String[] bodies = {"{}", "{\"value\":1,\"colour\":\"red\"}", "{\"value\":1,\"secret\":\"yes\"}", "[1]",
            "{\"value\":1,\"schema\":[]}"};
        for (String body : bodies) {
            HttpResponse<String> refused = put("/api/v1/config/bad/a", body);
            assertEquals(422, refused.statusCode(), body + " -> " + refused.body());
        }
        assertEquals(400, put("/api/v1/config/bad/a", "{\"value\":").statusCode());
        HttpResponse<String> nowhere = put("/api/v1/config/bad/a?environment=nowhere", "{\"value\":1}");
        assertEquals(422, nowhere.statusCode());
        assertEquals("/environment", api.json(nowhere).path("violations").path(0).path("field").asText());
        assertEquals(before, api.store.lastSequence());
    }

    @Test
    void ifMatchGuardsWritesAndDeletes() {
        put("/api/v1/config/guarded/a", "{\"value\":1}");
        HttpResponse<String> stale = api.send(api.request("PUT", "/api/v1/config/guarded/a", editor, "{\"value\":2}")
                .header("If-Match", "\"7\""));
        assertEquals(409, stale.statusCode());
        assertEquals("VERSION_CONFLICT", api.json(stale).path("error").asText());
        HttpResponse<String> current = api.send(api.request("PUT", "/api/v1/config/guarded/a", editor, "{\"value\":2}")
                .header("If-Match", "\"1\""));
        assertEquals(200, current.statusCode());
        assertEquals(409, api.send(api.request("DELETE", "/api/v1/config/guarded/a", editor, null)
                .header("If-Match", "\"1\"")).statusCode());
        assertEquals(409, api.send(api.request("PUT", "/api/v1/config/guarded/none", editor, "{\"value\":2}")
                .header("If-Match", "*")).statusCode());

        assertEquals(204, api.send(api.request("DELETE", "/api/v1/config/guarded/a", editor, null)
                .header("If-Match", "\"2\"")).statusCode());
        assertEquals(404, api.send("GET", "/api/v1/config/guarded/a", viewer, null).statusCode());
        assertEquals(404, api.send("DELETE", "/api/v1/config/guarded/a", editor, null).statusCode());
    }

    @Test
    void historyRollbackAndDiffFollowTheVersions() {
        String entry = "/api/v1/config/versions/limits?environment=production";
        put(entry, "{\"value\":{\"max\":1},\"reason\":\"first\"}");
        put(entry, "{\"value\":{\"max\":2},\"reason\":\"second\"}");

        HttpResponse<String> rolledBack = api.send("POST", "/api/v1/config/versions/limits/rollback?environment=production",
                editor, "{\"version\":1,\"reason\":\"back\"}");
        assertEquals(200, rolledBack.statusCode(), rolledBack.body());
        assertEquals(3, api.json(rolledBack).path("version").asLong());
        assertEquals(1, api.json(rolledBack).path("value").path("max").asInt());

        JsonNode history = api.json(api.send("GET", "/api/v1/config/versions/limits/history?environment=production",
                viewer, null));
        assertEquals(3, history.size());
        assertEquals("first", history.path(0).path("reason").asText());
        assertEquals("back", history.path(2).path("reason").asText());
        JsonNode diff = api.json(api.send("GET",
                "/api/v1/config/versions/limits/diff?environment=production&from=1&to=2", viewer, null));
        assertEquals(1, diff.path("operations").size());
        JsonNode operation = diff.path("operations").path(0);
        assertEquals("replace", operation.path("op").asText());
        assertEquals("/value/max", operation.path("path").asText());
        assertEquals(1, operation.path("from").asInt());
        assertEquals(2, operation.path("to").asInt());
        assertEquals(400, api.send("GET", "/api/v1/config/versions/limits/diff?environment=production&from=1", viewer,
                null).statusCode());
        assertEquals(404, api.send("POST", "/api/v1/config/versions/limits/rollback?environment=production", editor,
                "{\"version\":9}").statusCode());
        assertEquals(422, api.send("POST", "/api/v1/config/versions/limits/rollback?environment=production", editor,
                "{\"version\":\"one\"}").statusCode());
    }

    @Test
    void promotionCopiesEveryEntryInOneCommitWithTheReason() {
        put("/api/v1/config/promo/a?environment=staging", "{\"value\":1}");
        put("/api/v1/config/promo/b?environment=staging", "{\"value\":2}");
        long before = api.store.lastSequence();

        HttpResponse<String> promoted = api.send(api.request("POST", "/api/v1/config/promo/promote", editor,
                "{\"from\":\"staging\",\"to\":\"production\",\"reason\":\"release 42\"}").header("X-Request-Id", "rel-42"));

        assertEquals(200, promoted.statusCode(), promoted.body());
        assertEquals(2, api.json(promoted).path("entries").size());
        List<AuditRecord> records = api.store.changes(before, 10);
        assertEquals(2, records.size());
        for (AuditRecord record : records) {
            assertEquals("promote", record.action());
            assertEquals("production", record.environment());
            assertEquals("release 42", record.reason());
            assertEquals("rel-42", record.requestId());
            assertEquals(records.get(0).time(), record.time());
        }
        JsonNode production = api.json(api.send("GET", "/api/v1/config/promo?environment=production", viewer, null));
        assertEquals(2, production.path("b").path("value").asInt());
        assertEquals("production", production.path("b").path("origin").asText());
    }

    @Test
    void theReasonComesFromTheBodyOrElseTheHeader() {
        long before = api.store.lastSequence();
        put("/api/v1/config/why/a", "{\"value\":1,\"reason\":\"from the body\"}");
        api.send(api.request("PUT", "/api/v1/config/why/a", editor, "{\"value\":2}").header("X-Ensign-Reason",
                "from the header"));

        List<AuditRecord> records = api.store.changes(before, 10);
        assertEquals("from the body", records.get(0).reason());
        assertEquals("from the header", records.get(1).reason());
    }

    @Test
    void namespacesAreListed() {
        put("/api/v1/config/listed/a", "{\"value\":true}");
        JsonNode names = api.json(api.send("GET", "/api/v1/config", viewer, null));
        assertTrue(names.toString().contains("\"listed\""), names.toString());
    }

    /** Makes a validation rule consulted on config writes, as DS would bind it. */
    private static void bindRule(String name, ValidationRule rule) {
        config.bindRule(rule, Map.of(ValidationRule.NAME, name));
    }

    @Test
    void theOpenApiFragmentDocumentsEveryRouteAndNoOther() throws Exception {
        OpenApiChecks.assertDocumentedExactly(List.of(new ConfigResource(config)));
    }
}
