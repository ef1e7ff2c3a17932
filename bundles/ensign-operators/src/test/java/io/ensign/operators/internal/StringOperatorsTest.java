package io.ensign.operators.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

class StringOperatorsTest {
    private static Predicate<Object> contains(Object... values) {
        return new ContainsOperator().compile(Arrays.asList(values));
    }

    private static Predicate<Object> startsWith(Object... values) {
        return new StartsWithOperator().compile(Arrays.asList(values));
    }

    private static Predicate<Object> endsWith(Object... values) {
        return new EndsWithOperator().compile(Arrays.asList(values));
    }

    private static Predicate<Object> matches(Object... values) {
        return new MatchesOperator().compile(Arrays.asList(values));
    }

    @Test
    void containsMatchesWhenAnyOperandOccurs() {
        assertTrue(contains("@example.com").test("ann@example.com"));
        assertTrue(contains("@other.org", "@example.com").test("ann@example.com"));
        assertFalse(contains("@other.org", "@corp.com").test("ann@example.com"));
        assertFalse(contains("Example").test("ann@example.com"));
    }

    @Test
    void startsWithMatchesWhenAnyOperandIsAPrefix() {
        assertTrue(startsWith("en-", "nl-").test("nl-BE"));
        assertFalse(startsWith("en-", "nl-").test("de-nl-"));
    }

    @Test
    void endsWithMatchesWhenAnyOperandIsASuffix() {
        assertTrue(endsWith(".edu", ".org").test("wikipedia.org"));
        assertFalse(endsWith(".edu", ".org").test("org.example"));
    }

    @Test
    void matchesFindsTheExpressionAnywhereUnlessAnchored() {
        assertTrue(matches("[0-9]{3}").test("user-123-x"));
        assertFalse(matches("^[0-9]{3}$").test("user-123-x"));
        assertTrue(matches("^x$", "^user-[0-9]+-x$").test("user-123-x"));
        assertFalse(matches("^x$", "^y$").test("user-123-x"));
    }

    @Test
    void stringOperatorsAreFalseForMissingAttributes() {
        for (Predicate<Object> operator : List.of(contains("a"), startsWith("a"), endsWith("a"), matches("a"))) {
            assertFalse(operator.test(null));
        }
    }

    @Test
    void stringOperatorsAreFalseForNonStringAttributes() {
        for (Predicate<Object> operator : List.of(contains("1"), startsWith("1"), endsWith("1"), matches("1"))) {
            assertFalse(operator.test(1));
            assertFalse(operator.test(List.of("1")));
            assertFalse(operator.test(true));
        }
    }

    @Test
    void stringOperatorsRejectMissingOrNonStringOperands() {
        for (var operator : List.of(new ContainsOperator(), new StartsWithOperator(), new EndsWithOperator(),
                new MatchesOperator())) {
            assertThrows(IllegalArgumentException.class, () -> operator.compile(List.of()));
            assertThrows(IllegalArgumentException.class, () -> operator.compile(List.of("a", 1)));
            assertThrows(IllegalArgumentException.class, () -> operator.compile(Arrays.asList("a", null)));
        }
    }

    @Test
    void matchesRejectsAnInvalidExpressionSayingWhy() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> matches("(unclosed"));
        assertTrue(error.getMessage().contains("(unclosed"), error.getMessage());
    }

    @Test
    void matchesRejectsBackreferencesThatRe2CannotRunInLinearTime() {
        assertThrows(IllegalArgumentException.class, () -> matches("(a)\\1"));
    }

    @Test
    void matchesRunsANestedQuantifierAgainstAHostileInputInLinearTime() {
        // java.util.regex needs about 2^n steps for this pair; 50,000 characters would never finish.
        String hostile = "a".repeat(50_000) + "!";
        Predicate<Object> nested = matches("(a+)+$");
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertFalse(nested.test(hostile)));
        assertTrue(nested.test("a".repeat(50_000)));
    }
}
