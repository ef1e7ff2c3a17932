package io.ensign.experiments.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.experiment.Experiment;
import io.ensign.api.experiment.ExperimentService;
import io.ensign.api.experiment.MetricAggregate;
import io.ensign.api.experiment.VariantAggregate;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;

/**
 * The results of an experiment over time, kept in the {@link Store}: one document of kind
 * {@value ExperimentService#RESULTS_POINT} per recorded point (key {@code <experiment>/<sequence>}, sequences from 0)
 * and one of kind {@value ExperimentService#RESULTS_HISTORY} per experiment (the head: the next sequence, the stride,
 * and the time and input fingerprint of the newest point). A point is added with the head in one commit against the
 * head's version, so two recorders (threads or nodes) cannot both add one on the same head, and a point exists only
 * if the commit that added it did.
 *
 * <p>A point is added only when the input of the analysis (the experiment's version and its aggregates) differs
 * from the newest point's, so repeated reads of unchanged results write nothing. The live points are the multiples
 * of the stride below the next sequence and the newest point; the stride starts at 1 and doubles whenever more than
 * {@code maximumPoints} would be live, deleting every other multiple in the same commit. So at most
 * {@code maximumPoints} stay live (and at least half as many once that many were recorded), evenly spaced, the first
 * and the newest among them, and the head stays a few numbers long however many points there are.
 */
final class ResultsHistory {
    /** The actor of the audit records of points. */
    static final String ACTOR = "analysis";
    /** The audit action of recording a point. */
    static final String RECORD = "record";
    /** The fewest points the bound may be: the first, the newest and one between them. */
    static final int MINIMUM_POINTS = 3;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** Where one experiment's history stands: the sequence of the next point, the stride, the newest point. */
    private record Head(long version, long next, long stride, String input, Instant time) {
        static final Head EMPTY = new Head(Mutation.ABSENT, 0, 1, null, null);

        /** The live sequences, ascending. */
        List<Long> points() {
            return live(next, stride);
        }
    }

    private final Store store;
    private final ObjectMapper mapper = new ObjectMapper();
    private volatile int maximumPoints;

    ResultsHistory(Store store, int maximumPoints) {
        this.store = store;
        maximumPoints(maximumPoints);
    }

    void maximumPoints(int maximumPoints) {
        this.maximumPoints = Math.max(MINIMUM_POINTS, maximumPoints);
    }

    /**
     * The mutations that record the results of an analysis as the newest point, empty when its input is the newest
     * point's, when the newest point is younger than {@code interval}, or when it is newer than this analysis (a
     * later analysis on later aggregates got there first). Commit them against the head read here, alone or with
     * the change the analysis leads to; a conflict means someone else recorded meanwhile.
     *
     * @param document the results document of the analysis
     * @param time     when the analysis ran
     * @param interval how much younger than the newest point this one may be; {@link Duration#ZERO} for any
     */
    List<Mutation> record(Experiment experiment, Map<String, VariantAggregate> aggregates,
                          Map<String, Object> document, Instant time, Duration interval) {
        Head head = head(experiment.key());
        if (head.time() != null && time.isBefore(head.time().plus(interval))) {
            return List.of();
        }
        String input = fingerprint(experiment, aggregates);
        if (input.equals(head.input())) {
            return List.of();
        }
        List<Mutation> mutations = new ArrayList<>();
        long sequence = head.next();
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("time", time.toString());
        point.put("sequence", sequence);
        point.putAll(ResultsPoint.of(document));
        mutations.add(mutation(ExperimentService.RESULTS_POINT, pointKey(experiment.key(), sequence), experiment,
                json(point), Mutation.ABSENT));
        long stride = head.stride();
        while (live(sequence + 1, stride).size() > maximumPoints) {
            stride *= 2;
        }
        Set<Long> kept = new HashSet<>(live(sequence + 1, stride));
        for (long dropped : head.points()) {
            if (!kept.contains(dropped)) {
                mutations.add(mutation(ExperimentService.RESULTS_POINT, pointKey(experiment.key(), dropped),
                        experiment, null, Mutation.ANY_VERSION));
            }
        }
        Map<String, Object> next = new LinkedHashMap<>();
        next.put("next", sequence + 1);
        next.put("stride", stride);
        next.put("input", input);
        next.put("time", time.toString());
        mutations.add(mutation(ExperimentService.RESULTS_HISTORY, experiment.key(), experiment, json(next),
                head.version()));
        return mutations;
    }

