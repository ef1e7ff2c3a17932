package io.ensign.testing.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.ensign.api.experiment.ExperimentEvent;
import io.ensign.api.experiment.ExperimentEventStore;
import io.ensign.api.experiment.ExperimentEventStore.Outcome;
import io.ensign.api.experiment.ExposureEvent;
import io.ensign.api.experiment.MetricAggregate;
import io.ensign.api.experiment.MetricEvent;
import io.ensign.api.experiment.VariantAggregate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ExperimentEventStore} must do, as tests a store runs against itself (extend this class and say
 * how to open and close it): duplicates by event id within a batch and later, a unit's value as the sum of its
 * events, metrics before the exposure, order independence, conflicting exposures, aggregates equal to a
 * brute-force recomputation, everything kept across a close and reopen, sequential p-values' running minimum.
 */
public abstract class ExperimentEventStoreContract {
    private static final Instant T = Instant.parse("2026-11-26T12:00:00Z");

    /** The store under test, opened on the data named {@code "main"} before each test. */
    protected ExperimentEventStore store;

    /** Opens the store on this test's data of that name: empty the first time, what the last close left later. */
    protected abstract ExperimentEventStore openStore(String data);

    /** Closes a store opened by {@link #openStore(String)}; closing a closed store does nothing. */
    protected abstract void closeStore(ExperimentEventStore closing);

    @BeforeEach
    void openTheStore() {
        store = openStore("main");
    }

    @AfterEach
    void closeTheStore() {
        closeStore(store);
    }

    private static ExposureEvent exposure(String id, String unit, String variant) {
        return new ExposureEvent(id, "exp", unit, variant, T);
    }

    private static MetricEvent metric(String id, String unit, String metric, double value) {
        return new MetricEvent(id, "exp", metric, unit, value, T);
    }

    @Test
    void aSecondEventWithTheSameIdIsADuplicateInTheBatchAndLater() {
        List<Outcome> first = store.append(List.of(exposure("e1", "u1", "on"), metric("m1", "u1", "revenue", 5),
                metric("m1", "u1", "revenue", 5)));
        assertEquals(List.of(Outcome.ACCEPTED, Outcome.ACCEPTED, Outcome.DUPLICATE), first);
        List<Outcome> second = store.append(List.of(metric("m1", "u1", "revenue", 5),
                metric("m2", "u1", "revenue", 1)));
        assertEquals(List.of(Outcome.DUPLICATE, Outcome.ACCEPTED), second);
        MetricAggregate revenue = store.aggregates("exp").get("on").metric("revenue");
        assertEquals(new MetricAggregate(1, 6, 36, 1), revenue);
    }

    @Test
    void aUnitsValueIsTheSumOfItsEventsAndUnitsWithoutEventsCountAsZero() {
        store.append(List.of(exposure("e1", "u1", "on"), exposure("e2", "u2", "on"), exposure("e3", "u3", "on"),
                metric("m1", "u1", "revenue", 2), metric("m2", "u1", "revenue", 3), metric("m3", "u2", "revenue", 4)));
        store.append(List.of(metric("m4", "u2", "revenue", -4)));
        // per-unit values: u1 = 5, u2 = 0, u3 = 0
        MetricAggregate revenue = store.aggregates("exp").get("on").metric("revenue");
        assertEquals(3, revenue.n());
        assertEquals(5, revenue.sum(), 1e-12);
        assertEquals(25, revenue.sumOfSquares(), 1e-12);
        assertEquals(1, revenue.successes());
        assertEquals(new MetricAggregate(3, 0, 0, 0), store.aggregates("exp").get("on").metric("never-sent"));
    }

    @Test
    void metricEventsBeforeTheExposureCountOnceTheUnitIsExposed() {
        store.append(List.of(metric("m1", "u1", "revenue", 7), metric("m2", "u1", "clicks", 1)));
        assertTrue(store.aggregates("exp").isEmpty(), "a unit counts nowhere before its exposure");
        store.append(List.of(exposure("e1", "u1", "off")));
        VariantAggregate off = store.aggregates("exp").get("off");
        assertEquals(new MetricAggregate(1, 7, 49, 1), off.metric("revenue"));
        assertEquals(new MetricAggregate(1, 1, 1, 1), off.metric("clicks"));
    }

