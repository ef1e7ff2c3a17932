package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code num_eq}: the attribute, a number or numeric text, is equal to the first operand, both read as
 * doubles (Unleash's NUM_EQ).
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "num_eq")
public final class NumberEqualOperator extends OrderingOperator {
    public NumberEqualOperator() {
        super(NumericTextOperand::of, order -> order == 0);
    }
}
