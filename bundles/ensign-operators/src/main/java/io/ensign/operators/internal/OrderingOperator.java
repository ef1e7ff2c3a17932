package io.ensign.operators.internal;

import java.util.List;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;

/**
 * Base of the operators that order an attribute against their first operand (gt, semver_lt, before...):
 * a subclass names how the operand is parsed and which orderings it accepts.
 */
abstract class OrderingOperator implements EvaluationOperator {
    private final Function<Object, ? extends OrderedOperand> parser;
    private final IntPredicate accepted;

    /**
     * @param parser   turns the first operand into an {@link OrderedOperand}, throwing
     *                 IllegalArgumentException when it cannot
     * @param accepted which results of {@link OrderedOperand#compareAttribute} make the condition true
     */
    OrderingOperator(Function<Object, ? extends OrderedOperand> parser, IntPredicate accepted) {
        this.parser = parser;
        this.accepted = accepted;
    }

    @Override
    public final Predicate<Object> compile(List<Object> values) {
        OrderedOperand operand = parser.apply(Operands.first(values));
        return attribute -> {
            int order = operand.compareAttribute(attribute);
            return order != OrderedOperand.UNORDERED && accepted.test(order);
        };
    }
}
