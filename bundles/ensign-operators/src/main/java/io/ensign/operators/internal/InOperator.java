package io.ensign.operators.internal;

import java.util.List;
import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/** {@code in}: the attribute equals one of the operands (strings, numbers by value, booleans). */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "in")
public final class InOperator implements EvaluationOperator {
    @Override
    public Predicate<Object> compile(List<Object> values) {
        return ValueSet.of(values)::contains;
    }
}
