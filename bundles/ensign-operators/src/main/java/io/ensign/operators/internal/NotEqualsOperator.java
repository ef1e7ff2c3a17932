package io.ensign.operators.internal;

import java.util.List;
import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/** {@code not_equals}: the attribute is present, of the first operand's type, and differs from it. */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "not_equals")
public final class NotEqualsOperator implements EvaluationOperator {
    @Override
    public Predicate<Object> compile(List<Object> values) {
        return ValueSet.of(List.of(Operands.first(values)))::excludes;
    }
}
