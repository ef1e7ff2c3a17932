package io.ensign.validation.internal;

import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.MessageSourceError;
import com.networknt.schema.SchemaContext;
import com.networknt.schema.format.EmailFormat;
import com.networknt.schema.format.Format;
import com.networknt.schema.format.IdnEmailFormat;
import com.networknt.schema.format.IdnHostnameFormat;
import com.networknt.schema.format.RegexFormat;
import com.networknt.schema.keyword.FormatValidator;
import com.networknt.schema.path.NodePath;

import com.google.re2j.Pattern;

/**
 * The {@code format}s that replace the validator's own where those are not linear in the value: its
 * expression formats use java.util.regex, whose repeated groups recurse once per repetition (a 32 000
 * character {@code uri-template} overflowed the stack) and backtrack; here they are the same expressions
 * in RE2. Formats whose checker is not linear but whose values the standards bound in length (a mailbox,
 * a host name) refuse longer values first, naming the bound, so the checker only ever sees short input.
 */
final class LinearFormats {
    /** RFC 1123 / RFC 5890: a host name has at most 253 characters (its A-label form; a U-label is no longer). */
    static final int HOSTNAME_LENGTH = 253;
    /** RFC 5321 section 4.5.3.1.3: a path holds at most 256 octets, the two angle brackets included. */
    static final int MAILBOX_LENGTH = 254;

    private static final String XDIGIT = "[0-9A-Fa-f]";
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final String IPV4_TAIL = OCTET + "(\\." + OCTET + "){3}";
    private static final String HEX4 = XDIGIT + "{1,4}";
    /** The validator's IPv6 expression (IPv6Format.PATTERN_VALUE) spelled without repetition of itself. */
    static final String IPV6 = "^\\s*(((" + HEX4 + ":){7}(" + HEX4 + "|:))"
            + "|((" + HEX4 + ":){6}(:" + HEX4 + "|(" + IPV4_TAIL + ")|:))"
            + "|((" + HEX4 + ":){5}(((:" + HEX4 + "){1,2})|:(" + IPV4_TAIL + ")|:))"
            + "|((" + HEX4 + ":){4}(((:" + HEX4 + "){1,3})|((:" + HEX4 + ")?:(" + IPV4_TAIL + "))|:))"
            + "|((" + HEX4 + ":){3}(((:" + HEX4 + "){1,4})|((:" + HEX4 + "){0,2}:(" + IPV4_TAIL + "))|:))"
            + "|((" + HEX4 + ":){2}(((:" + HEX4 + "){1,5})|((:" + HEX4 + "){0,3}:(" + IPV4_TAIL + "))|:))"
            + "|((" + HEX4 + ":){1}(((:" + HEX4 + "){1,6})|((:" + HEX4 + "){0,4}:(" + IPV4_TAIL + "))|:))"
            + "|(:(((:" + HEX4 + "){1,7})|((:" + HEX4 + "){0,5}:(" + IPV4_TAIL + "))|:)))(%.+)?\\s*$";
    private static final String LABEL = "([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9])";
    /** A JSON pointer token: "~" only as the escapes "~0" and "~1" (the validator says so with a look-ahead). */
    private static final String POINTER = "(/([^/#~]|~[01])*)*";
    private static final String VARCHAR = "(\\w|%" + XDIGIT + "{2})";
    private static final String VARSPEC = "(" + VARCHAR + "(\\.?" + VARCHAR + ")*(:[1-9]\\d{0,3}|\\*)?)";

    private LinearFormats() {
    }

    /** Every format this bundle puts in place of the validator's, drafts and the validator's extras alike. */
    static List<Format> all() {
        return List.of(
                new Bounded(expression("hostname", "^" + LABEL + "(\\." + LABEL + ")*$", "format.hostname"),
                        HOSTNAME_LENGTH, "a host name"),
                new Bounded(new IdnHostnameFormat(), HOSTNAME_LENGTH, "a host name"),
                new Bounded(new EmailFormat(), MAILBOX_LENGTH, "an email address"),
                new Bounded(new IdnEmailFormat(), MAILBOX_LENGTH, "an email address"),
                new Bounded(new RegexFormat(), LinearTimeRegularExpressions.LENGTH, "a regular expression"),
                expression("ipv4", "^(" + OCTET + "\\.){3}" + OCTET + "$", "format.ipv4"),
                new Ipv6(),
                expression("json-pointer", "^" + POINTER + "$", "format.json-pointer"),
                expression("relative-json-pointer", "^(0|([1-9]\\d*))(#|" + POINTER + ")$",
                        "format.relative-json-pointer"),
                expression("uri-template", "^([^\\x00-\\x1f\\x7f\"'%<>\\^`\\{|\\}]|%" + XDIGIT + "{2}"
                        + "|\\{[+#./;?&=,!@|]?" + VARSPEC + "(," + VARSPEC + ")*\\})*$", "format.uri-template"),
                expression("uuid", "^" + XDIGIT + "{8}-" + XDIGIT + "{4}-" + XDIGIT + "{4}-" + XDIGIT + "{4}-"
                        + XDIGIT + "{12}$", "format.uuid"),
                new Duration(),
                // Not in any draft, but known to the validator, so a schema may name them.
                expression("alpha", "^[a-zA-Z]+$", "format"),
                expression("alphanumeric", "^[a-zA-Z0-9]+$", "format"),
                expression("ip-address", "^(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\.){3}"
                        + "(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)$", "format"),
                expression("phone", "^\\+(?:[0-9] ?){6,14}[0-9]$", "format"),
                expression("utc-millisec", "^[0-9]+(\\.?[0-9]+)?$", "format"),
                expression("style", "\\s*(.+?):\\s*([^;]+);?", "format"),
                expression("color", "(#?([0-9A-Fa-f]{3,6})\\b)|(aqua)|(black)|(blue)|(fuchsia)"
                        + "|(gray)|(green)|(lime)|(maroon)|(navy)|(olive)|(orange)|(purple)|(red)|(silver)|(teal)"
                        + "|(white)|(yellow)|(rgb\\(\\s*\\b" + OCTET + "\\b\\s*,\\s*\\b" + OCTET + "\\b\\s*,\\s*\\b"
                        + OCTET + "\\b\\s*\\))|(rgb\\(\\s*(\\d?\\d%|100%)+\\s*,\\s*(\\d?\\d%|100%)+\\s*,\\s*"
                        + "(\\d?\\d%|100%)+\\s*\\))", "format"));
    }

