package io.ensign.validation.internal;

import static io.ensign.validation.internal.Changes.config;
import static io.ensign.validation.internal.Changes.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ensign.api.validation.Violation;

import org.junit.jupiter.api.Test;

class JsonSchemaRuleTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final JsonSchemaRule rule = new JsonSchemaRule();

    private static Object json(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<Violation> write(String value, String schema) {
        return rule.validate(config(null, object("value", json(value), "schema", json(schema), "secret", false)));
    }

    private static List<String> fields(List<Violation> violations) {
        return violations.stream().map(Violation::field).toList();
    }

    @Test
    void valueWithinRangeAndEnumPasses() {
        assertEquals(List.of(), write("5", "{\"type\":\"integer\",\"minimum\":1,\"maximum\":10}"));
        assertEquals(List.of(), write("\"eu\"", "{\"enum\":[\"eu\",\"us\"]}"));
    }

    @Test
    void valueBelowMinimumIsAViolationOnValueNamingTheMinimum() {
        List<Violation> violations = write("0", "{\"type\":\"integer\",\"minimum\":1,\"maximum\":10}");
        assertEquals(1, violations.size());
        Violation v = violations.get(0);
        assertEquals("json-schema", v.rule());
        assertEquals("/value", v.field());
        assertEquals(Violation.Severity.ERROR, v.severity());
        assertTrue(v.message().contains("minimum") && v.message().contains("1"), v.message());
    }

    @Test
    void valueAboveMaximumIsAViolationNamingTheMaximum() {
        List<Violation> violations = write("11", "{\"type\":\"integer\",\"minimum\":1,\"maximum\":10}");
        assertEquals(List.of("/value"), fields(violations));
        assertTrue(violations.get(0).message().contains("maximum") && violations.get(0).message().contains("10"),
                violations.get(0).message());
    }

    @Test
    void uniqueItemsComparesAsJsonSchemaDoes() {
        String unique = "{\"type\":\"array\",\"uniqueItems\":true}";
        assertEquals(List.of("/value"), fields(write("[1, 2, 1.0]", unique)), "1 and 1.0 are one number");
        assertEquals(List.of("/value"), fields(write("[{\"a\":1,\"b\":[true]},{\"b\":[true],\"a\":1}]", unique)),
                "member order does not matter");
        assertEquals(List.of("/value"), fields(write("[\"x\", null, \"x\"]", unique)));
        assertEquals(List.of(), write("[1, \"1\", [1, 2], [2, 1], {\"a\":1}, {\"a\":\"1\"}, 0.5, 5, null, false]", unique));
        assertEquals(List.of(), write("[1, 1]", "{\"type\":\"array\",\"uniqueItems\":false}"));
    }

    @Test
    void valueOutsideEnumIsAViolationListingTheAllowedValues() {
        List<Violation> violations = write("\"asia\"", "{\"enum\":[\"eu\",\"us\"]}");
        assertEquals(List.of("/value"), fields(violations));
        assertTrue(violations.get(0).message().contains("eu"), violations.get(0).message());
    }

    @Test
    void nestedErrorsPointIntoTheValueAndAllComeBackTogether() {
        String schema = "{\"type\":\"object\",\"properties\":{\"limits\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},"
                + "\"region\":{\"type\":\"string\"}},\"required\":[\"region\"]}";
        List<Violation> violations = write("{\"limits\":[1,\"two\",3.5],\"region\":7}", schema);
        assertEquals(List.of("/value/limits/1", "/value/limits/2", "/value/region"),
                fields(violations).stream().sorted().toList());
    }

    @Test
    void missingRequiredMemberPointsAtTheObject() {
        List<Violation> violations = write("{}", "{\"type\":\"object\",\"required\":[\"region\"]}");
        assertEquals(List.of("/value"), fields(violations));
        assertTrue(violations.get(0).message().contains("region"), violations.get(0).message());
    }

    @Test
    void memberNamesWithSlashOrTildeAreEscapedInThePointer() {
        List<Violation> violations = write("{\"a/b\":\"x\",\"c~d\":\"y\"}",
                "{\"additionalProperties\":{\"type\":\"integer\"}}");
        assertEquals(List.of("/value/a~1b", "/value/c~0d"), fields(violations).stream().sorted().toList());
    }

    @Test
    void formatsAreAsserted() {
        assertEquals(List.of("/value"), fields(write("\"not an address\"", "{\"format\":\"email\"}")));
        assertEquals(List.of(), write("\"ops@example.com\"", "{\"format\":\"email\"}"));
    }

    @Test
    void linearFormatsKeepTheValidatorsVerdicts() {
        String[][] verdicts = {
                {"hostname", "api.example.com", "-api.example.com"}, {"ipv4", "10.0.0.255", "10.0.0.256"},
                {"ipv6", "2001:db8::1", "2001:db8::1%eth0"}, {"uuid", "123e4567-e89b-12d3-a456-426614174000", "123e4567"},
                {"json-pointer", "/a~1b/~0c", "/a~2"}, {"relative-json-pointer", "1/a", "/a"},
                {"uri-template", "https://example.com/{id}{?q,page}", "https://example.com/{id"},
                {"duration", "P1DT2H", "P1DT"}, {"email", "ops@example.com", "ops@"}, {"regex", "^[a-z]+$", "("}};
        for (String[] v : verdicts) {
            String schema = "{\"format\":\"" + v[0] + "\"}";
            assertEquals(List.of(), write("\"" + v[1] + "\"", schema), v[0] + " " + v[1]);
            assertEquals(List.of("/value"), fields(write("\"" + v[2] + "\"", schema)), v[0] + " " + v[2]);
        }
    }

    @Test
    void formatsWithALengthBoundNameIt() {
        List<Violation> violations = write("\"" + "a".repeat(300) + "@example.com\"", "{\"format\":\"email\"}");
        assertEquals(List.of("/value"), fields(violations));
        assertTrue(violations.get(0).message().contains("longer than the 254 characters an email address may have"),
                violations.get(0).message());
    }

    @Test
    void aPatternLongerThanTheBoundIsABrokenSchema() {
        List<Violation> violations = write("\"a\"", "{\"pattern\":\"" + "a".repeat(5000) + "\"}");
        assertEquals(List.of("/schema/pattern"), fields(violations));
        assertTrue(violations.get(0).message().contains("4096 characters a regular expression may have"),
                violations.get(0).message());
    }

    @Test
    void aReferenceCycleIsAViolationOfTheSchemaNotAFailure() {
        List<Violation> violations = write("1", "{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/b\"},"
                + "\"b\":{\"$ref\":\"#/$defs/a\"}},\"$ref\":\"#/$defs/a\"}");
        assertEquals(List.of("/schema"), fields(violations));
        assertEquals("json-schema", violations.get(0).rule());
    }

    @Test
    void integerAndFloatingPointValuesAreNumbers() {
        assertEquals(List.of(), write("2.5", "{\"type\":\"number\",\"maximum\":3}"));
        assertEquals(List.of("/value"), fields(write("2.5", "{\"type\":\"integer\"}")));
    }

    @Test
    void nullValueIsCheckedLikeAnyOther() {
        assertEquals(List.of("/value"), fields(write("null", "{\"type\":\"string\"}")));
        assertEquals(List.of(), write("null", "{\"type\":[\"string\",\"null\"]}"));
    }

    @Test
    void brokenSchemaIsAViolationOnSchemaAndTheValueIsNotChecked() {
        List<Violation> violations = write("\"anything\"", "{\"type\":\"integr\",\"minimum\":\"one\"}");
        assertTrue(!violations.isEmpty() && violations.stream().allMatch(v -> v.field().startsWith("/schema")),
                violations.toString());
        assertTrue(fields(violations).contains("/schema/minimum"), violations.toString());
    }

    @Test
    void schemaThatIsNeitherObjectNorBooleanIsBroken() {
        assertEquals(List.of("/schema"), fields(write("1", "42")));
    }

    @Test
    void booleanSchemasWork() {
        assertEquals(List.of(), write("1", "true"));
        assertEquals(List.of("/value"), fields(write("1", "false")));
    }

    @Test
    void remoteReferencesAreNeverFetched() {
        List<Violation> violations = write("1", "{\"$ref\":\"http://127.0.0.1:9/limits.json\"}");
        assertEquals(List.of("/schema"), fields(violations));
    }

    @Test
    void localReferencesResolve() {
        String schema = "{\"$defs\":{\"port\":{\"type\":\"integer\",\"maximum\":65535}},\"$ref\":\"#/$defs/port\"}";
        assertEquals(List.of(), write("8080", schema));
        assertEquals(List.of("/value"), fields(write("70000", schema)));
    }

    @Test
    void catastrophicPatternsRunInLinearTime() {
        String value = "\"" + "a".repeat(5000) + "!\"";
        List<Violation> violations = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> write(value, "{\"type\":\"string\",\"pattern\":\"^(a+)+$\"}"));
        assertEquals(List.of("/value"), fields(violations));
    }

    @Test
    void patternsMatchAnywhereInTheString() {
        assertEquals(List.of(), write("\"v1.2.3-beta\"", "{\"pattern\":\"[0-9]+\\\\.[0-9]+\"}"));
        assertEquals(List.of("/value"), fields(write("\"beta\"", "{\"pattern\":\"[0-9]+\\\\.[0-9]+\"}")));
    }

    @Test
    void patternsWithLookAroundAreRefusedAsBrokenSchemas() {
        assertEquals(List.of("/schema/pattern"), fields(write("\"x\"", "{\"pattern\":\"^(?!admin).*$\"}")));
    }

    @Test
    void entryWithoutSchemaOrWithNullSchemaIsNotChecked() {
        assertEquals(List.of(), rule.validate(config(null, object("value", 1, "secret", false))));
        assertEquals(List.of(), rule.validate(config(null, object("value", 1, "schema", null))));
    }

    @Test
    void oddShapesGiveNoViolation() {
        assertEquals(List.of(), rule.validate(config(null, null)));
        assertEquals(List.of(), rule.validate(config(null, "just a string")));
        assertEquals(List.of(), rule.validate(config(null, List.of(1, 2))));
        assertEquals(List.of(), rule.validate(config(null, object("value", new Object(), "schema", Map.of()))));
        assertEquals(List.of(), rule.validate(config(null, object("schema", Map.of("type", "string")))));
    }

    @Test
    void sameSchemaTextIsCompiledOnceAndTheCacheIsBounded() throws Exception {
        SchemaCompiler compiler = new SchemaCompiler(2);
        JsonNode a = MAPPER.readTree("{\"type\":\"integer\"}");
        JsonNode b = MAPPER.readTree("{\"type\":\"string\"}");
        JsonNode c = MAPPER.readTree("{\"type\":\"boolean\"}");
        CompiledSchema first = compiler.compile(a);
        assertSame(first, compiler.compile(MAPPER.readTree("{\"type\":\"integer\"}")));
        compiler.compile(b);
        compiler.compile(c);
        assertNotSame(first, compiler.compile(a), "the least recently used schema was evicted");
    }

    @Test
    void brokenSchemasAreCachedToo() throws Exception {
        SchemaCompiler compiler = new SchemaCompiler(4);
        JsonNode broken = MAPPER.readTree("{\"minimum\":\"one\"}");
        CompiledSchema compiled = compiler.compile(broken);
        assertTrue(compiled.isBroken());
        assertSame(compiled, compiler.compile(broken));
    }
}
