package io.ensign.operators.internal;

import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/** {@code ends_with}: the string attribute ends with any of the operands. */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "ends_with")
public final class EndsWithOperator extends StringMatchOperator {
    @Override
    Predicate<String> compileOperand(String operand) {
        return text -> text.endsWith(operand);
    }
}
