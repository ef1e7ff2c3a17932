package io.ensign.api.model;

import java.util.List;
import java.util.Map;

/** The type of every variant value of a flag. */
public enum FlagType {
    BOOLEAN("boolean"), STRING("string"), NUMBER("number"), OBJECT("object");

    private final String jsonName;

    FlagType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name used in JSON: {@code boolean}, {@code string}, {@code number} or {@code object}. */
    public String jsonName() {
        return jsonName;
    }

    /** The type for a JSON name, or {@code null} when the name is none of them. */
    public static FlagType fromJsonName(String name) {
        for (FlagType t : values()) {
            if (t.jsonName.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /**
     * Whether a plain Java value (as decoded from JSON: Boolean, String, Number, Map, List) has this type.
     * An {@code object} flag takes JSON objects and arrays.
     */
    public boolean accepts(Object value) {
        switch (this) {
            case BOOLEAN: return value instanceof Boolean;
            case STRING: return value instanceof String;
            case NUMBER: return value instanceof Number;
            default: return value instanceof Map || value instanceof List;
        }
    }
}
