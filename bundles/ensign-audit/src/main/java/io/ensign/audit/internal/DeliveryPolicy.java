package io.ensign.audit.internal;

import java.time.Duration;

/**
 * How the dispatcher paces deliveries.
 *
 * @param initialBackoff the wait before the first retry of a failed record; it doubles with every further failure
 * @param maxBackoff     the longest wait between two attempts
 * @param batchSize      how many records are read from the change log at once
 * @param pollInterval   how often an idle sink looks for records even without a change notification
 */
record DeliveryPolicy(Duration initialBackoff, Duration maxBackoff, int batchSize, Duration pollInterval) {
    static final long DEFAULT_INITIAL_BACKOFF_MILLIS = 100;
    static final long DEFAULT_MAX_BACKOFF_MILLIS = 30_000;
    static final int DEFAULT_BATCH_SIZE = 500;
    static final long DEFAULT_POLL_INTERVAL_MILLIS = 5_000;
    /** The policy of an unconfigured server. */
    static final DeliveryPolicy DEFAULT = new DeliveryPolicy(Duration.ofMillis(DEFAULT_INITIAL_BACKOFF_MILLIS),
            Duration.ofMillis(DEFAULT_MAX_BACKOFF_MILLIS), DEFAULT_BATCH_SIZE,
            Duration.ofMillis(DEFAULT_POLL_INTERVAL_MILLIS));

    DeliveryPolicy {
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must be positive and its maximum at least its start");
        }
        if (batchSize < 1 || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("batch size and poll interval must be positive");
        }
    }

    static DeliveryPolicy of(AuditDispatcher.Config config) {
        return new DeliveryPolicy(Duration.ofMillis(config.initialBackoffMillis()),
                Duration.ofMillis(config.maxBackoffMillis()), config.batchSize(),
                Duration.ofMillis(config.pollIntervalMillis()));
    }

    /** The wait after {@code current}: twice as long, at most {@link #maxBackoff}. */
    Duration nextBackoff(Duration current) {
        Duration doubled = current.multipliedBy(2);
        return doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
    }
}
