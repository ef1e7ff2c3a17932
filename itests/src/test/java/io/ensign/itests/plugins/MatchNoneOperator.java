package io.ensign.itests.plugins;

import java.util.List;
import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;

/** Version 2 of the swapped operator: no unit matches, so evaluations fall through to the default. */
public final class MatchNoneOperator implements EvaluationOperator {
    @Override
    public Predicate<Object> compile(List<Object> values) {
        return attribute -> false;
    }
}
