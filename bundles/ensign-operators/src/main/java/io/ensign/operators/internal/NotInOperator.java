package io.ensign.operators.internal;

import java.util.List;
import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/** {@code not_in}: the attribute is present, of a type some operand has, and equals none of them. */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "not_in")
public final class NotInOperator implements EvaluationOperator {
    @Override
    public Predicate<Object> compile(List<Object> values) {
        return ValueSet.of(values)::excludes;
    }
}
