package io.ensign.validation.internal;

import com.google.re2j.Pattern;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

/**
 * Compiles a schema's {@code pattern}s with RE2 (linear time) rather than java.util.regex, so a schema
 * written by one user cannot stall every later write with a catastrophically backtracking pattern.
 * RE2 has no look-around or back-references; a schema using them is refused as broken. RE2 matches in
 * linear time but compiles a long expression in quadratic time (16 000 letters take 50 ms, 64 000 nearly a
 * second), so an expression has at most {@value #LENGTH} characters.
 */
final class LinearTimeRegularExpressions implements RegularExpressionFactory {
    /** The longest expression compiled; a schema's patterns are rarely a tenth of it. */
    static final int LENGTH = 4096;

    @Override
    public RegularExpression getRegularExpression(String regex) {
        if (regex.length() > LENGTH) {
            throw new IllegalArgumentException(
                    "the pattern is longer than the " + LENGTH + " characters a regular expression may have");
        }
        Pattern pattern = Pattern.compile(regex);
        // JSON Schema patterns are unanchored: they match anywhere in the string.
        return value -> pattern.matcher(value).find();
    }
}
