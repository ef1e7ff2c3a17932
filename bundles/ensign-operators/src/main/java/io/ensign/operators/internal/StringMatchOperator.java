package io.ensign.operators.internal;

import java.util.List;
import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;

/**
 * Base of the operators that test a string attribute against string operands (contains, starts_with,
 * ends_with, matches). The condition is true when the attribute is a string and any operand matches it;
 * every test is case-sensitive.
 */
abstract class StringMatchOperator implements EvaluationOperator {

    /** Compiles one operand into the test applied to string attributes. */
    abstract Predicate<String> compileOperand(String operand);

    @Override
    public final Predicate<Object> compile(List<Object> values) {
        @SuppressWarnings("unchecked")
        Predicate<String>[] tests = Operands.strings(values).stream()
                .map(this::compileOperand)
                .toArray(Predicate[]::new);
        return attribute -> attribute instanceof String text && anyMatches(tests, text);
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
