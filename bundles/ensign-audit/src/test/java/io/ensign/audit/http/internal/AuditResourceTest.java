package io.ensign.audit.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.audit.AuditDelivery;
import io.ensign.api.audit.AuditVerifier;
import io.ensign.api.audit.SinkStatus;
import io.ensign.api.audit.Verification;
import io.ensign.api.auth.Authenticator;
import io.ensign.api.auth.Role;
import io.ensign.api.store.Mutation;
import io.ensign.config.http.internal.ConfigResource;
import io.ensign.config.internal.ConfigCatalog;
import io.ensign.http.internal.ApiHarness;
import io.ensign.http.internal.OpenApiChecks;
import io.ensign.testing.fakes.InMemoryCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail, its verification and the sinks' status over HTTP. */
class AuditResourceTest {
    @TempDir
    Path data;
    private ApiHarness api;
    private AuditResource resource;
    private String editor;
    private String viewer;

    @BeforeEach
    void start() throws Exception {
        api = ApiHarness.start();
        resource = new AuditResource(api.store);
        api.add(resource, new ConfigResource(new ConfigCatalog(api.store, new InMemoryCatalog(),
                data.resolve(ConfigCatalog.KEY_FILE))));
        editor = api.token(Role.EDITOR, null);
        viewer = api.token(Role.VIEWER, null);
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    private JsonNode audit(String query) {
        HttpResponse<String> response = api.send("GET", "/api/v1/audit" + query, viewer, null);
        assertEquals(200, response.statusCode(), response.body());
        return api.json(response);
    }

    @Test
    void everyChangeIsARecordWithWhoWhatWhyAndBeforeAfterAsJson() {
        long start = api.store.lastSequence();
        api.send(api.request("PUT", "/api/v1/config/shop/audited", editor, "{\"value\":true}")
                .header("X-Ensign-Reason", "launch").header("X-Request-Id", "req-1"));
        api.send("PUT", "/api/v1/config/shop/timeout?environment=staging", editor, "{\"value\":250}");

        JsonNode page = audit("?since=" + start);
        JsonNode records = page.path("records");
        assertEquals(2, records.size());
        JsonNode first = records.path(0);
        assertEquals(start + 1, first.path("sequence").asLong());
        assertEquals("config", first.path("kind").asText());
        assertEquals("shop/audited@*", first.path("key").asText());
        assertEquals("create", first.path("action").asText());
        assertEquals("launch", first.path("reason").asText());
        assertEquals("req-1", first.path("requestId").asText());
        assertTrue(first.path("actor").asText().startsWith("test editor"));
        assertTrue(first.path("before").isNull());
        assertTrue(first.path("after").isObject(), "embedded as JSON, not as a string");
        assertEquals(1, first.path("version").asLong());
        assertEquals("staging", records.path(1).path("environment").asText());
        assertEquals(start + 2, page.path("next").asLong());
        assertEquals(start + 2, page.path("lastSequence").asLong());
    }

    @Test
    void pagesFollowSinceAndLimitWithADefaultAndACap() {
        long start = api.store.lastSequence();
        for (int i = 0; i < 5; i++) {
            api.send("PUT", "/api/v1/config/paged/k" + i, editor, "{\"value\":" + i + "}");
        }
        JsonNode first = audit("?since=" + start + "&limit=2");
        assertEquals(2, first.path("records").size());
        JsonNode second = audit("?since=" + first.path("next").asLong() + "&limit=2");
        assertEquals(start + 3, second.path("records").path(0).path("sequence").asLong());
        assertEquals(api.store.lastSequence(), audit("?limit=100000").path("records").size(),
                "a limit above the cap is served up to the cap");
        assertEquals(0, audit("?since=" + (start + 5)).path("records").size());
        for (String bad : List.of("?since=-1", "?since=x", "?limit=0", "?limit=ten")) {
            HttpResponse<String> refused = api.send("GET", "/api/v1/audit" + bad, viewer, null);
            assertEquals(400, refused.statusCode(), bad);
            assertEquals("INVALID_PARAMETER", api.json(refused).path("error").asText());
        }
    }

    @Test
    void tokenRecordsNeverShowTheSecretsHash() {
        String hash = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";
        api.store.commit(List.of(new Mutation(Authenticator.TOKEN_KIND, "t1", null,
                "{\"id\":\"t1\",\"role\":\"viewer\",\"hash\":\"" + hash + "\"}", Mutation.ABSENT, null, "test",
                null, null)));

        String body = api.send("GET", "/api/v1/audit?limit=1000", viewer, null).body();

        assertTrue(body.contains("\"kind\":\"token\""));
        assertTrue(body.contains("\"role\":\"viewer\""), "the rest of the token is shown");
        assertFalse(body.contains(hash));
        assertFalse(body.contains("\"hash\""));
    }

    @Test
    void sdkTokensAndStrangersMayNotReadTheTrail() {
        assertEquals(403, api.send("GET", "/api/v1/audit", api.token(Role.SDK, "staging"), null).statusCode());
        assertEquals(401, api.send("GET", "/api/v1/audit/verify", null, null).statusCode());
    }

    @Test
    void verifyReportsTheJournalVerifiersOutcomeOr503WithoutOne() {
        HttpResponse<String> missing = api.send("GET", "/api/v1/audit/verify", viewer, null);
        assertEquals(503, missing.statusCode());
        assertEquals("SERVICE_UNAVAILABLE", api.json(missing).path("error").asText());

        AuditVerifier broken = () -> new Verification(false, 12, 7L, "record 7 was altered");
        resource.bindVerifier(broken);
        JsonNode verification = api.json(api.send("GET", "/api/v1/audit/verify", viewer, null));
        assertFalse(verification.path("valid").asBoolean());
        assertEquals(12, verification.path("records").asLong());
        assertEquals(7, verification.path("firstInvalidSequence").asLong());
        assertEquals("record 7 was altered", verification.path("message").asText());

        resource.unbindVerifier(broken);
        assertEquals(503, api.send("GET", "/api/v1/audit/verify", viewer, null).statusCode());
    }

    @Test
    void sinksReportEachSinksCursorLagAndLastError() {
        assertEquals(503, api.send("GET", "/api/v1/audit/sinks", viewer, null).statusCode());
        AuditDelivery delivery = () -> List.of(new SinkStatus("journal", 41, 0, 0, null),
                new SinkStatus("webhook", 30, 11, 3, "HTTP 502"));
        resource.bindDelivery(delivery);

        JsonNode sinks = api.json(api.send("GET", "/api/v1/audit/sinks", viewer, null));

        assertEquals(2, sinks.size());
        assertEquals("journal", sinks.path(0).path("name").asText());
        assertEquals(41, sinks.path(0).path("cursor").asLong());
        assertTrue(sinks.path(0).path("lastError").isNull());
        assertEquals(11, sinks.path(1).path("lag").asLong());
        assertEquals(3, sinks.path(1).path("failures").asLong());
        assertEquals("HTTP 502", sinks.path(1).path("lastError").asText());
    }

    @Test
    void theOpenApiFragmentDocumentsEveryRouteAndNoOther() throws Exception {
        OpenApiChecks.assertDocumentedExactly(List.of(resource));
    }
}
