package io.ensign.operators.internal;

import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code starts_with_ci}: the string attribute starts with any of the operands, ignoring case: both sides in
 * lower case, as Unleash's STR_STARTS_WITH with caseInsensitive compares them.
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "starts_with_ci")
public final class StartsWithIgnoringCaseOperator extends StringMatchOperator {
    public StartsWithIgnoringCaseOperator() {
        super(true);
    }

    @Override
    Predicate<String> compileOperand(String operand) {
        return text -> text.startsWith(operand);
    }
}