    @Test
    void aggregatesDoNotDependOnTheOrderOfEvents() {
        List<ExperimentEvent> events = new ArrayList<>();
        for (int u = 0; u < 50; u++) {
            events.add(exposure("e" + u, "u" + u, u % 2 == 0 ? "on" : "off"));
            for (int k = 0; k < u % 4; k++) {
                events.add(metric("m" + u + "-" + k, "u" + u, "revenue", u * 0.5 + k));
            }
        }
        store.append(events);
        Map<String, VariantAggregate> inOrder = store.aggregates("exp");

        List<ExperimentEvent> reversed = new ArrayList<>(events);
        Collections.reverse(reversed);
        ExperimentEventStore other = openStore("other");
        try {
            for (int from = 0; from < reversed.size(); from += 7) {
                other.append(reversed.subList(from, Math.min(from + 7, reversed.size())));
            }
            assertAggregatesEqual(inOrder, other.aggregates("exp"));
        } finally {
            closeStore(other);
        }
    }

    @Test
    void laterExposuresToAnotherVariantAreConflictsAndDoNotMoveTheUnit() {
        store.append(List.of(exposure("e1", "u1", "on"), metric("m1", "u1", "revenue", 3)));
        store.append(List.of(exposure("e2", "u1", "off"), exposure("e3", "u1", "on")));
        Map<String, VariantAggregate> aggregates = store.aggregates("exp");
        assertEquals(1, aggregates.get("on").units());
        assertEquals(2, aggregates.get("on").exposures());
        assertEquals(0, aggregates.get("off").units());
        assertEquals(1, aggregates.get("off").conflicts());
        assertEquals(3, aggregates.get("on").metric("revenue").sum(), 1e-12);
        assertEquals(0, aggregates.get("off").metric("revenue").sum(), 1e-12);
    }

    @Test
    void aggregatesEqualABruteForceRecomputationFromTheRawEvents() {
        Random random = new Random(42);
        List<String> variants = List.of("control", "a", "b");
        List<String> metrics = List.of("revenue", "converted");
        List<ExperimentEvent> events = new ArrayList<>();
        int id = 0;
        for (int u = 0; u < 300; u++) {
            int exposures = random.nextInt(4); // 0: never exposed
            for (int e = 0; e < exposures; e++) {
                events.add(exposure("x" + id++, "u" + u, variants.get(random.nextInt(variants.size()))));
            }
            int values = random.nextInt(5);
            for (int m = 0; m < values; m++) {
                double value = random.nextBoolean() ? random.nextInt(3) : random.nextGaussian() * 10;
                events.add(metric("x" + id++, "u" + u, metrics.get(random.nextInt(metrics.size())), value));
            }
        }
        Collections.shuffle(events, random);
        // a few resent events, as a client retrying a batch would
        for (int i = 0; i < 40; i++) {
            events.add(random.nextInt(events.size()), events.get(random.nextInt(events.size())));
        }
        List<ExperimentEvent> accepted = new ArrayList<>();
        int from = 0;
        while (from < events.size()) {
            int to = Math.min(events.size(), from + 1 + random.nextInt(60));
            List<ExperimentEvent> batch = events.subList(from, to);
            List<Outcome> outcomes = store.append(batch);
            for (int i = 0; i < batch.size(); i++) {
                if (outcomes.get(i) == Outcome.ACCEPTED) {
                    accepted.add(batch.get(i));
                }
            }
            from = to;
        }
        assertEquals(events.stream().map(ExperimentEvent::id).distinct().count(), accepted.size());
        assertAggregatesEqual(bruteForce(accepted, metrics), store.aggregates("exp"));
    }

