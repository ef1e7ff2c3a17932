package io.ensign.stats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every built-in test agrees with reference values computed independently with SciPy and NumPy by
 * src/test/python/make_fixtures.py: within 1e-9 relative, or 1e-12 absolute near 0, with nulls exactly
 * where the reference is undefined and exactly the same output fields.
 */
class SciPyFixtureAgreementTest {
    private static final double RELATIVE_TOLERANCE = 1e-9;
    private static final double ABSOLUTE_TOLERANCE = 1e-12;
    private static final List<String> FIXTURES = List.of("welch-t", "two-proportion-z", "srm-chi-square",
            "sample-size", "msprt", "bayesian-lift", "guardrail");

    private final ObjectMapper json = new ObjectMapper();

    @TestFactory
    Stream<DynamicContainer> everyTestMatchesSciPyReferenceValues() {
        return FIXTURES.stream().map(this::casesOf);
    }

    private DynamicContainer casesOf(String fixture) {
        Map<String, Object> document = read(fixture);
        assertEquals(fixture, document.get("test"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cases = (List<Map<String, Object>>) document.get("cases");
        assertTrue(cases.size() >= 10, fixture + " has too few cases");
        return DynamicContainer.dynamicContainer(fixture, cases.stream().map(testCase -> DynamicTest.dynamicTest(
                (String) testCase.get("name"), () -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> input = (Map<String, Object>) testCase.get("input");
                    Map<String, Object> actual = BuiltInTests.named(fixture).compute(input);
                    assertAgrees("", testCase.get("expected"), actual);
                })));
    }

    private static void assertAgrees(String pointer, Object expected, Object actual) {
        if (expected instanceof Map<?, ?> expectedFields) {
            Map<?, ?> actualFields = assertInstanceOf(Map.class, actual, pointer);
            assertEquals(expectedFields.keySet(), actualFields.keySet(), "fields of " + pointer);
            expectedFields.forEach((name, value) -> assertAgrees(pointer + "/" + name, value, actualFields.get(name)));
        } else if (expected == null) {
            assertNull(actual, pointer + " must be null (undefined)");
        } else if (expected instanceof Boolean flag) {
            assertEquals(flag, actual, pointer);
        } else {
            double want = ((Number) expected).doubleValue();
            double got = assertInstanceOf(Double.class, actual, pointer + " must be a Double");
            double tolerance = Math.max(RELATIVE_TOLERANCE * Math.abs(want), ABSOLUTE_TOLERANCE);
            assertTrue(Math.abs(got - want) <= tolerance,
                    () -> pointer + ": expected " + want + " but was " + got + " (off by " + Math.abs(got - want) + ")");
        }
    }

    private Map<String, Object> read(String fixture) {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/" + fixture + ".json")) {
            if (in == null) {
                throw new IllegalStateException("fixture missing: " + fixture);
            }
            return json.readValue(in, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("fixture unreadable: " + fixture, e);
        }
    }
}
