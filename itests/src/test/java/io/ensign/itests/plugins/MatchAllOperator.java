package io.ensign.itests.plugins;

import java.util.List;
import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;

/** Version 1 of the swapped operator: every unit matches. */
public final class MatchAllOperator implements EvaluationOperator {
    @Override
    public Predicate<Object> compile(List<Object> values) {
        return attribute -> true;
    }
}
