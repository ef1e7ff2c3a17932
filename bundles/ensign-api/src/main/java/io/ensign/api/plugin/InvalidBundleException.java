package io.ensign.api.plugin;

/** A jar was refused: it is no OSGi bundle, the framework cannot resolve it, or it may not be changed. */
public class InvalidBundleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param reason why, e.g. the requirements the framework could not satisfy */
    public InvalidBundleException(String reason) {
        super(reason);
    }
}
