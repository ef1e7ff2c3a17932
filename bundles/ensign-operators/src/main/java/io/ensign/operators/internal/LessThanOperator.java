package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/** {@code lt}: the attribute is a number less than the first operand. */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "lt")
public final class LessThanOperator extends OrderingOperator {
    public LessThanOperator() {
        super(NumericOperand::of, order -> order < 0);
    }
}
