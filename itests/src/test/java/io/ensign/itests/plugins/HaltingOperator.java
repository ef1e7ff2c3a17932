package io.ensign.itests.plugins;

import java.util.List;
import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;

/**
 * An operator whose component halts the process as SCR activates it, through reflection, which no bytecode scan
 * sees: only the safe start (the jar was starting when the process died) catches it.
 */
public final class HaltingOperator implements EvaluationOperator {
    /** Called by DS on activation. */
    public void activate() throws ReflectiveOperationException {
        Runtime.class.getMethod(new StringBuilder("tlah").reverse().toString(), int.class)
                .invoke(Runtime.getRuntime(), 0);
    }

    @Override
    public Predicate<Object> compile(List<Object> values) {
        return attribute -> true;
    }
}
