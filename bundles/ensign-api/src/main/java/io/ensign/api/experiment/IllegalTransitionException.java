package io.ensign.api.experiment;

/** A lifecycle action or an edit that the experiment's current status does not allow; HTTP answers 409. */
public class IllegalTransitionException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String key;
    private final ExperimentStatus status;
    private final String action;

    public IllegalTransitionException(String key, ExperimentStatus status, String action) {
        this(key, status, action, "experiment '" + key + "' is " + status.jsonName() + "; it cannot " + action);
    }

    /** The same with a message that says why, when the status alone does not. */
    public IllegalTransitionException(String key, ExperimentStatus status, String action, String message) {
        super(message);
        this.key = key;
        this.status = status;
        this.action = action;
    }

    public String key() {
        return key;
    }

    /** The status the experiment is in. */
    public ExperimentStatus status() {
        return status;
    }

    /** What was attempted, e.g. {@code start}. */
    public String action() {
        return action;
    }
}
