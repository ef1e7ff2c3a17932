package io.ensign.engine.http.internal;

import java.util.List;

import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.evaluation.FlagEvaluator;
import io.ensign.api.model.Environment;

/**
 * The environments as of the evaluator's state version, read again from the catalog only when that version moves,
 * so that routes on the hot path rarely ask the catalog. Thread-safe.
 */
final class KnownEnvironments {
    private final FlagEvaluator evaluator;
    private final FlagCatalog catalog;
    private volatile Read read = new Read(Long.MIN_VALUE, List.of());

    private record Read(long stateVersion, List<Environment> environments) {
    }

    KnownEnvironments(FlagEvaluator evaluator, FlagCatalog catalog) {
        this.evaluator = evaluator;
        this.catalog = catalog;
    }

    /** The environments now. */
    List<Environment> all() {
        Read current = read;
        // Read the version before listing: a change in between makes the next call list again, never miss one.
        long stateVersion = evaluator.stateVersion();
        if (current.stateVersion() != stateVersion) {
            current = new Read(stateVersion, List.copyOf(catalog.environments()));
            read = current;
        }
        return current.environments();
    }

    /** The environment of that name, or null. */
    Environment named(String name) {
        for (Environment environment : all()) {
            if (environment.name().equals(name)) {
                return environment;
            }
        }
        return null;
    }
}
