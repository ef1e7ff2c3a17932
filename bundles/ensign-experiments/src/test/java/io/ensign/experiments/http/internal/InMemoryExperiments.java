package io.ensign.experiments.http.internal;

import java.lang.annotation.Annotation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.catalog.WriteResult;
import io.ensign.api.experiment.Experiment;
import io.ensign.api.experiment.ExperimentService;
import io.ensign.api.experiment.ExperimentStatus;
import io.ensign.api.experiment.IllegalTransitionException;
import io.ensign.api.experiment.IngestResult;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.VersionConflictException;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;

/**
 * A plain stand-in for the experiment service: the lifecycle rules of api.md, idempotent ingestion by id with a
 * few checks, and a results document that counts exposures per variant. It records every batch it is given, and
 * every results document as a point of the results history, one second after the one before.
 */
public final class InMemoryExperiments implements ExperimentService {
    private final Map<String, Experiment> experiments = new TreeMap<>();
    private final Set<String> eventIds = new HashSet<>();
    private final Map<String, Map<String, Long>> exposures = new TreeMap<>();
    /** Every batch passed to {@link #ingest}, in order. */
    public final List<List<Map<String, Object>>> batches = new ArrayList<>();
    private final Map<String, List<Map<String, Object>>> points = new TreeMap<>();

    /** An events resource configuration with this body limit. */
    public static EventsResource.Config eventsConfig(int maxBodyBytes) {
        return new EventsResource.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return EventsResource.Config.class;
            }

            @Override
            public int maxBodyBytes() {
                return maxBodyBytes;
            }
        };
    }

    @Override
    public synchronized WriteResult<Experiment> put(Experiment experiment, long expectedVersion, WriteContext context) {
        Experiment current = experiments.get(experiment.key());
        long version = current == null ? 0 : current.version();
        if (current != null && current.status() != ExperimentStatus.DRAFT) {
            throw new IllegalTransitionException(current.key(), current.status(), "be edited");
        }
        checkVersion(experiment.key(), expectedVersion, version);
        Experiment stored = experiment.withLifecycle(ExperimentStatus.DRAFT, null, null, null, null)
                .withVersion(version + 1);
        experiments.put(stored.key(), stored);
        return new WriteResult<>(stored, current == null, List.of());
    }

    private static void checkVersion(String key, long expected, long actual) {
        if (expected != Mutation.ANY_VERSION && expected != actual) {
            throw new VersionConflictException(EXPERIMENT, key, expected, actual);
        }
    }

    @Override
    public synchronized Optional<Experiment> get(String key) {
        return Optional.ofNullable(experiments.get(key));
    }

    @Override
    public synchronized List<Experiment> list() {
        return List.copyOf(experiments.values());
    }

    @Override
    public synchronized void delete(String key, long expectedVersion, WriteContext context) {
        Experiment current = existing(key);
        if (current.status() != ExperimentStatus.DRAFT) {
            throw new IllegalTransitionException(key, current.status(), "be deleted");
        }
        checkVersion(key, expectedVersion, current.version());
        experiments.remove(key);
    }

    @Override
    public synchronized Experiment start(String key, WriteContext context) {
        return move(key, ExperimentStatus.DRAFT, ExperimentStatus.RUNNING, "start", null, context);
    }

    @Override
    public synchronized Experiment stop(String key, WriteContext context) {
        return move(key, ExperimentStatus.RUNNING, ExperimentStatus.ANALYSING, "stop", null, context);
    }

    @Override
    public synchronized Experiment conclude(String key, String winner, WriteContext context) {
        Experiment current = existing(key);
        if (winner != null && !current.weights().containsKey(winner)) {
            throw new ValidationException(List.of(Violation.error("experiment", "/winner", "no such variant")));
        }
        return move(key, ExperimentStatus.ANALYSING, ExperimentStatus.CONCLUDED, "conclude", winner, context);
    }

    private Experiment move(String key, ExperimentStatus from, ExperimentStatus to, String action, String winner,
                            WriteContext context) {
        Experiment current = existing(key);
        if (current.status() != from) {
            throw new IllegalTransitionException(key, current.status(), action);
        }
        Instant now = Instant.now();
        Experiment moved = current.withLifecycle(to, winner,
                to == ExperimentStatus.RUNNING ? now : current.startedAt(),
                to == ExperimentStatus.ANALYSING ? now : current.stoppedAt(),
                to == ExperimentStatus.ANALYSING ? context.actor() : current.stoppedBy())
                .withVersion(current.version() + 1);
        experiments.put(key, moved);
        return moved;
    }

    private Experiment existing(String key) {
        Experiment current = experiments.get(key);
        if (current == null) {
            throw new NotFoundException(EXPERIMENT, key);
        }
        return current;
    }

    @Override
    public synchronized IngestResult ingest(List<Map<String, Object>> rawEvents) {
        batches.add(rawEvents);
        long accepted = 0;
        long duplicates = 0;
        List<IngestResult.Rejection> rejected = new ArrayList<>();
        for (int i = 0; i < rawEvents.size(); i++) {
            Map<String, Object> event = rawEvents.get(i);
            String problem = problem(event);
            if (problem != null) {
                rejected.add(new IngestResult.Rejection(i, problem));
            } else if (!eventIds.add((String) event.get("id"))) {
                duplicates++;
            } else {
                accepted++;
                if ("exposure".equals(event.get("type"))) {
                    exposures.computeIfAbsent((String) event.get("experiment"), k -> new TreeMap<>())
                            .merge((String) event.get("variant"), 1L, Long::sum);
                }
            }
        }
        return new IngestResult(accepted, duplicates, rejected);
    }

    private String problem(Map<String, Object> event) {
        if (!(event.get("id") instanceof String)) {
            return "/id is required";
        }
        if (!(event.get("experiment") instanceof String key) || !experiments.containsKey(key)) {
            return "unknown experiment";
        }
        Object type = event.get("type");
        if ("exposure".equals(type)) {
            return event.get("variant") instanceof String ? null : "/variant is required";
        }
        if ("metric".equals(type)) {
            return event.get("value") instanceof Number ? null : "/value must be a number";
        }
        return "/type must be exposure or metric";
    }

    @Override
    public synchronized Map<String, Object> results(String key) {
        Experiment experiment = existing(key);
        Map<String, Object> variants = new LinkedHashMap<>();
        exposures.getOrDefault(key, Map.of()).forEach((variant, n) -> variants.put(variant, Map.of("exposures", n)));
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("experiment", key);
        results.put("status", experiment.status().jsonName());
        results.put("variants", variants);
        results.put("srm", Map.of("pValue", 0.5, "mismatch", false));
        List<Map<String, Object>> history = points.computeIfAbsent(key, k -> new ArrayList<>());
        history.add(Map.of("time", Instant.EPOCH.plusSeconds(history.size()).toString(), "variants", variants));
        return results;
    }

    @Override
    public synchronized Map<String, Object> resultsHistory(String key, Instant since, int limit) {
        existing(key);
        List<Map<String, Object>> after = points.getOrDefault(key, List.of()).stream()
                .filter(p -> since == null || Instant.parse((String) p.get("time")).isAfter(since)).toList();
        Map<String, Object> history = new LinkedHashMap<>();
        history.put("experiment", key);
        history.put("points", after.subList(Math.max(0, after.size() - limit), after.size()));
        history.put("truncated", after.size() > limit);
        return history;
    }
}
