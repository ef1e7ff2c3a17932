package io.ensign.operators.internal;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/** {@code exists}: the context has the attribute, whatever its value; operands are ignored. */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "exists")
public final class ExistsOperator implements EvaluationOperator {
    @Override
    public Predicate<Object> compile(List<Object> values) {
        return Objects::nonNull;
    }
}
