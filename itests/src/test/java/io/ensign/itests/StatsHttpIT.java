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
import java.util.Locale;
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

    /**
     * cuped and ratio have no SciPy fixtures; over HTTP their output must equal what the raw per-unit pairs below
     * give when computed here directly: θ = Σ(x-x̄)(y-ȳ)/Σ(x-x̄)² per variant pooled, ratio = Σa/Σb.
     */
    @Test
    public void cupedAndRatioAnswerFromTheSumsOfRawPairs() throws Exception {
        double[][] control = {{1, 2}, {2, 3.5}, {3, 3}, {4, 6}};
        double[][] treatment = {{1, 3}, {3, 4}, {5, 7.5}};
        String viewer = http.token("viewer", null);
        JsonNode cuped = compute("cuped", viewer, "{\"variants\":{\"control\":" + cupedSums(control)
                + ",\"treatment\":" + cupedSums(treatment) + "}}", 200);
        double theta = (centredProduct(control, 0, 1) + centredProduct(treatment, 0, 1))
                / (centredProduct(control, 0, 0) + centredProduct(treatment, 0, 0));
        assertEquals(theta, cuped.path("theta").asDouble(), 1e-12);
        assertEquals(4.0, cuped.at("/variants/control/n").asDouble(), 0);

        JsonNode ratio = compute("ratio", viewer, "{\"variants\":{\"control\":" + ratioSums(control) + "}}", 200);
        assertEquals(sum(control, 1) / sum(control, 0), ratio.at("/variants/control/mean").asDouble(), 1e-12);
        assertTrue(ratio.at("/variants/control/ratio/lower").asDouble() < ratio.at("/variants/control/mean").asDouble());
    }

    private static double sum(double[][] pairs, int column) {
        double total = 0;
        for (double[] pair : pairs) {
            total += pair[column];
        }
        return total;
    }

    /** Σ (u - ū)(v - v̄) over the pairs, columns a and b. */
    private static double centredProduct(double[][] pairs, int a, int b) {
        double meanA = sum(pairs, a) / pairs.length;
        double meanB = sum(pairs, b) / pairs.length;
        double total = 0;
        for (double[] pair : pairs) {
            total += (pair[a] - meanA) * (pair[b] - meanB);
        }
        return total;
    }

    private static double sumOfProducts(double[][] pairs, int a, int b) {
        double total = 0;
        for (double[] pair : pairs) {
            total += pair[a] * pair[b];
        }
        return total;
    }

    /** x in column 0, y in column 1. */
    private static String cupedSums(double[][] pairs) {
        return String.format(Locale.ROOT, "{\"n\":%d,\"sumX\":%s,\"sumY\":%s,\"sumXX\":%s,\"sumYY\":%s,"
                + "\"sumXY\":%s}", pairs.length, sum(pairs, 0), sum(pairs, 1), sumOfProducts(pairs, 0, 0),
                sumOfProducts(pairs, 1, 1), sumOfProducts(pairs, 0, 1));
    }

    /** Denominator in column 0, numerator in column 1. */
    private static String ratioSums(double[][] pairs) {
        return String.format(Locale.ROOT, "{\"n\":%d,\"sumNumerator\":%s,\"sumDenominator\":%s,"
                + "\"sumNumeratorSquares\":%s,\"sumDenominatorSquares\":%s,\"sumProducts\":%s}", pairs.length,
                sum(pairs, 1), sum(pairs, 0), sumOfProducts(pairs, 1, 1), sumOfProducts(pairs, 0, 0),
                sumOfProducts(pairs, 0, 1));
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
