package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/** {@code gte}: the attribute is a number greater than or equal to the first operand. */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "gte")
public final class GreaterThanOrEqualOperator extends OrderingOperator {
    public GreaterThanOrEqualOperator() {
        super(NumericOperand::of, order -> order >= 0);
    }
}
