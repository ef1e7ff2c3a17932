package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/** {@code lte}: the attribute is a number less than or equal to the first operand. */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "lte")
public final class LessThanOrEqualOperator extends OrderingOperator {
    public LessThanOrEqualOperator() {
        super(NumericOperand::of, order -> order <= 0);
    }
}
