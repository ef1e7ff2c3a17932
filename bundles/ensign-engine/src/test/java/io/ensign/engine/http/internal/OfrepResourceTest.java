package io.ensign.engine.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.auth.Role;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.model.Reason;
import io.ensign.api.store.Mutation;
import io.ensign.codec.ModelCodec;
import io.ensign.http.internal.ApiHarness;
import io.ensign.testing.fakes.CatalogEvaluator;
import io.ensign.testing.fakes.InMemoryCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OFREP response shapes and status codes as the protocol's OpenAPI document gives them. */
class OfrepResourceTest {
    private static final InMemoryCatalog catalog = new InMemoryCatalog();
    private static ApiHarness api;
    private static String sdk;
    private static String viewer;

    @BeforeAll
    static void start() throws Exception {
        api = ApiHarness.start();
        api.add(new OfrepResource(new CatalogEvaluator(catalog), catalog, api.tokens, config()));
        sdk = api.token(Role.SDK, "staging");
        viewer = api.token(Role.VIEWER, null);
        ModelCodec codec = new ModelCodec();
        WriteContext by = new WriteContext("test", null, null);
        String flag = "{\"type\":\"string\",\"variants\":{\"blue\":\"#00f\",\"red\":\"#f00\"},\"defaultVariant\":\"blue\","
                + "\"overrides\":{\"u1\":\"red\"},\"environments\":{\"staging\":{\"defaultVariant\":\"red\"}}}";
        catalog.putFlag(codec.decodeFlag(codec.readTree(flag), "color", 0), Mutation.ANY_VERSION, by);
        String broken = "{\"type\":\"number\",\"description\":\"TYPE_MISMATCH\",\"variants\":{\"one\":1},\"defaultVariant\":\"one\"}";
        catalog.putFlag(codec.decodeFlag(codec.readTree(broken), "mismatched", 0), Mutation.ANY_VERSION, by);
        String failing = "{\"type\":\"number\",\"description\":\"GENERAL\",\"variants\":{\"one\":1},\"defaultVariant\":\"one\"}";
        catalog.putFlag(codec.decodeFlag(codec.readTree(failing), "plugin-down", 0), Mutation.ANY_VERSION, by);
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    /** An OFREP body with the required, empty context. */
    private static final String NO_CONTEXT = "{\"context\":{}}";

    private static HttpResponse<String> evaluate(String path, String token, String body) {
        return api.send("POST", path, token, body);
    }

    /** Evaluation in production unless a token or query names another environment; polling no faster than 5 s. */
    static OfrepResource.Config config() {
        return new OfrepResource.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return OfrepResource.Config.class;
            }

            @Override
            public String defaultEnvironment() {
                return "production";
            }

            @Override
            public long minPollingIntervalMs() {
                return 5000;
            }
        };
    }

    @Test
    void singleEvaluationHasTheSuccessShape() {
        HttpResponse<String> response = evaluate("/ofrep/v1/evaluate/flags/color", viewer,
                "{\"context\":{\"targetingKey\":\"u1\",\"country\":\"NL\"}}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = api.json(response);
        assertEquals("color", body.path("key").asText());
        assertEquals("#f00", body.path("value").asText());
        assertEquals("red", body.path("variant").asText());
        assertEquals("TARGETING_MATCH", body.path("reason").asText());
        assertTrue(body.path("metadata").isObject());
        assertEquals("production", body.path("metadata").path("environment").asText());
    }

    @Test
    void sdkTokensEvaluateInTheirOwnEnvironment() {
        JsonNode body = api.json(evaluate("/ofrep/v1/evaluate/flags/color", sdk, "{\"context\":{\"targetingKey\":\"u2\"}}"));
        assertEquals("red", body.path("variant").asText());
        assertEquals("staging", body.path("metadata").path("environment").asText());
        HttpResponse<String> elsewhere = evaluate("/ofrep/v1/evaluate/flags/color?environment=production", sdk, NO_CONTEXT);
        assertEquals(403, elsewhere.statusCode());
    }

    @Test
    void otherRolesChooseTheEnvironmentByQuery() {
        JsonNode body = api.json(evaluate("/ofrep/v1/evaluate/flags/color?environment=staging", viewer, NO_CONTEXT));
        assertEquals("staging", body.path("metadata").path("environment").asText());
    }

    @Test
    void unknownEnvironmentGives400NamingIt() {
        HttpResponse<String> response = evaluate("/ofrep/v1/evaluate/flags/color?environment=moon", viewer, NO_CONTEXT);
        assertEquals(400, response.statusCode());
        JsonNode body = api.json(response);
        assertEquals("UNKNOWN_ENVIRONMENT", body.path("error").asText());
        assertEquals("GENERAL", body.path("errorCode").asText());
        assertTrue(body.path("errorDetails").asText().contains("moon"));
    }

    @Test
    void unknownFlagGives404WithFlagNotFound() {
        HttpResponse<String> response = evaluate("/ofrep/v1/evaluate/flags/ghost", sdk, "{\"context\":{}}");
        assertEquals(404, response.statusCode());
        JsonNode body = api.json(response);
        assertEquals("ghost", body.path("key").asText());
        assertEquals("FLAG_NOT_FOUND", body.path("errorCode").asText());
        assertFalse(body.path("errorDetails").asText().isEmpty());
        assertFalse(body.has("value"));
    }

    @Test
    void contextThatIsNotAnObjectGives400InvalidContext() {
        for (String body : new String[] {"{\"context\":[1]}", "{\"context\":\"u1\"}", "[]",
                "{\"context\":{\"targetingKey\":42}}"}) {
            HttpResponse<String> response = evaluate("/ofrep/v1/evaluate/flags/color", sdk, body);
            assertEquals(400, response.statusCode(), body);
            assertEquals("INVALID_CONTEXT", api.json(response).path("errorCode").asText(), body);
            assertEquals("color", api.json(response).path("key").asText());
        }
    }

    @Test
    void aBodyWithoutTheRequiredContextGives400InvalidContext() {
        for (String body : new String[] {null, "{}", "{\"context\":null}", "{\"targetingKey\":\"u1\"}"}) {
            for (String path : new String[] {"/ofrep/v1/evaluate/flags/color", "/ofrep/v1/evaluate/flags"}) {
                HttpResponse<String> response = evaluate(path, sdk, body);
                assertEquals(400, response.statusCode(), path + " " + body);
                JsonNode error = api.json(response);
                assertEquals("INVALID_CONTEXT", error.path("errorCode").asText(), body);
                assertFalse(error.path("errorDetails").asText().isEmpty(), body);
            }
        }
    }

    @Test
    void malformedJsonGives400WithParseError() {
        HttpResponse<String> response = evaluate("/ofrep/v1/evaluate/flags/color", sdk, "{\"context\":");
        assertEquals(400, response.statusCode());
        assertEquals("PARSE_ERROR", api.json(response).path("errorCode").asText());
        assertEquals("INVALID_JSON", api.json(response).path("error").asText());
    }

    @Test
    void evaluationErrorsGive400WithTheirErrorCode() {
        HttpResponse<String> response = evaluate("/ofrep/v1/evaluate/flags/mismatched", sdk, NO_CONTEXT);
        assertEquals(400, response.statusCode());
        JsonNode body = api.json(response);
        assertEquals("TYPE_MISMATCH", body.path("errorCode").asText());
        assertEquals("mismatched", body.path("key").asText());
    }

    @Test
    void aFailureInsideAnExistingFlagServesItsDefaultWithReasonUnknownAndTheFailureInTheMetadata() {
        HttpResponse<String> response = evaluate("/ofrep/v1/evaluate/flags/plugin-down", sdk, NO_CONTEXT);
        assertEquals(200, response.statusCode());
        JsonNode body = api.json(response);
        assertEquals(1, body.path("value").asInt());
        assertEquals("one", body.path("variant").asText());
        assertEquals("UNKNOWN", body.path("reason").asText());
        assertFalse(body.has("errorCode"), "a served value carries no error code, or providers would drop it");
        JsonNode metadata = body.path("metadata");
        assertEquals("ERROR", metadata.path(OfrepResource.ENSIGN_REASON).asText());
        assertEquals("GENERAL", metadata.path(OfrepResource.ENSIGN_ERROR_CODE).asText());
        assertEquals("forced GENERAL", metadata.path(OfrepResource.ENSIGN_ERROR_DETAILS).asText());
    }

    @Test
    void reasonsOutsideTheProtocolsEnumBecomeUnknownAndTheOthersStay() {
        for (Reason reason : Reason.values()) {
            String sent = OfrepResource.ofrepReason(reason);
            boolean outside = reason == Reason.DEFAULT || reason == Reason.ERROR;
            assertEquals(outside ? "UNKNOWN" : reason.name(), sent, reason.name());
        }
    }

    @Test
    void bulkEvaluationAdvertisesTheEnvironmentsNotificationStream() {
        JsonNode body = api.json(evaluate("/ofrep/v1/evaluate/flags", sdk, "{\"context\":{\"targetingKey\":\"u1\"}}"));
        JsonNode streams = body.path("eventStreams");
        assertEquals(1, streams.size(), body.toString());
        assertEquals("sse", streams.path(0).path("type").asText());
        String uri = streams.path(0).path("endpoint").path("requestUri").asText();
        assertTrue(uri.startsWith("/ofrep/v1/events?environment=staging&ticket="), uri);
        String ticket = java.net.URLDecoder.decode(uri.substring(uri.indexOf("ticket=") + 7),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(api.tokens.redeem(ticket, "ofrep-events:staging").isPresent(), ticket);
        assertTrue(api.tokens.redeem(ticket, "ofrep-events:production").isEmpty(), ticket);
    }

    @Test
    void evaluationNeedsAToken() {
        HttpResponse<String> response = evaluate("/ofrep/v1/evaluate/flags/color", null, NO_CONTEXT);
        assertEquals(401, response.statusCode());
        assertEquals("UNAUTHORIZED", api.json(response).path("error").asText());
    }

    @Test
    void bulkEvaluationListsEveryFlagWithAnETagAnd304WhenUnchanged() {
        HttpResponse<String> first = evaluate("/ofrep/v1/evaluate/flags", sdk, "{\"context\":{\"targetingKey\":\"u1\"}}");
        assertEquals(200, first.statusCode(), first.body());
        JsonNode flags = api.json(first).path("flags");
        assertEquals(catalog.flags().size(), flags.size());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.startsWith("\"") && !etag.startsWith("W/"), "strong ETag: " + etag);
        JsonNode failed = null;
        for (JsonNode f : flags) {
            if (f.path("key").asText().equals("mismatched")) {
                failed = f;
            }
        }
        assertEquals("TYPE_MISMATCH", failed.path("errorCode").asText());

        HttpResponse<String> again = api.send(api.request("POST", "/ofrep/v1/evaluate/flags", sdk,
                "{\"context\":{\"targetingKey\":\"u1\"}}").header("If-None-Match", etag));
        assertEquals(304, again.statusCode());
        assertTrue(again.body().isEmpty());

        HttpResponse<String> otherUnit = api.send(api.request("POST", "/ofrep/v1/evaluate/flags", sdk,
                "{\"context\":{\"targetingKey\":\"u2\"}}").header("If-None-Match", etag));
        assertEquals(200, otherUnit.statusCode(), "another unit gets other values, so another ETag");
        assertFalse(etag.equals(otherUnit.headers().firstValue("ETag").orElseThrow()));
    }

    @Test
    void configurationAdvertisesPollingAndTypes() {
        HttpResponse<String> response = api.send("GET", "/ofrep/v1/configuration", sdk, null);
        assertEquals(200, response.statusCode());
        JsonNode capabilities = api.json(response).path("capabilities");
        assertTrue(capabilities.path("cacheInvalidation").path("polling").path("enabled").asBoolean());
        assertEquals(5000, capabilities.path("cacheInvalidation").path("polling").path("minPollingIntervalMs").asLong());
        assertTrue(capabilities.path("flagEvaluation").path("supportedTypes").toString().contains("boolean"));
    }
}
