package io.ensign.api.validation;

import java.util.List;

/** A write was refused because of one or more violations; nothing was stored. */
public class ValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<Violation> violations;

    public ValidationException(List<Violation> violations) {
        super(violations.isEmpty() ? "validation failed" : violations.get(0).message());
        this.violations = List.copyOf(violations);
    }

    /** Every violation found. */
    public List<Violation> violations() {
        return violations;
    }
}
