package io.ensign.operators.internal;

import java.util.Locale;

/**
 * A number operand that also reads numbers written as text, as Unleash's {@code NUM_*} constraints read the
 * context's string values: both sides become doubles and compare as such. Text is a number when it is
 * {@code [+-]?(digits[.digits?] | .digits)([eE][+-]?digits)?} or, in any case, {@code inf}, {@code infinity}
 * or {@code nan} with an optional sign (the grammar of Rust's {@code f64} parser, which Unleash's engine
 * uses); anything else, surrounding blanks included, is no number. NaN is unordered.
 */
final class NumericTextOperand implements OrderedOperand {
    private final double value;

    private NumericTextOperand(double value) {
        this.value = value;
    }

    /**
     * Parses an operand.
     *
     * @throws IllegalArgumentException when it is neither a finite number nor text holding one
     */
    static NumericTextOperand of(Object operand) {
        Double value = asDouble(operand);
        if (value == null || !Double.isFinite(value)) {
            throw new IllegalArgumentException("expected a finite number or numeric text, got "
                    + Operands.describe(operand));
        }
        return new NumericTextOperand(value);
    }

    @Override
    public int compareAttribute(Object attribute) {
        Double number = asDouble(attribute);
        if (number == null || number.isNaN()) {
            return UNORDERED;
        }
        return number < value ? -1 : number > value ? 1 : 0;
    }

    /** The value as a double, or null when it is neither a number nor numeric text. */
    static Double asDouble(Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        return value instanceof String text ? parse(text) : null;
    }

    private static Double parse(String text) {
        String unsigned = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
        boolean negative = text.startsWith("-");
        switch (unsigned.toLowerCase(Locale.ROOT)) {
            case "inf", "infinity" -> {
                return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            case "nan" -> {
                return Double.NaN;
            }
            default -> {
                return isDecimal(unsigned) ? Double.parseDouble(text) : null;
            }
        }
    }

    /** Whether the text is digits with an optional point and fraction (or a point and digits), then an exponent. */
    private static boolean isDecimal(String text) {
        int i = 0;
        int n = text.length();
        int intDigits = 0;
        while (i < n && isDigit(text.charAt(i))) {
            i++;
            intDigits++;
        }
        int fractionDigits = 0;
        if (i < n && text.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
                fractionDigits++;
            }
        }
        if (intDigits + fractionDigits == 0) {
            return false;
        }
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
