package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/** {@code gt}: the attribute is a number greater than the first operand. */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "gt")
public final class GreaterThanOperator extends OrderingOperator {
    public GreaterThanOperator() {
        super(NumericOperand::of, order -> order > 0);
    }
}
