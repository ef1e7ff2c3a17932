package io.ensign.api.metrics;

import io.ensign.api.model.EvaluationResult;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the server's bundles report for its metrics. One bundle provides it (ensign-metrics, which serves them at
 * {@code GET /metrics}); the others hold it through an optional, dynamic reference and report nothing while it is
 * absent. Every method returns quickly and never throws to its caller's harm: a recorder must not slow down or fail
 * what it observes. Counts the domain bundles keep anyway (plugin health, audit sink lag) are read by the provider
 * from their services when it is scraped, not reported here.
 */
@ProviderType
public interface ServerMetrics {
    /**
     * One flag evaluation and its outcome. Called on the evaluation path: an implementation must take no lock and
     * allocate nothing once a (flag, environment, variant, reason) combination was seen.
     *
     * @param environment the environment evaluated in
     * @param result      the result returned to the caller
     */
    default void evaluated(String environment, EvaluationResult result) {
    }

    /**
     * One HTTP request answered by the API.
     *
     * @param method   the request method
     * @param route    the template of the route that took it (e.g. {@code /api/v1/flags/{key}}), never the raw path;
     *                 {@code ""} when no route took it
     * @param status   the response status
     * @param nanos    the time from arrival to the endpoint's return, in nanoseconds
     */
    default void requested(String method, String route, int status, long nanos) {
    }

    /** One evaluation snapshot built and swapped in, in nanoseconds. */
    default void snapshotBuilt(long nanos) {
    }

    /** One store commit (a transaction made durable), in nanoseconds. */
    default void storeCommitted(long nanos) {
    }

    /** How many change-stream (server-sent events) subscribers are connected now. */
    default void streamSubscribers(int count) {
    }

    /** Change-stream events written to subscribers. */
    default void streamEventsSent(int count) {
    }

    /** One batch of experiment events ingested: how many were stored, were duplicates, were rejected. */
    default void eventsIngested(long accepted, long duplicates, long rejected) {
    }
}
