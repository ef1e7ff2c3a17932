package io.ensign.operators.internal;

import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/** {@code contains}: the string attribute contains any of the operands. */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "contains")
public final class ContainsOperator extends StringMatchOperator {
    @Override
    Predicate<String> compileOperand(String operand) {
        return text -> text.contains(operand);
    }
}
