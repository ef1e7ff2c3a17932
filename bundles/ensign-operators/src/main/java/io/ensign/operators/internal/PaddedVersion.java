package io.ensign.operators.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A version in GrowthBook's lenient order ({@code $veq}, {@code $vgt}...): a leading {@code v} and anything
 * from the first {@code +} are dropped, the rest is cut at every {@code .} and {@code -}; a version of exactly
 * three parts gets a fourth, {@code ~}, so that a release sorts after its pre-releases; parts that are all
 * digits are padded with spaces to five characters; the parts are joined with {@code -} and the texts
 * compared char by char. Empty text stands for {@code 0}. Any text is a version in this order.
 */
final class PaddedVersion implements OrderedOperand {
    private final String padded;

    private PaddedVersion(String padded) {
        this.padded = padded;
    }

    /**
     * Parses an operand.
     *
     * @throws IllegalArgumentException when it is neither text nor a number
     */
    static PaddedVersion of(Object operand) {
        String padded = pad(operand);
        if (padded == null) {
            throw new IllegalArgumentException("expected a version (text or number), got "
                    + Operands.describe(operand));
        }
        return new PaddedVersion(padded);
    }

    @Override
    public int compareAttribute(Object attribute) {
        String value = pad(attribute);
        return value == null ? UNORDERED : Integer.signum(value.compareTo(padded));
    }

    /** The padded form of text or a number, null for anything else. */
    static String pad(Object value) {
        String text;
        if (value instanceof String s) {
            text = s;
        } else if (value instanceof Number number) {
            text = asText(number);
        } else {
            return null;
        }
        if (text.isEmpty()) {
            text = "0";
        }
        if (text.startsWith("v")) {
            text = text.substring(1);
        }
        int build = text.indexOf('+');
        if (build >= 0) {
            text = text.substring(0, build);
        }
        List<String> parts = new ArrayList<>(Arrays.asList(text.split("[-.]", -1)));
        if (parts.size() == 3) {
            parts.add("~");
        }
        StringBuilder padded = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            if (i > 0) {
                padded.append('-');
            }
            if (!part.isEmpty() && part.chars().allMatch(c -> c >= '0' && c <= '9') && part.length() < 5) {
                padded.append(" ".repeat(5 - part.length()));
            }
            padded.append(part);
        }
        return padded.toString();
    }

    /** A number as JavaScript writes it, for the plain values versions take (integers, short decimals). */
    private static String asText(Number number) {
        return BigDecimal.valueOf(number.doubleValue()).stripTrailingZeros().toPlainString();
    }
}
