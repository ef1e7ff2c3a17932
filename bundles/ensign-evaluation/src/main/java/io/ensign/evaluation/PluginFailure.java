package io.ensign.evaluation;

/**
 * A plugin failed or is missing during an evaluation. Carries no stack trace: it is a value on the error
 * path, and a missing plugin throws the same preallocated instance on every evaluation.
 */
public final class PluginFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PluginFailure(String message) {
        super(message, null, false, false);
    }
}
