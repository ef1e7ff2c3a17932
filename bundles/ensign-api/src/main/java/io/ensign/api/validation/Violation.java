package io.ensign.api.validation;

import java.util.Objects;

/**
 * One thing a validation rule found wrong with a write.
 *
 * @param rule     the rule's name
 * @param field    JSON pointer into the written object, "" for the whole object
 * @param message  a sentence saying what is wrong
 * @param severity ERROR refuses the write; WARNING lets it through and is returned with the 2xx
 */
public record Violation(String rule, String field, String message, Severity severity) {
    /** How serious a violation is. */
    public enum Severity { ERROR, WARNING }

    public Violation {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
        field = field == null ? "" : field;
        severity = severity == null ? Severity.ERROR : severity;
    }

    /** An error violation. */
    public static Violation error(String rule, String field, String message) {
        return new Violation(rule, field, message, Severity.ERROR);
    }
}
