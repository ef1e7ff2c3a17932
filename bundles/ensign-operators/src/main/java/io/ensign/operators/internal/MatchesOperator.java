package io.ensign.operators.internal;

import java.util.function.Predicate;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code matches}: any of the operands, a regular expression, is found somewhere in the string
 * attribute (anchor it with {@code ^...$} to match the whole value). Expressions use RE2 syntax and run
 * in time linear in the attribute's length, so a pattern such as {@code (a+)+$} cannot stall evaluation
 * with catastrophic backtracking; RE2 has no backreferences or lookaround, and such operands are
 * rejected when the condition compiles.
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "matches")
public final class MatchesOperator extends StringMatchOperator {
    @Override
    Predicate<String> compileOperand(String operand) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(operand);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("\"" + operand + "\" is no valid regular expression: " + e.getMessage(), e);
        }
        return text -> pattern.matcher(text).find();
    }
}
