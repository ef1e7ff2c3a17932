package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/** {@code after}: the attribute names an instant strictly after the first operand (formats: {@link InstantOperand}). */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "after")
public final class AfterOperator extends OrderingOperator {
    public AfterOperator() {
        super(InstantOperand::of, order -> order > 0);
    }
}