    private static Expression expression(String name, String regex, String messageKey) {
        return new Expression(name, Pattern.compile(regex), messageKey);
    }

    /**
     * A format that is an RE2 expression the whole value must match (the validator's expression formats match
     * the whole value, as java.util.regex's {@code matches}, even where the expression has no anchors).
     */
    private record Expression(String name, Pattern pattern, String messageKey) implements Format {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getMessageKey() {
            return messageKey;
        }

        @Override
        public boolean matches(ExecutionContext executionContext, String value) {
            return pattern.matcher(value).matches();
        }
    }

    /** {@code ipv6}: as the validator's, no surrounding spaces and no zone id, in RE2. */
    private static final class Ipv6 implements Format {
        private static final Pattern PATTERN = Pattern.compile(IPV6);

        @Override
        public String getName() {
            return "ipv6";
        }

        @Override
        public String getMessageKey() {
            return "format.ipv6";
        }

        @Override
        public boolean matches(ExecutionContext executionContext, String value) {
            return value.trim().equals(value) && value.indexOf('%') < 0 && PATTERN.matches(value);
        }
    }

    /** {@code duration}: ISO 8601 as the validator checks it, lax unless the registry is strict about it, in RE2. */
    private static final class Duration implements Format {
        private static final Pattern STRICT = Pattern.compile("^(?:P\\d+W)|(?:P(?:\\d+Y)?(?:\\d+M)?(?:\\d+D)?"
                + "(?:T(?:\\d+H)?(?:\\d+M)?(?:\\d+S)?)?)$", Pattern.CASE_INSENSITIVE);
        private static final Pattern LAX = Pattern.compile("^(?:[-+]?)P(?:[-+]?[0-9]+Y)?(?:[-+]?[0-9]+M)?"
                + "(?:[-+]?[0-9]+W)?(?:[-+]?[0-9]+D)?(?:T(?:[-+]?[0-9]+H)?(?:[-+]?[0-9]+M)?"
                + "(?:[-+]?[0-9]+(?:[.,][0-9]{0,9})?S)?)?$", Pattern.CASE_INSENSITIVE);

        @Override
        public String getName() {
            return "duration";
        }

        @Override
        public String getMessageKey() {
            return "format.duration";
        }

        @Override
        public boolean matches(ExecutionContext executionContext, SchemaContext schemaContext, String value) {
            if (value.endsWith("P") || value.endsWith("T")) {
                return false;
            }
            Pattern pattern = schemaContext.getSchemaRegistryConfig().isStrict("duration") ? STRICT : LAX;
            return pattern.matcher(value).matches();
        }
    }

    /**
     * A format whose values have a maximum length: a longer string is refused with a message naming the
     * bound, and only a string within it reaches the (not linear) checker.
     */
    private record Bounded(Format checker, int maxLength, String what) implements Format {
        @Override
        public String getName() {
            return checker.getName();
        }

        @Override
        public String getMessageKey() {
            return checker.getMessageKey();
        }

        @Override
        public boolean matches(ExecutionContext executionContext, SchemaContext schemaContext, String value) {
            return value.length() <= maxLength && checker.matches(executionContext, schemaContext, value);
        }

        @Override
        public void validate(ExecutionContext executionContext, SchemaContext schemaContext, JsonNode node,
                JsonNode rootNode, NodePath instanceLocation, boolean assertionsEnabled,
                Supplier<MessageSourceError.Builder> message, FormatValidator formatValidator) {
            if (assertionsEnabled && node.isTextual() && node.textValue().length() > maxLength) {
                executionContext.addError(message.get()
                        .message(String.format("is longer than the %d characters %s may have", maxLength, what))
                        .arguments(getName()).build());
            } else {
                Format.super.validate(executionContext, schemaContext, node, rootNode, instanceLocation,
                        assertionsEnabled, message, formatValidator);
            }
        }
    }
}