    /** Recomputes aggregates from every accepted event: first exposure decides, values are per-unit sums. */
    private static Map<String, VariantAggregate> bruteForce(List<ExperimentEvent> accepted, List<String> metrics) {
        Map<String, String> variantOf = new HashMap<>();
        Map<String, long[]> counts = new HashMap<>();
        Map<String, Map<String, Double>> totals = new HashMap<>();
        for (ExperimentEvent event : accepted) {
            if (event instanceof ExposureEvent x) {
                long[] c = counts.computeIfAbsent(x.variant(), v -> new long[3]);
                c[1]++;
                String before = variantOf.putIfAbsent(x.unit(), x.variant());
                if (before == null) {
                    c[0]++;
                } else if (!before.equals(x.variant())) {
                    c[2]++;
                }
            } else if (event instanceof MetricEvent m) {
                totals.computeIfAbsent(m.unit(), u -> new HashMap<>()).merge(m.metric(), m.value(), Double::sum);
            }
        }
        Map<String, VariantAggregate> result = new HashMap<>();
        counts.forEach((variant, c) -> {
            Map<String, MetricAggregate> byMetric = new HashMap<>();
            for (String metric : metrics) {
                double sum = 0;
                double squares = 0;
                long successes = 0;
                for (Map.Entry<String, String> unit : variantOf.entrySet()) {
                    if (unit.getValue().equals(variant)) {
                        double value = totals.getOrDefault(unit.getKey(), Map.of()).getOrDefault(metric, 0.0);
                        sum += value;
                        squares += value * value;
                        successes += value > 0 ? 1 : 0;
                    }
                }
                byMetric.put(metric, new MetricAggregate(c[0], sum, squares, successes));
            }
            result.put(variant, new VariantAggregate(c[0], c[1], c[2], byMetric));
        });
        return result;
    }

    private static void assertAggregatesEqual(Map<String, VariantAggregate> expected,
                                              Map<String, VariantAggregate> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((variant, e) -> {
            VariantAggregate a = actual.get(variant);
            assertEquals(e.units(), a.units(), variant + " units");
            assertEquals(e.exposures(), a.exposures(), variant + " exposures");
            assertEquals(e.conflicts(), a.conflicts(), variant + " conflicts");
            Set<String> metrics = new HashSet<>(e.metrics().keySet());
            metrics.addAll(a.metrics().keySet());
            for (String metric : metrics) {
                MetricAggregate em = e.metric(metric);
                MetricAggregate am = a.metric(metric);
                String at = variant + "/" + metric;
                assertEquals(em.n(), am.n(), at + " n");
                assertEquals(em.sum(), am.sum(), 1e-9 * Math.max(1, Math.abs(em.sum())), at + " sum");
                assertEquals(em.sumOfSquares(), am.sumOfSquares(), 1e-9 * Math.max(1, em.sumOfSquares()),
                        at + " sum of squares");
                assertEquals(em.successes(), am.successes(), at + " successes");
            }
        });
    }

    @Test
    void batchesSurviveAReopenAndDuplicatesStayDuplicates() {
        store.append(List.of(exposure("e1", "u1", "on"), metric("m1", "u1", "revenue", 2)));
        closeStore(store);
        store = openStore("main");
        assertEquals(List.of(Outcome.DUPLICATE, Outcome.ACCEPTED),
                store.append(List.of(metric("m1", "u1", "revenue", 2), metric("m2", "u1", "revenue", 1))));
        assertEquals(3, store.aggregates("exp").get("on").metric("revenue").sum(), 1e-12);
    }

    @Test
    void sequentialPValuesKeepTheirRunningMinimumPerArm() {
        assertEquals(0.4, store.recordSequentialPValue("exp", "on", 0.4));
        assertEquals(0.2, store.recordSequentialPValue("exp", "on", 0.2));
        assertEquals(0.2, store.recordSequentialPValue("exp", "on", 0.9));
        assertEquals(0.7, store.recordSequentialPValue("exp", "other", 0.7));
        closeStore(store);
        store = openStore("main");
        assertEquals(0.2, store.recordSequentialPValue("exp", "on", 0.5));
    }

    @Test
    void experimentsAreAggregatedApart() {
        store.append(List.of(exposure("e1", "u1", "on"), new ExposureEvent("e2", "other", "u1", "off", T),
                new MetricEvent("m1", "other", "revenue", "u1", 4, T)));
        assertEquals(0, store.aggregates("exp").get("on").metric("revenue").sum());
        assertEquals(4, store.aggregates("other").get("off").metric("revenue").sum());
        assertTrue(store.aggregates("unknown").isEmpty());
    }
}
