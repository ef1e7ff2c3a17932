package io.ensign.validation.internal;

import java.util.List;

import com.networknt.schema.Schema;

/**
 * A config entry's schema after compilation: usable, or broken with the problems found in it.
 *
 * @param schema   the compiled schema, null when broken
 * @param problems what is wrong with the schema, empty when usable
 */
record CompiledSchema(Schema schema, List<Problem> problems) {
    /**
     * One thing wrong with a schema or with a value checked against it.
     *
     * @param location JSON pointer into the schema or value, "" for the whole of it
     * @param message  the validator's sentence
     */
    record Problem(String location, String message) {
    }

    CompiledSchema {
        problems = List.copyOf(problems);
    }

    static CompiledSchema usable(Schema schema) {
        return new CompiledSchema(schema, List.of());
    }

    static CompiledSchema broken(List<Problem> problems) {
        return new CompiledSchema(null, problems);
    }

    boolean isBroken() {
        return schema == null;
    }
}
