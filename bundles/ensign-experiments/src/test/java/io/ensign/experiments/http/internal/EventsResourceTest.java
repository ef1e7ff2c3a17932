package io.ensign.experiments.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.auth.Role;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.store.Mutation;
import io.ensign.codec.ExperimentCodec;
import io.ensign.codec.ModelCodec;
import io.ensign.http.internal.ApiHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Event batches over HTTP: streaming reading, outcome counts, sdk environments and the batch body limit. */
class EventsResourceTest {
    /** Larger than the harness's general body limit, so the events route's own limit shows. */
    private static final int EVENTS_LIMIT = 64 * 1024;
    private static final String PATH = "/api/v1/events";

    private ApiHarness api;
    private final InMemoryExperiments experiments = new InMemoryExperiments();
    private String editor;

    @BeforeEach
    void start() throws Exception {
        api = ApiHarness.start();
        api.add(new EventsResource(experiments, InMemoryExperiments.eventsConfig(EVENTS_LIMIT)));
        editor = api.token(Role.EDITOR, null);
        define("prod-exp", "production");
        define("staging-exp", "staging");
    }

    private void define(String key, String environment) {
        String json = ExperimentsResourceTest.DEFINITION.replace("production", environment);
        experiments.put(new ExperimentCodec().decodeExperiment(new ModelCodec().readTree(json), key),
                Mutation.ANY_VERSION, new WriteContext("tests", null, null));
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    private static String exposure(String id, String experiment, String unit) {
        return "{\"id\":\"" + id + "\",\"type\":\"exposure\",\"experiment\":\"" + experiment + "\",\"unit\":\""
                + unit + "\",\"variant\":\"on\",\"timestamp\":\"2026-11-26T10:00:00Z\"}";
    }

    private static String batch(String... events) {
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    private JsonNode expect(int status, String token, String body) {
        HttpResponse<String> response = api.send("POST", PATH, token, body);
        assertEquals(status, response.statusCode(), response.body());
        return api.json(response);
    }

    @Test
    void countsAcceptedDuplicatesAndRejectedByIndexInOneServiceCall() {
        String metric = "{\"id\":\"m1\",\"type\":\"metric\",\"experiment\":\"prod-exp\",\"metric\":\"revenue\","
                + "\"unit\":\"u1\",\"value\":12.5,\"timestamp\":\"2026-11-26T10:00:00Z\"}";
        JsonNode result = expect(202, editor, batch(exposure("e1", "prod-exp", "u1"), metric, "17",
                exposure("e1", "prod-exp", "u1"), "{\"type\":\"exposure\"}", "[1,2]", exposure("e2", "nope", "u2")));
        assertEquals(2, result.path("accepted").asLong());
        assertEquals(1, result.path("duplicates").asLong());
        JsonNode rejected = result.path("rejected");
        assertEquals(4, rejected.size(), result.toString());
        int[] indices = {2, 4, 5, 6};
        for (int i = 0; i < indices.length; i++) {
            assertEquals(indices[i], rejected.get(i).path("index").asInt());
            assertTrue(!rejected.get(i).path("message").asText().isEmpty());
        }
        assertEquals("an event must be a JSON object", rejected.get(0).path("message").asText());
        assertEquals("unknown experiment", rejected.get(3).path("message").asText());
        assertEquals(1, experiments.batches.size(), "one service call per batch");
        assertEquals(5, experiments.batches.get(0).size(), "the objects go on; elements that are none are refused");
    }

    @Test
    void eventsArrivePlainMapsWithLongsDoublesAndNesting() {
        expect(202, editor, batch("{\"id\":\"x\",\"count\":3,\"big\":123456789012345678901234,\"value\":0.25,"
                + "\"flag\":true,\"none\":null,\"tags\":[\"a\",1],\"props\":{\"k\":\"v\"}}"));
        Map<String, Object> event = experiments.batches.get(0).get(0);
        assertEquals(3L, event.get("count"));
        assertEquals(1.2345678901234568E23, event.get("big"));
        assertEquals(0.25, event.get("value"));
        assertEquals(Boolean.TRUE, event.get("flag"));
        assertTrue(event.containsKey("none"));
        assertEquals(List.of("a", 1L), event.get("tags"));
        assertEquals(Map.of("k", "v"), event.get("props"));
    }

    @Test
    void resendingABatchCountsEveryEventAsDuplicate() {
        String body = batch(exposure("a", "prod-exp", "u1"), exposure("b", "prod-exp", "u2"));
        assertEquals(2, expect(202, editor, body).path("accepted").asLong());
        JsonNode again = expect(202, editor, body);
        assertEquals(0, again.path("accepted").asLong());
        assertEquals(2, again.path("duplicates").asLong());
        assertEquals(0, again.path("rejected").size());
    }

    @Test
    void sdkTokensPostOnlyForTheirEnvironmentsExperimentsAndIndicesStayTheBatchs() {
        String sdk = api.token(Role.SDK, "production");
        JsonNode result = expect(202, sdk, batch(exposure("s1", "staging-exp", "u1"), exposure("p1", "prod-exp", "u1"),
                "{\"id\":\"bad\"}", exposure("s2", "staging-exp", "u2"), exposure("p2", "prod-exp", "u2")));
        assertEquals(2, result.path("accepted").asLong());
        JsonNode rejected = result.path("rejected");
        assertEquals(3, rejected.size(), result.toString());
        assertEquals(0, rejected.get(0).path("index").asInt());
        assertTrue(rejected.get(0).path("message").asText().contains("staging"));
        assertEquals(2, rejected.get(1).path("index").asInt(), "the service's rejection, mapped back");
        assertEquals(3, rejected.get(2).path("index").asInt());
        assertEquals(3, experiments.batches.get(0).size());
        assertEquals(202, api.send("POST", PATH, api.token(Role.SDK, "staging"),
                batch(exposure("s3", "staging-exp", "u3"))).statusCode());
    }

    @Test
    void viewersMayNotPostEventsNorAnyoneWithoutToken() {
        expect(403, api.token(Role.VIEWER, null), batch(exposure("v", "prod-exp", "u")));
        expect(401, null, batch(exposure("v", "prod-exp", "u")));
        assertTrue(experiments.batches.isEmpty());
    }

    @Test
    void batchesAboveTheGeneralLimitPassUpToTheEventsLimitThen413() {
        StringBuilder events = new StringBuilder();
        int n = 0;
        while (events.length() < ApiHarness.MAX_BODY * 3) {
            events.append(n == 0 ? "" : ",").append(exposure("big" + n, "prod-exp", "u" + n));
            n++;
        }
        assertEquals(n, expect(202, editor, "{\"events\":[" + events + "]}").path("accepted").asLong());
        String tooLarge = "{\"events\":[" + "1,".repeat(EVENTS_LIMIT / 2) + "1]}";
        assertEquals("PAYLOAD_TOO_LARGE", expect(413, editor, tooLarge).path("error").asText());
        HttpRequest.Builder chunked = api.request("POST", PATH, editor, null)
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(tooLarge.getBytes(StandardCharsets.UTF_8))))
                .setHeader("Content-Type", "application/json");
        assertEquals(413, api.send(chunked).statusCode(), "a body without Content-Length is counted");
        assertEquals(1, experiments.batches.size());
    }

    @Test
    void malformedEnvelopesAre400Or422Or415AndIngestNothing() {
        assertEquals("INVALID_JSON", expect(400, editor, "{\"events\":[{\"id\":").path("error").asText());
        assertEquals("INVALID_JSON", expect(400, editor, "{\"events\":[]} {}").path("error").asText());
        assertEquals("INVALID_JSON", expect(400, editor, "{\"events\":[{\"id\":1,\"id\":2}]}").path("error").asText());
        JsonNode missing = expect(422, editor, "{}");
        assertEquals("/events", missing.at("/violations/0/field").asText());
        JsonNode unknown = expect(422, editor, "{\"events\":{},\"extra\":1}");
        assertEquals(2, unknown.path("violations").size());
        expect(422, editor, "[]");
        HttpResponse<String> text = api.send(api.request("POST", PATH, editor, "{\"events\":[]}")
                .setHeader("Content-Type", "text/plain"));
        assertEquals(415, text.statusCode());
        assertTrue(experiments.batches.isEmpty());
        JsonNode empty = expect(202, editor, "{\"events\":[]}");
        assertEquals(0, empty.path("accepted").asLong());
    }
}
