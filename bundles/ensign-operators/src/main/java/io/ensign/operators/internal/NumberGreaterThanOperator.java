package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code num_gt}: the attribute, a number or numeric text, is greater than the first operand, both read as
 * doubles (Unleash's NUM_GT).
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "num_gt")
public final class NumberGreaterThanOperator extends OrderingOperator {
    public NumberGreaterThanOperator() {
        super(NumericTextOperand::of, order -> order > 0);
    }
}
