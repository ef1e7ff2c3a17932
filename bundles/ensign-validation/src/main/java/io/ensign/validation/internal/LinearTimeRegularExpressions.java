package io.ensign.validation.internal;

import com.google.re2j.Pattern;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

/**
 * Compiles a schema's {@code pattern}s with RE2 (linear time) rather than java.util.regex, so a schema
 * written by one user cannot stall every later write with a catastrophically backtracking pattern.
 * RE2 has no look-around or back-references; a schema using them is refused as broken.
 */
final class LinearTimeRegularExpressions implements RegularExpressionFactory {
    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern pattern = Pattern.compile(regex);
        // JSON Schema patterns are unanchored: they match anywhere in the string.
        return value -> pattern.matcher(value).find();
    }
}
