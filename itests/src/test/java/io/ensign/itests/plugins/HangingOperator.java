package io.ensign.itests.plugins;

import java.util.List;
import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;

/** A stuck plugin: its predicate sleeps far past any time budget. */
public final class HangingOperator implements EvaluationOperator {
    @Override
    public Predicate<Object> compile(List<Object> values) {
        return attribute -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        };
    }
}
