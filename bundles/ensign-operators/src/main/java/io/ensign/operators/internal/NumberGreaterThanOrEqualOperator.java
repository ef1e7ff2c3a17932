package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code num_gte}: the attribute, a number or numeric text, is at least the first operand, both read as
 * doubles (Unleash's NUM_GTE).
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "num_gte")
public final class NumberGreaterThanOrEqualOperator extends OrderingOperator {
    public NumberGreaterThanOrEqualOperator() {
        super(NumericTextOperand::of, order -> order >= 0);
    }
}
