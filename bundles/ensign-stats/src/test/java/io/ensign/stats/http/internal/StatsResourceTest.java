package io.ensign.stats.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.auth.Role;
import io.ensign.api.stats.InvalidInputException;
import io.ensign.api.stats.StatisticalTest;
import io.ensign.http.internal.ApiHarness;
import io.ensign.http.internal.OpenApiChecks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

/** The statistics calculator over HTTP, with stand-in tests bound and unbound as DS would. */
class StatsResourceTest {
    private ApiHarness api;
    private final StatsResource stats = new StatsResource(StatsSettings.grace(0));
    private String viewer;

    /** Adds its two inputs a and b; complains about a missing one the way real tests do. */
    private static final StatisticalTest SUM = input -> {
        if (!(input.get("a") instanceof Number a)) {
            throw new InvalidInputException("/a", "is required and must be a number");
        }
        Number b = (Number) ((Map<?, ?>) input.getOrDefault("nested", Map.of("b", 0L))).get("b");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sum", a.doubleValue() + b.doubleValue());
        out.put("undefined", null);
        out.put("parts", List.of(a, b));
        return out;
    };

    @BeforeEach
    void start() throws Exception {
        api = ApiHarness.start();
        api.add(stats);
        stats.addTest(SUM, properties("sum", 0, 1L));
        viewer = api.token(Role.VIEWER, null);
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    private static Map<String, Object> properties(String name, int ranking, long id) {
        return Map.of(StatisticalTest.NAME, name, Constants.SERVICE_RANKING, ranking, Constants.SERVICE_ID, id);
    }

    private JsonNode expect(int status, String test, String token, String body) {
        HttpResponse<String> response = api.send("POST", "/api/v1/stats/" + test, token, body);
        assertEquals(status, response.statusCode(), response.body());
        return api.json(response);
    }

    @Test
    void passesTheBodyAsPlainMapsAndReturnsTheOutputAsItIs() {
        JsonNode out = expect(200, "sum", viewer, "{\"a\":2,\"nested\":{\"b\":0.5}}");
        assertEquals(2.5, out.path("sum").asDouble());
        assertTrue(out.path("undefined").isNull());
        assertEquals(2, out.at("/parts/0").asInt());
        assertTrue(out.at("/parts/0").isIntegralNumber(), "whole numbers stay whole");
    }

    @Test
    void unknownTestIs404NamingIt() {
        JsonNode error = expect(404, "kruskal", viewer, "{}");
        assertEquals("NOT_FOUND", error.path("error").asText());
        assertEquals("no statistical test 'kruskal'", error.path("message").asText());
    }

    @Test
    void invalidInputIs422WithTheTestAsRuleAndThePointer() {
        JsonNode error = expect(422, "sum", viewer, "{\"b\":1}");
        assertEquals("VALIDATION_FAILED", error.path("error").asText());
        assertEquals("sum", error.at("/violations/0/rule").asText());
        assertEquals("/a", error.at("/violations/0/field").asText());
        assertEquals("is required and must be a number", error.at("/violations/0/message").asText());
        assertEquals("/a", error.path("field").asText());
    }

    @Test
    void anyOtherFailureOfTheTestIs422NeverA5xx() {
        stats.addTest(input -> {
            throw new IllegalStateException("matrix is singular");
        }, properties("broken", 0, 2L));
        stats.addTest(input -> {
            throw new ArithmeticException();
        }, properties("silent", 0, 3L));
        stats.addTest(input -> ((Map<?, ?>) input.get("x")).isEmpty() ? Map.of() : Map.of(), properties("npe", 0, 4L));
        assertTrue(expect(422, "broken", viewer, "{}").at("/violations/0/message").asText().contains("singular"));
        assertTrue(expect(422, "silent", viewer, "{}").at("/violations/0/message").asText()
                .contains("ArithmeticException"));
        assertEquals("", expect(422, "npe", viewer, "{}").at("/violations/0/field").asText());
    }

    @Test
    void bodiesThatAreNoObjectOrNoJsonAreRefused() {
        assertEquals("", expect(422, "sum", viewer, "[1,2]").at("/violations/0/field").asText());
        assertEquals("INVALID_JSON", expect(400, "sum", viewer, "{\"a\":").path("error").asText());
        assertEquals("INVALID_JSON", expect(400, "sum", viewer, null).path("error").asText());
    }

    @Test
    void testsComeAndGoAndTheHigherRankedOneAnswers() {
        StatisticalTest better = input -> Map.of("sum", -1.0);
        stats.addTest(better, properties("sum", 10, 9L));
        assertEquals(-1.0, expect(200, "sum", viewer, "{\"a\":1}").path("sum").asDouble());
        stats.removeTest(better, properties("sum", 10, 9L));
        assertEquals(1.0, expect(200, "sum", viewer, "{\"a\":1}").path("sum").asDouble());
        stats.removeTest(SUM, properties("sum", 0, 1L));
        expect(404, "sum", viewer, "{\"a\":1}");
    }

    @Test
    void aTestThatLeavesAnswersThroughItsGracePeriodUntilItsReplacementArrives() {
        stats.configure(StatsSettings.grace(60_000));
        stats.removeTest(SUM, properties("sum", 0, 1L));
        assertEquals(1.0, expect(200, "sum", viewer, "{\"a\":1}").path("sum").asDouble(),
                "the departed test still answers within its grace period");
        stats.addTest(input -> Map.of("sum", 42.0), properties("sum", 0, 2L));
        assertEquals(42.0, expect(200, "sum", viewer, "{\"a\":1}").path("sum").asDouble(),
                "a replacement answers at once");
        expect(404, "other", viewer, "{\"a\":1}");
    }

    @Test
    void sdkTokensMayNotCalculate() {
        expect(403, "sum", api.token(Role.SDK, "production"), "{\"a\":1}");
        expect(401, "sum", null, "{\"a\":1}");
    }

    @Test
    void theOpenApiFragmentDocumentsEveryRouteAndNoOther() throws Exception {
        OpenApiChecks.assertDocumentedExactly(List.of(new StatsResource(StatsSettings.grace(0))));
    }
}
