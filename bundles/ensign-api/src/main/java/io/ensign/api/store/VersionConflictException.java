package io.ensign.api.store;

/** A write expected another version of the object than the one stored; nothing was written. */
public class VersionConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String kind;
    private final String key;
    private final long expected;
    private final long actual;

    public VersionConflictException(String kind, String key, long expected, long actual) {
        super(kind + " '" + key + "' is at version " + actual + ", not " + expected);
        this.kind = kind;
        this.key = key;
        this.expected = expected;
        this.actual = actual;
    }

    public String kind() {
        return kind;
    }

    public String key() {
        return key;
    }

    /** The version the writer expected. */
    public long expected() {
        return expected;
    }

    /** The version stored, 0 when the object does not exist. */
    public long actual() {
        return actual;
    }
}
