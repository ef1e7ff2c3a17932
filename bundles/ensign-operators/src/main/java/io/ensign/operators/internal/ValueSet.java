package io.ensign.operators.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The operands of equals, not_equals, in and not_in: strings, booleans and numbers, where numbers are
 * equal by value ({@code 1} equals {@code 1.0}) and a string never equals a number. Arrays and objects
 * are rejected as operands, so an array or object attribute is of the wrong type.
 */
final class ValueSet {
    private final Set<String> strings = new HashSet<>();
    private final List<NumericOperand> numbers = new ArrayList<>();
    private final boolean hasTrue;
    private final boolean hasFalse;

    private ValueSet(List<Object> operands) {
        for (Object operand : operands) {
            if (operand instanceof String text) {
                strings.add(text);
            } else if (operand instanceof Number) {
                numbers.add(NumericOperand.of(operand));
            } else if (!(operand instanceof Boolean)) {
                throw new IllegalArgumentException(
                        "expected string, number or boolean operands, got " + Operands.describe(operand));
            }
        }
        hasTrue = operands.contains(Boolean.TRUE);
        hasFalse = operands.contains(Boolean.FALSE);
    }

    /**
     * Compiles operands.
     *
     * @throws IllegalArgumentException when there is none, or one is null, an array or an object
     */
    static ValueSet of(List<Object> operands) {
        return new ValueSet(Operands.all(operands));
    }

    /** Whether the attribute equals an operand. */
    boolean contains(Object attribute) {
        if (attribute instanceof String text) {
            return strings.contains(text);
        }
        if (attribute instanceof Boolean flag) {
            return flag ? hasTrue : hasFalse;
        }
        for (NumericOperand number : numbers) {
            if (number.compareAttribute(attribute) == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the attribute is of a type some operand has yet equals none; a missing attribute, one of
     * another type, or NaN is not excluded.
     */
    boolean excludes(Object attribute) {
        if (attribute instanceof String text) {
            return !strings.isEmpty() && !strings.contains(text);
        }
        if (attribute instanceof Boolean flag) {
            return (hasTrue || hasFalse) && !(flag ? hasTrue : hasFalse);
        }
        for (NumericOperand number : numbers) {
            int order = number.compareAttribute(attribute);
            if (order == 0 || order == OrderedOperand.UNORDERED) {
                return false;
            }
        }
        return !numbers.isEmpty();
    }
}
