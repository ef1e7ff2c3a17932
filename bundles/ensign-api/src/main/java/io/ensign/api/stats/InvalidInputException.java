package io.ensign.api.stats;

/** A statistical test's input is missing a field or has one out of range. */
public class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    /**
     * @param field   JSON pointer of the offending field, e.g. {@code /control/n}
     * @param message why it is wrong
     */
    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** JSON pointer of the offending field. */
    public String field() {
        return field;
    }
}
