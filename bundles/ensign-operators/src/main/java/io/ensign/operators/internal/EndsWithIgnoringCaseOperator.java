package io.ensign.operators.internal;

import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code ends_with_ci}: the string attribute ends with any of the operands, ignoring case: both sides in
 * lower case, as Unleash's STR_ENDS_WITH with caseInsensitive compares them.
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "ends_with_ci")
public final class EndsWithIgnoringCaseOperator extends StringMatchOperator {
    public EndsWithIgnoringCaseOperator() {
        super(true);
    }

    @Override
    Predicate<String> compileOperand(String operand) {
        return text -> text.endsWith(operand);
    }
}
