package io.ensign.operators.internal;

import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code contains_ci}: the string attribute contains any of the operands, ignoring case: both sides in
 * lower case, as Unleash's STR_CONTAINS with caseInsensitive compares them.
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "contains_ci")
public final class ContainsIgnoringCaseOperator extends StringMatchOperator {
    public ContainsIgnoringCaseOperator() {
        super(true);
    }

    @Override
    Predicate<String> compileOperand(String operand) {
        return text -> text.contains(operand);
    }
}
