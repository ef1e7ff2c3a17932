package io.ensign.api.experiment;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.ensign.api.catalog.WriteContext;
import io.ensign.api.catalog.WriteResult;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Defines experiments, moves them through their lifecycle, ingests their events and analyses them. Writes are
 * validated (else {@link io.ensign.api.validation.ValidationException}, nothing stored), committed with their
 * audit record, and throw {@link io.ensign.api.store.VersionConflictException},
 * {@link io.ensign.api.catalog.NotFoundException} or {@link IllegalTransitionException} as the case may be.
 * {@code expectedVersion} means what it means for {@link io.ensign.api.catalog.FlagCatalog}.
 */
@ProviderType
public interface ExperimentService {
    /** Object kind of experiments in the store and audit trail. */
    String EXPERIMENT = "experiment";
    /**
     * Object kind of one experiment's results history in the store: key = the experiment key, the points live
     * and the input of the newest one.
     */
    String RESULTS_HISTORY = "experiment-results";
    /** Object kind of one recorded point of a results history: key = {@code <experiment>/<sequence>}. */
    String RESULTS_POINT = "experiment-result";

    /** Creates or replaces a draft; the lifecycle fields of the argument are ignored. */
    WriteResult<Experiment> put(Experiment experiment, long expectedVersion, WriteContext context);

    Optional<Experiment> get(String key);

    /** Every experiment, ordered by key. */
    List<Experiment> list();

    /** Deletes a draft; experiments that ever ran are kept for their record. */
    void delete(String key, long expectedVersion, WriteContext context);

    /** draft -> running; only one experiment per flag and environment may run. */
    Experiment start(String key, WriteContext context);

    /** running -> analysing. */
    Experiment stop(String key, WriteContext context);

    /**
     * analysing -> concluded. A winner (one of the experiment's variants, or null) is rolled out: the flag's
     * default variant in the experiment's environment becomes the winner, with no rules there.
     */
    Experiment conclude(String key, String winner, WriteContext context);

    /**
     * Validates and stores a batch of raw events (JSON-shaped maps as posted); the valid ones are stored even
     * when others are rejected.
     */
    IngestResult ingest(List<Map<String, Object>> rawEvents);

    /**
     * The results document of an experiment, JSON-shaped: {@code experiment, status, variants, comparisons, srm,
     * sequential, decision}. Reading it is a look of the sequential test and may fire auto-stop; when its input
     * changed since the newest point of the {@linkplain #resultsHistory results history}, it records a point there.
     */
    Map<String, Object> results(String key);

    /**
     * The results recorded over time, JSON-shaped: {@code points} (each {@code time, sequence, status, units,
     * variants, metrics, srm, decision}), ordered by time, and {@code truncated}. Points are recorded by the
     * analyses {@link #results} and auto-stop run, at most one per distinct input.
     *
     * @param since only points recorded after this instant; null for all
     * @param limit at most this many points (the newest ones), at least 1
     */
    Map<String, Object> resultsHistory(String key, Instant since, int limit);
}
