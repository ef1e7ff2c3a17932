package io.ensign.operators.internal;

import java.util.List;
import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/** {@code equals}: the attribute equals the first operand (a string, number or boolean; numbers by value). */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "equals")
public final class EqualsOperator implements EvaluationOperator {
    @Override
    public Predicate<Object> compile(List<Object> values) {
        return ValueSet.of(List.of(Operands.first(values)))::contains;
    }
}
