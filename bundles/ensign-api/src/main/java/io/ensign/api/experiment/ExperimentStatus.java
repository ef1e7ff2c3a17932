package io.ensign.api.experiment;

import java.util.Locale;

/** Where an experiment is in its lifecycle: draft -> running -> analysing -> concluded. */
public enum ExperimentStatus {
    DRAFT, RUNNING, ANALYSING, CONCLUDED;

    /** The lowercase name used in JSON and stored documents, e.g. {@code running}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status of a JSON name, null when there is none of that name. */
    public static ExperimentStatus fromJsonName(String name) {
        for (ExperimentStatus status : values()) {
            if (status.jsonName().equals(name)) {
                return status;
            }
        }
        return null;
    }
}
