package io.ensign.validation.internal;

import static io.ensign.validation.internal.LinearTime.MIB;
import static io.ensign.validation.internal.LinearTime.repeated;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.ensign.api.validation.Change;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A schema's {@code pattern} and {@code patternProperties} are written by users and run on every write of the
 * key: with RE2 their cost is linear in the value whatever the expression, even one that backtracks
 * catastrophically in java.util.regex. Each {@code format} is linear too (the validator's own overflowed the
 * stack on a 32 000 character {@code uri-template}).
 */
class JsonSchemaRuleTimeTest {
    /** Expressions that take exponential or quadratic time in a backtracking engine on runs of one character. */
    private static final List<String> HOSTILE_PATTERNS = List.of("^(a+)+$", "(a|aa)*b", "[a-z0-9]*:");
    private final JsonSchemaRule rule = new JsonSchemaRule();

    static Stream<String> units() {
        return LinearTime.UNITS.stream();
    }

    static Stream<String> growthUnits() {
        return LinearTime.GROWTH_UNITS.stream();
    }

    private int violations(Object value, Map<String, Object> schema) {
        return rule.validate(new Change("config", "checkout/limits", null, null,
                Map.of("value", value, "schema", schema), "alice", null)).size();
    }

    /** Whether any of the hostile patterns matches a long run of the unit, by a linear scan. */
    private static int expectedMismatches(String value) {
        return (int) HOSTILE_PATTERNS.stream()
                .filter(p -> !com.google.re2j.Pattern.compile(p).matcher(value).find()).count();
    }

    private Runnable patternCheck(String unit, int length) {
        String value = repeated(unit, length);
        int expected = expectedMismatches(value);
        List<Map<String, Object>> patterns = HOSTILE_PATTERNS.stream()
                .map(p -> Map.<String, Object>of("pattern", p)).toList();
        Map<String, Object> schema = Map.of("type", "string", "allOf", patterns);
        return () -> assertEquals(expected, violations(value, schema));
    }

    private Runnable patternPropertiesCheck(String unit, int length) {
        Map<String, Object> value = Map.of(repeated(unit, length), 1);
        Map<String, Object> schema = Map.of("type", "object",
                "patternProperties", Map.of("^(a+)+$", Map.of("type", "string")));
        // A name of only 'a's matches and its value 1 is no string: one violation; any other name: none.
        int expected = unit.equals("a") ? 1 : 0;
        return () -> assertEquals(expected, violations(value, schema));
    }

    /** Every format draft 2020-12 names, checked on long runs of these units. */
    private static final List<String> FORMATS = List.of("date", "date-time", "time", "duration", "email", "idn-email",
            "hostname", "idn-hostname", "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference", "uri-template",
            "json-pointer", "relative-json-pointer", "regex", "uuid");
    private static final List<String> FORMAT_UNITS = List.of("a", "0", "/", ":", ".", "-", "@", "\\", "%41", "{x}",
            "aB3", "1:");
    private static final List<String> FORMAT_GROWTH_UNITS = List.of("a", "/", "{x}");
    /**
     * The units whose long runs conform, per format; every other run is refused (too long for a host name, a
     * mailbox or a regular expression; no date, address or absolute URI at all). A relative reference may be any
     * run of path characters, a JSON pointer a run of slashes, a URI template any run without a stray brace.
     * Runs of {@code %41} and {@code {x}} are cut to lengths that are no multiple of 3, so they end in a broken
     * escape or an open brace and conform to nothing.
     */
    private static final Map<String, List<String>> CONFORMING = Map.of(
            "uri-reference", List.of("a", "0", "/", ".", "-", "@", "aB3"),
            "iri-reference", List.of("a", "0", "/", ".", "-", "@", "aB3"),
            "uri-template", List.of("a", "0", "/", ":", ".", "-", "@", "\\", "aB3", "1:"),
            "json-pointer", List.of("/"));

    static Stream<Arguments> formatsAndUnits() {
        return FORMATS.stream().flatMap(format -> FORMAT_UNITS.stream().map(unit -> Arguments.of(format, unit)));
    }

    static Stream<Arguments> formatsAndGrowthUnits() {
        return FORMATS.stream().flatMap(format -> FORMAT_GROWTH_UNITS.stream().map(unit -> Arguments.of(format, unit)));
    }

    private Runnable formatCheck(String format, String unit, int length) {
        String value = repeated(unit, length);
        int expected = CONFORMING.getOrDefault(format, List.of()).contains(unit) ? 0 : 1;
        Map<String, Object> schema = Map.of("type", "string", "format", format);
        return () -> assertEquals(expected, violations(value, schema), format + " of " + unit);
    }

    @ParameterizedTest
    @MethodSource("formatsAndUnits")
    void aMebibyteValueIsCheckedAgainstEachFormatWellUnderASecond(String format, String unit) {
        LinearTime.assertFast(format + " on " + unit, formatCheck(format, unit, MIB));
    }

    @ParameterizedTest
    @MethodSource("formatsAndGrowthUnits")
    void formatTimeGrowsLinearlyWithTheValue(String format, String unit) {
        LinearTime.assertLinear(format + " on " + unit, length -> formatCheck(format, unit, length));
    }

    @ParameterizedTest
    @MethodSource("units")
    void aMebibyteValueIsMatchedAgainstHostilePatternsWellUnderASecond(String unit) {
        LinearTime.assertFast("pattern on " + unit, patternCheck(unit, MIB));
    }

    @ParameterizedTest
    @MethodSource("growthUnits")
    void aMebibyteMemberNameIsMatchedAgainstPatternPropertiesWellUnderASecond(String unit) {
        LinearTime.assertFast("patternProperties on " + unit, patternPropertiesCheck(unit, MIB));
    }

    @ParameterizedTest
    @MethodSource("growthUnits")
    void patternTimeGrowsLinearlyWithTheValue(String unit) {
        LinearTime.assertLinear("pattern on " + unit, length -> patternCheck(unit, length));
    }

    /**
     * Distinct strings whose hashes all collide ("Aa" and "BB" hash alike, and so does every string of 15 such
     * pairs), about {@code length} bytes of JSON in all.
     */
    private static List<String> collidingStrings(int length) {
        int pairs = 15;
        int count = Math.min(1 << pairs, length / (2 * pairs + 3));
        List<String> strings = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder s = new StringBuilder(2 * pairs);
            for (int bit = 0; bit < pairs; bit++) {
                s.append((i >> bit & 1) == 0 ? "Aa" : "BB");
            }
            strings.add(s.toString());
        }
        return strings;
    }

    private Runnable uniqueItemsCheck(int length) {
        List<String> value = collidingStrings(length);
        Map<String, Object> schema = Map.of("type", "array", "uniqueItems", true);
        return () -> assertEquals(0, violations(value, schema));
    }

    @org.junit.jupiter.api.Test
    void aMebibyteArrayOfCollidingStringsIsCheckedForUniqueItemsWellUnderASecond() {
        LinearTime.assertFast("uniqueItems on colliding strings", uniqueItemsCheck(MIB));
    }

    @org.junit.jupiter.api.Test
    void uniqueItemsTimeGrowsLinearlyWithTheArray() {
        LinearTime.assertLinear("uniqueItems on colliding strings", this::uniqueItemsCheck);
    }
}
