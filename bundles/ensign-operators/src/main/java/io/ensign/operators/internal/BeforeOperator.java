package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/** {@code before}: the attribute names an instant strictly before the first operand (formats: {@link InstantOperand}). */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "before")
public final class BeforeOperator extends OrderingOperator {
    public BeforeOperator() {
        super(InstantOperand::of, order -> order < 0);
    }
}
