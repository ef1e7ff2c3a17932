package io.ensign.engine.http.internal;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.evaluation.FlagEvaluator;
import io.ensign.api.model.Environment;
import io.ensign.api.store.StoreUnavailableException;

/**
 * The environments as of the evaluator's state version, read again from the catalog only when that version moves,
 * so that routes on the hot path rarely ask the catalog. While the store is unavailable the last list read stands
 * in, as the evaluator's snapshot stands in for the flags, and the store is asked again at most once a second.
 * Thread-safe.
 */
final class KnownEnvironments {
    private static final long NEVER = Long.MIN_VALUE;
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final FlagEvaluator evaluator;
    private final FlagCatalog catalog;
    private final LongSupplier nanoTime;
    private volatile Read read = new Read(NEVER, List.of(), false, 0);

    /** A list read at a state version; {@code stale} after a failed read again, not retried before {@code retryAt}. */
    private record Read(long stateVersion, List<Environment> environments, boolean stale, long retryAt) {
    }

    KnownEnvironments(FlagEvaluator evaluator, FlagCatalog catalog) {
        this(evaluator, catalog, System::nanoTime);
    }

    KnownEnvironments(FlagEvaluator evaluator, FlagCatalog catalog, LongSupplier nanoTime) {
        this.evaluator = evaluator;
        this.catalog = catalog;
        this.nanoTime = nanoTime;
    }

    /**
     * Reads the list now if the store answers, so that an outage before the first request has a list to stand in;
     * when it does not, the first request asks again.
     */
    void readAhead() {
        try {
            all();
        } catch (StoreUnavailableException e) {
            // nothing read: all() tries again
        }
    }

    /**
     * The environments now.
     *
     * @throws StoreUnavailableException when the store cannot be read and never could be
     */
    List<Environment> all() {
        Read current = read;
        // Read the version before listing: a change in between makes the next call list again, never miss one.
        long stateVersion = evaluator.stateVersion();
        if (current.stateVersion() == stateVersion
                || current.stale() && nanoTime.getAsLong() - current.retryAt() < 0) {
            return current.environments();
        }
        try {
            current = new Read(stateVersion, List.copyOf(catalog.environments()), false, 0);
        } catch (StoreUnavailableException e) {
            if (current.stateVersion() == NEVER) {
                throw e;
            }
            current = new Read(current.stateVersion(), current.environments(), true,
                    nanoTime.getAsLong() + RETRY_NANOS);
        }
        read = current;
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
