package io.ensign.operators.internal;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;

/**
 * Base of the operators that test a string attribute against string operands (contains, starts_with,
 * ends_with, matches, and the _ci forms). The condition is true when the attribute is a string and any
 * operand matches it. The tests are case-sensitive unless the subclass ignores case, which compares both
 * sides in lower case ({@link String#toLowerCase(Locale)} with {@link Locale#ROOT}), as Unleash's
 * case-insensitive constraints do.
 */
abstract class StringMatchOperator implements EvaluationOperator {
    private final boolean ignoreCase;

    StringMatchOperator() {
        this(false);
    }

    StringMatchOperator(boolean ignoreCase) {
        this.ignoreCase = ignoreCase;
    }

    /** Compiles one operand into the test applied to string attributes. */
    abstract Predicate<String> compileOperand(String operand);

    @Override
    public final Predicate<Object> compile(List<Object> values) {
        @SuppressWarnings("unchecked")
        Predicate<String>[] tests = Operands.strings(values).stream()
                .map(operand -> compileOperand(fold(operand)))
                .toArray(Predicate[]::new);
        return attribute -> attribute instanceof String text && anyMatches(tests, fold(text));
    }

    private String fold(String text) {
        return ignoreCase ? text.toLowerCase(Locale.ROOT) : text;
    }

    private static boolean anyMatches(Predicate<String>[] tests, String text) {
        for (Predicate<String> test : tests) {
            if (test.test(text)) {
                return true;
            }
        }
        return false;
    }
}
