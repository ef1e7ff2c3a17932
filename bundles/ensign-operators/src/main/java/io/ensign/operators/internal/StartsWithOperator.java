package io.ensign.operators.internal;

import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/** {@code starts_with}: the string attribute starts with any of the operands. */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "starts_with")
public final class StartsWithOperator extends StringMatchOperator {
    @Override
    Predicate<String> compileOperand(String operand) {
        return text -> text.startsWith(operand);
    }
}
