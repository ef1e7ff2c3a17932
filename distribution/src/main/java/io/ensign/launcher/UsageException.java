package io.ensign.launcher;

/** A command line or environment value the launcher cannot use; the message names it and says why. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
