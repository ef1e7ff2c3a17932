package io.ensign.validation.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import io.ensign.api.validation.Change;

/** Builds the changes rules see, the way the catalog and the config bundle build them. */
final class Changes {
    private Changes() {
    }

    /** A config write of {@code after} over {@code before} in an environment (null: global), without reason. */
    static Change config(Object before, Object after) {
        return new Change("config", "checkout/limits", "staging", before, after, "alice", null);
    }

    static Change of(String kind, String environment, Object before, Object after, String reason) {
        return new Change(kind, "key", environment, before, after, "alice", reason);
    }

    /** A JSON object from alternating member names and values; values may be null. */
    static Map<String, Object> object(Object... membersAndValues) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < membersAndValues.length; i += 2) {
            object.put((String) membersAndValues[i], membersAndValues[i + 1]);
        }
        return object;
    }

    /** A config entry as the config bundle writes it. */
    static Map<String, Object> entry(Object value) {
        return object("value", value, "secret", false);
    }
}
