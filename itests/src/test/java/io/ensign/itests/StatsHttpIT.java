package io.ensign.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * The statistics calculator of a real server: every case of ensign-stats' SciPy fixtures (computed independently
 * with SciPy/NumPy) posted over HTTP to the built-in tests must come back with the same figures; unknown tests are
 * 404 and bad input 422 with the field's pointer.
 */
public class StatsHttpIT extends FrameworkServerTest {
    /** The fixtures, read from the source tree (the tests run with the itests module as working directory). */
    private static final Path FIXTURES = Path.of("../bundles/ensign-stats/src/test/resources/fixtures");
    private static final List<String> TESTS = List.of("welch-t", "two-proportion-z", "srm-chi-square", "sample-size",
            "msprt", "bayesian-lift", "guardrail");
    private static final double RELATIVE = 1e-9;
    private static final double ABSOLUTE = 1e-12;

    private final ObjectMapper mapper = new ObjectMapper();

    /** Posts once the test's service is up: DS may register the calculator before every test bundle started. */
    private JsonNode compute(String test, String token, String input, int status) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            var response = http.send("POST", "/api/v1/stats/" + test, token, input);
            if (response.statusCode() != 404 || status == 404) {
                assertEquals(response.body(), status, response.statusCode());
                return http.json(response);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no statistical test '" + test + "' appeared");
    }

    @Test
    public void everySciPyFixtureCaseAgreesOverHttp() throws Exception {
        String viewer = http.token("viewer", null);
        int cases = 0;
        for (String test : TESTS) {
            JsonNode fixture = mapper.readTree(Files.readString(FIXTURES.resolve(test + ".json")));
            for (JsonNode c : fixture.path("cases")) {
                JsonNode output = compute(test, viewer, mapper.writeValueAsString(c.path("input")), 200);
                List<String> problems = new ArrayList<>();
                compare(c.path("expected"), output, "", problems);
                assertTrue(test + " / " + c.path("name").asText() + ": " + problems, problems.isEmpty());
                cases++;
            }
        }
        assertEquals("the fixtures hold 78 cases", 78, cases);
    }

    /** Every expected field within 1e-9 relative or 1e-12 absolute, nulls where expected, no field missing. */
    private static void compare(JsonNode expected, JsonNode actual, String at, List<String> problems) {
        if (expected.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!actual.has(field.getKey())) {
                    problems.add(at + "/" + field.getKey() + " missing");
                } else {
                    compare(field.getValue(), actual.get(field.getKey()), at + "/" + field.getKey(), problems);
                }
            }
        } else if (expected.isBoolean()) {
            if (!actual.isBoolean() || expected.booleanValue() != actual.booleanValue()) {
                problems.add(at + ": expected " + expected + ", got " + actual);
            }
        } else if (expected.isNull() || actual.isNull()) {
            if (expected.isNull() != actual.isNull()) {
                problems.add(at + ": expected " + expected + ", got " + actual);
            }
        } else {
            double e = expected.asDouble();
            double a = actual.asDouble();
            if (Math.abs(e - a) > Math.max(ABSOLUTE, RELATIVE * Math.abs(e))) {
                problems.add(at + ": expected " + e + ", got " + a);
            }
        }
    }

    @Test
    public void unknownTestIs404NamingIt() throws Exception {
        JsonNode error = compute("kruskal-wallis", ADMIN, "{}", 404);
        assertEquals("NOT_FOUND", error.path("error").asText());
        assertEquals("no statistical test 'kruskal-wallis'", error.path("message").asText());
    }

    @Test
    public void badInputIs422WithTheTestAsRuleAndThePointer() throws Exception {
        JsonNode error = compute("welch-t", ADMIN, "{\"control\":{\"n\":1,\"mean\":1,\"variance\":1},"
                + "\"treatment\":{\"n\":10,\"mean\":1,\"variance\":1}}", 422);
        assertEquals("VALIDATION_FAILED", error.path("error").asText());
        assertEquals("welch-t", error.at("/violations/0/rule").asText());
        assertEquals("/control/n", error.at("/violations/0/field").asText());
        JsonNode missing = compute("two-proportion-z", ADMIN, "{\"control\":{\"n\":10,\"successes\":12}}", 422);
        assertTrue(missing.at("/violations/0/field").asText(), missing.at("/violations/0/field").asText().startsWith("/"));
        compute("srm-chi-square", ADMIN, "[1,2]", 422);
        assertEquals("INVALID_JSON", compute("sample-size", ADMIN, "{\"alpha\":", 400).path("error").asText());
    }

    @Test
    public void sdkTokensMayNotCalculate() {
        assertEquals(403, http.send("POST", "/api/v1/stats/welch-t", http.token("sdk", "production"), "{}")
                .statusCode());
    }
}
