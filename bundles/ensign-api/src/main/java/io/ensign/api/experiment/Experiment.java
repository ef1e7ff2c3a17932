package io.ensign.api.experiment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An experiment on a flag's variants in one environment. While it runs, evaluating the flag in that environment
 * assigns units to variants by hash with the experiment key as salt, in the proportions of {@code weights}.
 *
 * @param key                     the experiment key, {@code [A-Za-z0-9_.-]{1,128}}
 * @param flag                    the flag whose variants are compared
 * @param environment             the environment the experiment runs in
 * @param control                 the variant the others are compared with
 * @param weights                 variant to weight (> 0), in the order written; the variants compared
 * @param metrics                 what is measured, names unique
 * @param primaryMetric           the metric the sequential test and auto-stop decide on
 * @param alpha                   significance level, in (0, 1)
 * @param power                   planned power, in (0, 1)
 * @param minimumDetectableEffect the smallest difference of the primary metric worth detecting (> 0), in its units;
 *                                also the mixing scale of the sequential test
 * @param autoStop                whether and when the experiment stops itself
 * @param status                  its lifecycle status
 * @param winner                  the variant named when concluding, may be null
 * @param startedAt               when it started running, null before
 * @param stoppedAt               when it stopped running, null before
 * @param stoppedBy               who stopped it (an actor, or {@code auto-stop}), null before
 * @param version                 the stored version, 0 before the first write
 */
public record Experiment(String key, String flag, String environment, String control, Map<String, Double> weights,
                         List<Metric> metrics, String primaryMetric, double alpha, double power,
                         double minimumDetectableEffect, AutoStop autoStop, ExperimentStatus status, String winner,
                         Instant startedAt, Instant stoppedAt, String stoppedBy, long version) {
    /** Actor recorded when auto-stop moves an experiment to analysing. */
    public static final String AUTO_STOP_ACTOR = "auto-stop";

    public Experiment {
        Objects.requireNonNull(key, "key");
        weights = weights == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        metrics = metrics == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(metrics));
        autoStop = autoStop == null ? AutoStop.DISABLED : autoStop;
        status = status == null ? ExperimentStatus.DRAFT : status;
    }

    /** A draft as a writer defines it: no lifecycle fields yet. */
    public static Experiment draft(String key, String flag, String environment, String control,
                                   Map<String, Double> weights, List<Metric> metrics, String primaryMetric,
                                   double alpha, double power, double minimumDetectableEffect, AutoStop autoStop) {
        return new Experiment(key, flag, environment, control, weights, metrics, primaryMetric, alpha, power,
                minimumDetectableEffect, autoStop, ExperimentStatus.DRAFT, null, null, null, null, 0);
    }

    /** The metric of that name, null when the experiment has none. */
    public Metric metric(String name) {
        for (Metric metric : metrics) {
            if (metric.name().equals(name)) {
                return metric;
            }
        }
        return null;
    }

    /** This experiment in another lifecycle state. */
    public Experiment withLifecycle(ExperimentStatus newStatus, String newWinner, Instant newStartedAt,
                                    Instant newStoppedAt, String newStoppedBy) {
        return new Experiment(key, flag, environment, control, weights, metrics, primaryMetric, alpha, power,
                minimumDetectableEffect, autoStop, newStatus, newWinner, newStartedAt, newStoppedAt, newStoppedBy,
                version);
    }

    /** This experiment with another version number. */
    public Experiment withVersion(long newVersion) {
        return new Experiment(key, flag, environment, control, weights, metrics, primaryMetric, alpha, power,
                minimumDetectableEffect, autoStop, status, winner, startedAt, stoppedAt, stoppedBy, newVersion);
    }
}
