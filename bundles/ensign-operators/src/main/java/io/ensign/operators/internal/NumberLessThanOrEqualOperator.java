package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code num_lte}: the attribute, a number or numeric text, is at most the first operand, both read as
 * doubles (Unleash's NUM_LTE).
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "num_lte")
public final class NumberLessThanOrEqualOperator extends OrderingOperator {
    public NumberLessThanOrEqualOperator() {
        super(NumericTextOperand::of, order -> order <= 0);
    }
}
