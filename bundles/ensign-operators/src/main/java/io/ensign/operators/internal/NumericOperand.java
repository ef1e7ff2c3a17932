package io.ensign.operators.internal;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A number operand that compares attribute values by numeric value whatever their Java class, so
 * {@code 1}, {@code 1L}, {@code 1.0} and {@code new BigDecimal("1.00")} are all equal.
 *
 * <p>When either side is a binary floating-point number (Double, Float) both compare as doubles, the way
 * a JavaScript client sees JSON numbers; two integral values compare exactly as longs; anything else
 * (BigDecimal, BigInteger, other Number classes) compares exactly as BigDecimal. NaN is unordered, so no
 * condition on it holds. The common pairs compare without allocating.
 */
final class NumericOperand implements OrderedOperand {
    private final boolean floating;
    private final double asDouble;
    private final boolean fitsLong;
    private final long asLong;
    private final BigDecimal exact;

    private NumericOperand(Number number) {
        floating = isFloating(number);
        asDouble = number.doubleValue();
        exact = floating ? null : exactValue(number);
        Long integral = floating ? null : longValueExact(exact);
        fitsLong = integral != null;
        asLong = fitsLong ? integral : 0;
    }

    /**
     * Parses an operand.
     *
     * @throws IllegalArgumentException when it is no finite number (strings holding digits included:
     *                                  conditions must write numbers as JSON numbers)
     */
    static NumericOperand of(Object operand) {
        if (!(operand instanceof Number number)) {
            throw new IllegalArgumentException("expected a number operand, got " + Operands.describe(operand));
        }
        if (isFloating(number) && !Double.isFinite(number.doubleValue())) {
            throw new IllegalArgumentException("expected a finite number operand, got " + number);
        }
        try {
            return new NumericOperand(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number operand, got " + Operands.describe(operand), e);
        }
    }

    @Override
    public int compareAttribute(Object attribute) {
        if (!(attribute instanceof Number number)) {
            return UNORDERED;
        }
        if (floating || isFloating(number)) {
            return compareDoubles(number.doubleValue(), asDouble);
        }
        if (fitsLong && isIntegral(number)) {
            return Long.compare(number.longValue(), asLong);
        }
        try {
            return exactValue(number).compareTo(exact);
        } catch (NumberFormatException e) {
            return UNORDERED;
        }
    }

    private static int compareDoubles(double attribute, double operand) {
        if (Double.isNaN(attribute)) {
            return UNORDERED;
        }
        // Plain comparisons rather than Double.compare, which would order -0.0 below 0.0.
        return attribute < operand ? -1 : attribute > operand ? 1 : 0;
    }

    private static boolean isFloating(Number number) {
        return number instanceof Double || number instanceof Float;
    }

    private static boolean isIntegral(Number number) {
        return number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte;
    }

    private static BigDecimal exactValue(Number number) {
        if (number instanceof BigDecimal decimal) {
            return decimal;
        }
        if (number instanceof BigInteger integer) {
            return new BigDecimal(integer);
        }
        // Long, Integer, AtomicLong and the like print their exact value.
        return new BigDecimal(number.toString());
    }

    private static Long longValueExact(BigDecimal value) {
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
