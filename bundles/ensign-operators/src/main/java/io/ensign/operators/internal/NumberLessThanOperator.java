package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code num_lt}: the attribute, a number or numeric text, is less than the first operand, both read as
 * doubles (Unleash's NUM_LT).
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "num_lt")
public final class NumberLessThanOperator extends OrderingOperator {
    public NumberLessThanOperator() {
        super(NumericTextOperand::of, order -> order < 0);
    }
}
