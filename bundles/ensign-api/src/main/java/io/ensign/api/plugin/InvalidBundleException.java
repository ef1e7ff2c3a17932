package io.ensign.api.plugin;

/**
 * A jar was refused: it is no OSGi bundle, the framework cannot resolve it, it could take the server down, or it may
 * not be changed.
 */
public class InvalidBundleException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    /** @param reason why, e.g. the requirements the framework could not satisfy */
    public InvalidBundleException(String reason) {
        this(reason, null);
    }

    /**
     * @param reason why
     * @param field  what is at fault: a manifest header (e.g. {@code Bundle-SymbolicName}) or a request parameter
     *               (e.g. {@code symbolicName}); null when it is the jar as a whole
     * @since 1.1
     */
    public InvalidBundleException(String reason, String field) {
        super(reason);
        this.field = field;
    }

    /**
     * What is at fault, or null when it is the jar as a whole.
     *
     * @since 1.1
     */
    public String field() {
        return field;
    }
}