    /** The multiples of {@code stride} below {@code next} and the newest sequence, {@code next - 1}, ascending. */
    static List<Long> live(long next, long stride) {
        List<Long> sequences = new ArrayList<>();
        for (long sequence = 0; sequence < next; sequence += stride) {
            sequences.add(sequence);
        }
        if (next > 0 && (next - 1) % stride != 0) {
            sequences.add(next - 1);
        }
        return sequences;
    }

    /**
     * The live points of an experiment after {@code since} (null: all), oldest first; the newest {@code limit}. Points
     * are read newest first and only as far as needed: a point's time is never before the one recorded ahead of it
     * (see {@link #record}), so the first one at or before {@code since} ends the search.
     */
    Map<String, Object> read(String experiment, Instant since, int limit) {
        List<Long> sequences = head(experiment).points();
        List<Map<String, Object>> points = new ArrayList<>();
        boolean truncated = false;
        for (int i = sequences.size() - 1; i >= 0; i--) {
            // a point thinned out after the head was read is simply gone
            Optional<Map<String, Object>> point = store.get(ExperimentService.RESULTS_POINT,
                    pointKey(experiment, sequences.get(i))).map(this::parse);
            if (point.isEmpty()) {
                continue;
            }
            if (since != null && !Instant.parse((String) point.get().get("time")).isAfter(since)) {
                break;
            }
            if (points.size() == limit) {
                truncated = true;
                break;
            }
            points.add(point.get());
        }
        Collections.reverse(points);
        Map<String, Object> history = new LinkedHashMap<>();
        history.put("experiment", experiment);
        history.put("points", points);
        history.put("truncated", truncated);
        return history;
    }

    private Head head(String experiment) {
        Optional<Document> document = store.get(ExperimentService.RESULTS_HISTORY, experiment);
        if (document.isEmpty()) {
            return Head.EMPTY;
        }
        Map<String, Object> head = parse(document.get());
        return new Head(document.get().version(), ((Number) head.get("next")).longValue(),
                ((Number) head.get("stride")).longValue(), (String) head.get("input"),
                Instant.parse((String) head.get("time")));
    }

    /**
     * What an analysis read, as a digest: the experiment's version (its lifecycle) and every figure of its
     * aggregates, variants and metrics in name order.
     */
    static String fingerprint(Experiment experiment, Map<String, VariantAggregate> aggregates) {
        StringBuilder text = new StringBuilder().append(experiment.key()).append('@').append(experiment.version());
        new TreeMap<>(aggregates).forEach((variant, aggregate) -> {
            text.append('|').append(variant).append(':').append(aggregate.units()).append(',')
                    .append(aggregate.exposures()).append(',').append(aggregate.conflicts());
            new TreeMap<>(aggregate.metrics()).forEach((name, metric) -> append(text.append(';').append(name), metric));
        });
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void append(StringBuilder text, MetricAggregate metric) {
        text.append('=').append(metric.n()).append(',').append(Double.toHexString(metric.sum())).append(',')
                .append(Double.toHexString(metric.sumOfSquares())).append(',').append(metric.successes());
    }

    private static String pointKey(String experiment, long sequence) {
        return experiment + "/" + sequence;
    }

    private static Mutation mutation(String kind, String key, Experiment experiment, String json, long expected) {
        return new Mutation(kind, key, experiment.environment(), json, expected, json == null ? null : RECORD, ACTOR,
                null, null);
    }

    private String json(Map<String, Object> value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> parse(Document document) {
        try {
            return mapper.readValue(document.json(), MAP);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + document.kind() + " '" + document.key() + "'", e);
        }
    }
}
