package io.ensign.itests.plugins;

import java.util.List;
import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;

/** A broken plugin: its predicate throws on every call. */
public final class ThrowingOperator implements EvaluationOperator {
    @Override
    public Predicate<Object> compile(List<Object> values) {
        return attribute -> {
            throw new IllegalStateException("this plugin always fails");
        };
    }
}
