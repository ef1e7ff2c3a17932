package io.ensign.experiments.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.auth.Role;
import io.ensign.api.experiment.ExperimentStatus;
import io.ensign.http.internal.ApiHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Experiment definitions and lifecycle over HTTP, on a stand-in service. */
class ExperimentsResourceTest {
    static final String DEFINITION = "{\"flag\":\"checkout\",\"environment\":\"production\",\"control\":\"off\","
            + "\"weights\":{\"off\":50,\"on\":50},\"metrics\":[{\"name\":\"converted\",\"kind\":\"proportion\"},"
            + "{\"name\":\"revenue\",\"kind\":\"mean\"}],\"primaryMetric\":\"converted\",\"alpha\":0.05,\"power\":0.8,"
            + "\"minimumDetectableEffect\":0.01,\"autoStop\":{\"enabled\":true,\"minUnitsPerVariant\":1000}}";
    private static final String PATH = "/api/v1/experiments/exp1";

    private ApiHarness api;
    private final InMemoryExperiments experiments = new InMemoryExperiments();
    private String editor;
    private String viewer;

    @BeforeEach
    void start() throws Exception {
        api = ApiHarness.start();
        api.add(new ExperimentsResource(experiments));
        editor = api.token(Role.EDITOR, null);
        viewer = api.token(Role.VIEWER, null);
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    private HttpResponse<String> send(String method, String path, String token, String body) {
        return api.send(method, path, token, body);
    }

    private JsonNode expect(int status, String method, String path, String token, String body) {
        HttpResponse<String> response = send(method, path, token, body);
        assertEquals(status, response.statusCode(), response.body());
        return api.json(response);
    }

    @Test
    void putCreatesWith201ThenReplacesWith200WithVersionAndEtag() {
        HttpResponse<String> created = send("PUT", PATH, editor, DEFINITION);
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("\"1\"", created.headers().firstValue("ETag").orElseThrow());
        JsonNode body = api.json(created);
        assertEquals("exp1", body.path("key").asText());
        assertEquals("draft", body.path("status").asText());
        assertEquals(1, body.path("version").asLong());
        assertEquals(50.0, body.at("/weights/on").asDouble());
        assertEquals("proportion", body.at("/metrics/0/kind").asText());
        assertTrue(body.path("warnings").isArray());
        assertEquals(1, experiments.get("exp1").orElseThrow().version());

        JsonNode replaced = expect(200, "PUT", PATH, editor, DEFINITION.replace("0.01", "0.02"));
        assertEquals(2, replaced.path("version").asLong());
        assertEquals(0.02, experiments.get("exp1").orElseThrow().minimumDetectableEffect());
    }

    @Test
    void aGuardrailMetricIsTakenAndAnsweredAndABadOneIs422WithItsPointer() {
        String withGuardrail = DEFINITION.replace("{\"name\":\"revenue\",\"kind\":\"mean\"}",
                "{\"name\":\"errors\",\"kind\":\"proportion\",\"guardrail\":{\"direction\":\"lower-is-better\"}}");
        JsonNode body = expect(201, "PUT", PATH, editor, withGuardrail);
        assertEquals("lower-is-better", body.at("/metrics/1/guardrail/direction").asText());
        assertEquals(0.0, body.at("/metrics/1/guardrail/margin").asDouble());
        assertTrue(experiments.get("exp1").orElseThrow().metrics().get(1).guardrail().lowerIsBetter());
        JsonNode error = expect(422, "PUT", PATH, editor, withGuardrail.replace("lower-is-better", "sideways"));
        assertEquals("/metrics/1/guardrail/direction", error.at("/violations/0/field").asText(), error.toString());
    }

    @Test
    void getListsAndReadsWithEtagForViewers() {
        expect(201, "PUT", PATH, editor, DEFINITION);
        HttpResponse<String> one = send("GET", PATH, viewer, null);
        assertEquals(200, one.statusCode());
        assertEquals("\"1\"", one.headers().firstValue("ETag").orElseThrow());
        assertEquals("checkout", api.json(one).path("flag").asText());
        JsonNode all = expect(200, "GET", "/api/v1/experiments", viewer, null);
        assertEquals(1, all.size());
        assertEquals("exp1", all.get(0).path("key").asText());
        assertEquals(1, all.get(0).path("version").asLong());
        expect(404, "GET", "/api/v1/experiments/nope", viewer, null);
    }

    @Test
    void ifMatchOnAnOldVersionIs409AndChangesNothing() {
        expect(201, "PUT", PATH, editor, DEFINITION);
        HttpResponse<String> stale = api.send(api.request("PUT", PATH, editor, DEFINITION.replace("0.01", "0.5"))
                .header("If-Match", "\"7\""));
        assertEquals(409, stale.statusCode());
        assertEquals("VERSION_CONFLICT", api.json(stale).path("error").asText());
        assertEquals(0.01, experiments.get("exp1").orElseThrow().minimumDetectableEffect());
    }

    @Test
    void invalidDefinitionsAre422WithEveryViolationAndStoreNothing() {
        JsonNode error = expect(422, "PUT", PATH, editor, "{\"flag\":\"f\",\"weights\":{\"a\":1},\"colour\":1}");
        assertEquals("VALIDATION_FAILED", error.path("error").asText());
        assertTrue(error.path("violations").size() >= 5, error.toString());
        expect(422, "PUT", "/api/v1/experiments/bad%20key", editor, DEFINITION);
        assertTrue(experiments.list().isEmpty());
    }

    @Test
    void viewersAndSdkTokensCannotWriteAndNobodyWithoutToken() {
        expect(403, "PUT", PATH, viewer, DEFINITION);
        expect(403, "POST", PATH + "/start", viewer, null);
        expect(403, "GET", PATH, api.token(Role.SDK, "production"), null);
        expect(401, "GET", "/api/v1/experiments", null, null);
        assertTrue(experiments.list().isEmpty());
    }

    @Test
    void lifecycleRunsDraftRunningAnalysingConcludedAndAnswersTheExperiment() {
        expect(201, "PUT", PATH, editor, DEFINITION);
        HttpResponse<String> started = send("POST", PATH + "/start", editor, null);
        assertEquals(200, started.statusCode(), started.body());
        assertEquals("running", api.json(started).path("status").asText());
        assertEquals("\"2\"", started.headers().firstValue("ETag").orElseThrow());
        assertFalse(api.json(started).path("startedAt").asText().isEmpty());
        assertEquals("analysing", expect(200, "POST", PATH + "/stop", editor, null).path("status").asText());
        JsonNode concluded = expect(200, "POST", PATH + "/conclude", editor, "{\"winner\":\"on\"}");
        assertEquals("concluded", concluded.path("status").asText());
        assertEquals("on", concluded.path("winner").asText());
        assertEquals(4, concluded.path("version").asLong());
        assertEquals(ExperimentStatus.CONCLUDED, experiments.get("exp1").orElseThrow().status());
    }

    @Test
    void illegalTransitionsAre409IllegalTransitionAndChangeNothing() {
        expect(201, "PUT", PATH, editor, DEFINITION);
        JsonNode error = expect(409, "POST", PATH + "/stop", editor, null);
        assertEquals("ILLEGAL_TRANSITION", error.path("error").asText());
        assertTrue(error.path("message").asText().contains("draft"), error.toString());
        expect(409, "POST", PATH + "/conclude", editor, null);
        expect(200, "POST", PATH + "/start", editor, null);
        expect(409, "POST", PATH + "/start", editor, null);
        assertEquals("ILLEGAL_TRANSITION", expect(409, "PUT", PATH, editor, DEFINITION).path("error").asText());
        assertEquals("ILLEGAL_TRANSITION", expect(409, "DELETE", PATH, editor, null).path("error").asText());
        assertEquals(ExperimentStatus.RUNNING, experiments.get("exp1").orElseThrow().status());
        assertEquals(2, experiments.get("exp1").orElseThrow().version());
    }

    @Test
    void concludeWithoutBodyNamesNoWinnerAndABadBodyIs422() {
        expect(201, "PUT", PATH, editor, DEFINITION);
        expect(200, "POST", PATH + "/start", editor, null);
        expect(200, "POST", PATH + "/stop", editor, null);
        JsonNode bad = expect(422, "POST", PATH + "/conclude", editor, "{\"winner\":3,\"why\":\"x\"}");
        assertEquals(2, bad.path("violations").size(), bad.toString());
        assertEquals(ExperimentStatus.ANALYSING, experiments.get("exp1").orElseThrow().status());
        JsonNode concluded = expect(200, "POST", PATH + "/conclude", editor, null);
        assertTrue(concluded.path("winner").isMissingNode());
    }

    @Test
    void deleteRemovesADraftWith204AndUnknownIs404() {
        expect(201, "PUT", PATH, editor, DEFINITION);
        assertEquals(204, send("DELETE", PATH, editor, null).statusCode());
        assertTrue(experiments.get("exp1").isEmpty());
        expect(404, "DELETE", PATH, editor, null);
        expect(404, "POST", PATH + "/start", editor, null);
    }

    @Test
    void resultsAreTheServiceDocumentAsItIs() {
        expect(201, "PUT", PATH, editor, DEFINITION);
        experiments.ingest(List.of(
                Map.of("id", "e1", "type", "exposure", "experiment", "exp1", "unit", "u1", "variant", "on")));
        JsonNode results = expect(200, "GET", PATH + "/results", viewer, null);
        assertEquals(api.json(send("GET", PATH + "/results", editor, null)), results);
        assertEquals("exp1", results.path("experiment").asText());
        assertEquals(1, results.at("/variants/on/exposures").asLong());
        assertEquals(0.5, results.at("/srm/pValue").asDouble());
        expect(404, "GET", "/api/v1/experiments/nope/results", viewer, null);
    }

    @Test
    void historyPassesSinceAndLimitAndRefusesMalformedOnesWith400NamingThem() {
        expect(201, "PUT", PATH, editor, DEFINITION);
        for (int i = 0; i < 4; i++) {
            expect(200, "GET", PATH + "/results", viewer, null);
        }
        JsonNode all = expect(200, "GET", PATH + "/results/history", viewer, null);
        assertEquals(4, all.path("points").size());
        assertEquals(false, all.path("truncated").asBoolean());
        JsonNode page = expect(200, "GET", PATH + "/results/history?since=1970-01-01T00:00:00Z&limit=2", viewer, null);
        assertEquals(List.of("1970-01-01T00:00:02Z", "1970-01-01T00:00:03Z"),
                page.path("points").findValuesAsText("time"));
        assertTrue(page.path("truncated").asBoolean());
        for (String bad : List.of("since=yesterday", "since=2026-12-03", "limit=0", "limit=x", "limit=10001")) {
            JsonNode error = expect(400, "GET", PATH + "/results/history?" + bad, viewer, null);
            assertEquals("INVALID_PARAMETER", error.path("error").asText(), bad);
            assertEquals(bad.substring(0, bad.indexOf('=')), error.path("field").asText(), bad);
        }
        expect(404, "GET", "/api/v1/experiments/nope/results/history", viewer, null);
        expect(401, "GET", PATH + "/results/history", null, null);
    }
}
