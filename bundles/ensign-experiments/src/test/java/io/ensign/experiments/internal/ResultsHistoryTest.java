package io.ensign.experiments.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.experiment.AutoStop;
import io.ensign.api.experiment.ExperimentService;
import io.ensign.api.experiment.ExperimentStatus;
import io.ensign.api.stats.StatisticalTest;
import io.ensign.api.store.StoreUnavailableException;
import io.ensign.api.store.VersionConflictException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The results history: a point per analysis whose input changed, holding the results document's own numbers at that
 * time, at most the configured number kept, auto-stop looks at most once per interval, and no point from a commit
 * that failed.
 */
class ResultsHistoryTest {
    private static final Instant START = Instant.parse("2026-12-03T08:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(60);

    @TempDir
    Path directory;
    private Fixture fixture;
    private final MovableClock clock = new MovableClock();
    private final Random random = new Random(12);
    private int units;

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private void open(int historyPoints) {
        fixture = new Fixture(directory, Fixture.BUILT_IN_TESTS, clock, historyPoints, INTERVAL);
    }

    /** A batch of units, a random third converting with some revenue, spread over the variants given. */
    private List<Map<String, Object>> units(int count, String... variants) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int u = 0; u < count; u++) {
            String variant = variants[u % variants.length];
            batch.addAll(fixture.unit("e", "u" + units++, variant, random.nextInt(3) == 0
                    ? Map.of("converted", 1.0, "revenue", 5 + 10 * random.nextDouble()) : Map.of()));
        }
        return batch;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> points() {
        return (List<Map<String, Object>>) fixture.service.resultsHistory("e", null, 10_000).get("points");
    }

    private List<AuditRecord> records(String kind) {
        return fixture.changes().stream().filter(c -> c.kind().equals(kind)).toList();
    }

    @Test
    void aPointIsRecordedWhenTheAggregatesChangeAndNotWhenUnchangedResultsAreReadAgain() {
        open(StoredExperiments.DEFAULT_HISTORY_POINTS);
        fixture.service.put(Fixture.experiment("e", AutoStop.DISABLED), -1, Fixture.ALICE);
        fixture.service.results("e");
        assertEquals(List.of(), points(), "a draft has no history");

        fixture.service.start("e", Fixture.ALICE);
        fixture.service.ingest(units(40, "off", "on"));
        for (int read = 0; read < 5; read++) {
            fixture.service.results("e");
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals(1, points().size(), "five reads of the same aggregates: one point");
        assertEquals(1, records(ExperimentService.RESULTS_POINT).size());

        fixture.service.ingest(units(10, "off", "on"));
        fixture.service.results("e");
        fixture.service.results("e");
        fixture.service.ingest(fixture.unit("e", "u0", "off", Map.of())); // a repeated exposure: a new exposure count
        fixture.service.results("e");
        List<Map<String, Object>> points = points();
        assertEquals(3, points.size());
        assertEquals(List.of(0, 1, 2), points.stream().map(p -> p.get("sequence")).toList());
        assertEquals(List.of(START.toString(), START.plusSeconds(5).toString(), START.plusSeconds(5).toString()),
                points.stream().map(p -> p.get("time")).toList());
        assertTrue(records(ExperimentService.RESULTS_POINT).stream().allMatch(r -> r.actor().equals("analysis")
                && r.action().equals("record") && r.environment().equals("production")));

        fixture.service.stop("e", Fixture.ALICE);
        fixture.service.results("e");
        assertEquals("analysing", points().get(3).get("status"), "a new lifecycle step is a new input");
    }

    @Test
    void everyPointHoldsTheNumbersOfTheResultsDocumentOfItsTime() {
        open(StoredExperiments.DEFAULT_HISTORY_POINTS);
        fixture.running("e", AutoStop.DISABLED, "off", "on", "blue");
        List<Map<String, Object>> documents = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            fixture.service.ingest(units(60, "off", "on", "blue"));
            documents.add(fixture.service.results("e"));
            clock.advance(Duration.ofSeconds(30));
        }
        List<Map<String, Object>> points = points();
        assertEquals(documents.size(), points.size());
        for (int i = 0; i < points.size(); i++) {
            assertPointIsDocument(documents.get(i), points.get(i));
            assertEquals(START.plusSeconds(30L * i).toString(), points.get(i).get("time"));
        }
    }

    @Test
    void aTestThatIsNotInstalledLeavesItsErrorInThePointAsInTheDocument() {
        Map<String, StatisticalTest> tests = new HashMap<>(Fixture.BUILT_IN_TESTS);
        tests.remove(ExperimentAnalysis.WELCH_T);
        tests.remove(ExperimentAnalysis.MSPRT);
        fixture = new Fixture(directory, tests, clock, StoredExperiments.DEFAULT_HISTORY_POINTS, INTERVAL);
        fixture.running("e", AutoStop.DISABLED);
        fixture.service.ingest(units(30, "off", "on"));
        Map<String, Object> document = fixture.service.results("e");
        Map<String, Object> point = points().get(0);
        assertPointIsDocument(document, point);
        assertEquals("statistical test 'welch-t' is not installed", at(point, "metrics", "revenue", "on").get("error"));
        assertEquals("statistical test 'msprt' is not installed",
                at(point, "metrics", "converted", "on").get("sequentialError"));
        assertTrue(at(point, "metrics", "converted", "on").containsKey("pValue"), "two-proportion-z still ran");
    }

    @Test
    void sinceKeepsThePointsAfterItAndLimitTheNewestOfThem() {
        open(StoredExperiments.DEFAULT_HISTORY_POINTS);
        fixture.running("e", AutoStop.DISABLED);
        for (int round = 0; round < 5; round++) {
            fixture.service.ingest(units(4, "off", "on"));
            fixture.service.results("e");
            clock.advance(Duration.ofSeconds(10));
        }
        assertEquals(List.of(3, 4), sequences(fixture.service.resultsHistory("e", START.plusSeconds(20), 100)),
                "after 08:00:20, exclusive");
        assertEquals(List.of(0, 1, 2, 3, 4), sequences(fixture.service.resultsHistory("e", START.minusNanos(1), 5)));
        Map<String, Object> newest = fixture.service.resultsHistory("e", START.plusSeconds(5), 2);
        assertEquals(List.of(3, 4), sequences(newest));
        assertEquals(true, newest.get("truncated"), "points 1 and 2 matched too");
        assertEquals(false, fixture.service.resultsHistory("e", START.plusSeconds(20), 2).get("truncated"));
        assertEquals(List.of(), sequences(fixture.service.resultsHistory("e", START.plusSeconds(40), 5)));
        assertThrows(NotFoundException.class, () -> fixture.service.resultsHistory("nope", null, 5));
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> sequences(Map<String, Object> history) {
        return ((List<Map<String, Object>>) history.get("points")).stream()
                .map(p -> ((Number) p.get("sequence")).intValue()).toList();
    }

    /** Every figure a point keeps, against the same figure of the results document, to the last bit. */
    static void assertPointIsDocument(Map<String, Object> document, Map<String, Object> point) {
        assertEquals(document.get("status"), point.get("status"));
        assertSame(document.get("decision"), point.get("decision"), "decision");
        for (String variant : List.of("off", "on", "blue")) {
            Map<String, Object> figures = at(document, "variants", variant);
            if (figures == null) {
                continue;
            }
            assertSame(figures.get("units"), at(point, "units").get(variant), variant + " units");
            for (String metric : List.of("converted", "revenue")) {
                assertSame(at(figures, "metrics", metric).get("mean"), at(point, "variants", variant).get(metric),
                        variant + " " + metric + " mean");
            }
        }
        Map<String, Object> comparisons = at(document, "comparisons");
        assertFalse(comparisons.isEmpty());
        for (String treatment : comparisons.keySet()) {
            for (String metric : List.of("converted", "revenue")) {
                Map<String, Object> comparison = at(comparisons, treatment, metric);
                Map<String, Object> entry = at(point, "metrics", metric, treatment);
                String where = metric + " " + treatment;
                assertTrue(comparison.containsKey("difference") || comparison.containsKey("error"), where);
                // adjustedPValue is there with two or more treatments only, error when the test failed
                for (String field : List.of("test", "difference", "relativeLift", "pValue", "adjustedPValue",
                        "error")) {
                    assertSame(comparison.get(field), entry.get(field), where + " " + field);
                }
                assertSame(at(document, "bayesian", treatment, metric).get("chanceToBeatControl"),
                        entry.get("chanceToBeatControl"), where + " chance to beat control");
            }
            Map<String, Object> sequential = at(document, "sequential", treatment);
            Map<String, Object> primary = at(point, "metrics", (String) sequential.get("metric"), treatment);
            assertSame(sequential.get("alwaysValidPValue"), primary.get("alwaysValidPValue"), "always-valid p");
            assertSame(sequential.get("adjustedPValue"), primary.get("adjustedAlwaysValidPValue"), "its Holm");
            assertSame(sequential.get("confidenceSequence"), primary.get("confidenceSequence"), "sequence");
            assertSame(sequential.get("error"), primary.get("sequentialError"), "sequential error");
        }
        assertSame(at(document, "srm").get("pValue"), at(point, "srm").get("pValue"), "srm p");
        assertSame(at(document, "srm").get("mismatch"), at(point, "srm").get("mismatch"), "srm mismatch");
    }

    /**
     * JSON-equal: numbers by their double value (a stored point reads back integers as Integer), maps and lists
     * element by element.
     */
    private static void assertSame(Object expected, Object actual, String what) {
        if (expected instanceof Number e && actual instanceof Number a) {
            assertEquals(e.doubleValue(), a.doubleValue(), 0, what);
        } else if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            assertEquals(e.keySet(), a.keySet(), what);
            e.forEach((k, v) -> assertSame(v, a.get(k), what + "/" + k));
        } else {
            assertEquals(expected, actual, what);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> map, String... path) {
        Object node = map;
        for (String step : path) {
            node = node == null ? null : ((Map<String, Object>) node).get(step);
        }
        return (Map<String, Object>) node;
    }

    @Test
    void atMostTheBoundStaysLiveEvenlySpacedWithTheFirstAndTheNewest() {
        int bound = 8;
        open(bound);
        fixture.running("e", AutoStop.DISABLED);
        int rounds = 60;
        for (int round = 0; round < rounds; round++) {
            fixture.service.ingest(units(2, "off", "on"));
            fixture.service.results("e");
            clock.advance(Duration.ofSeconds(1));
            int live = points().size();
            assertTrue(live <= bound, "round " + round + ": " + live);
            assertTrue(live >= Math.min(round + 1, bound / 2), "round " + round + ": " + live);
        }
        List<Long> sequences = points().stream().map(p -> ((Number) p.get("sequence")).longValue()).toList();
        assertEquals(0, sequences.get(0));
        assertEquals(rounds - 1, sequences.get(sequences.size() - 1));
        long stride = sequences.get(1) - sequences.get(0);
        for (int i = 1; i < sequences.size() - 1; i++) {
            assertEquals(stride, sequences.get(i) - sequences.get(i - 1), "evenly spaced but the newest: " + sequences);
        }
        assertTrue(rounds - 1 - sequences.get(sequences.size() - 2) < stride, sequences.toString());
        assertEquals(sequences.size(), fixture.store.list(ExperimentService.RESULTS_POINT).size(),
                "the thinned points are deleted from the store");
        assertEquals(rounds, records(ExperimentService.RESULTS_POINT).stream().filter(r -> r.after() != null).count());
        for (Map<String, Object> point : points()) {
            int sequence = ((Number) point.get("sequence")).intValue();
            assertEquals(START.plusSeconds(sequence).toString(), point.get("time"), "each point kept as recorded");
        }
    }

    @Test
    void autoStopLooksRecordOncePerIntervalAndTheLookThatStopsInTheStopsCommit() {
        open(StoredExperiments.DEFAULT_HISTORY_POINTS);
        fixture.running("e", new AutoStop(true, 300));
        fixture.service.ingest(units(20, "off", "on"));
        clock.advance(Duration.ofSeconds(30));
        fixture.service.ingest(units(20, "off", "on"));
        assertEquals(1, points().size(), "the second look came 30 s after the first point");
        Map<String, Object> read = fixture.service.results("e");
        assertEquals(2, points().size(), "a results read records whatever the interval");
        assertPointIsDocument(read, points().get(1));
        clock.advance(Duration.ofSeconds(31));
        fixture.service.ingest(units(20, "off", "on"));
        assertEquals(2, points().size(), "31 s after the read's point");
        clock.advance(Duration.ofSeconds(30));
        fixture.service.ingest(units(20, "off", "on"));
        assertEquals(3, points().size(), "61 s after it");

        clock.advance(Duration.ofSeconds(1));
        List<Map<String, Object>> strong = new ArrayList<>();
        for (int u = 0; u < 800; u++) {
            String variant = u % 2 == 0 ? "off" : "on";
            strong.addAll(fixture.unit("e", "s" + u, variant,
                    u % (variant.equals("on") ? 4 : 20) == 1 ? Map.of("converted", 1.0) : Map.of()));
        }
        fixture.service.ingest(strong);
        assertEquals(ExperimentStatus.ANALYSING, fixture.service.get("e").orElseThrow().status());
        Map<String, Object> last = points().get(points().size() - 1);
        assertEquals(4, points().size(), "the look that fired, 1 s after the read, is recorded");
        assertEquals("analysing", last.get("status"));
        assertEquals(true, at(last, "decision").get("stop"));
        List<AuditRecord> changes = fixture.changes();
        AuditRecord stop = changes.get(changes.size() - 1);
        assertEquals("stop", stop.action());
        assertEquals(ExperimentService.RESULTS_HISTORY, changes.get(changes.size() - 2).kind());
        assertEquals(ExperimentService.RESULTS_POINT, changes.get(changes.size() - 3).kind());
        assertEquals(stop.time(), changes.get(changes.size() - 3).time(), "one commit");
    }

    @Test
    void aStopThatDidNotCommitLeavesNoPointAndAFailedRecordLeavesTheResultsAnswered() {
        open(StoredExperiments.DEFAULT_HISTORY_POINTS);
        fixture.running("e", new AutoStop(true, 10));
        // as if the experiment had been changed between the look's read and its stop
        fixture.store.commitFailure = new VersionConflictException(ExperimentService.EXPERIMENT, "e", 2, 3);
        List<Map<String, Object>> strong = new ArrayList<>();
        for (int u = 0; u < 800; u++) {
            // 10 % of off converts, half of on
            strong.addAll(fixture.unit("e", "s" + u, u % 2 == 0 ? "off" : "on",
                    u % 10 == 0 || u % 4 == 1 ? Map.of("converted", 1.0) : Map.of()));
        }
        fixture.service.ingest(strong);
        assertEquals(ExperimentStatus.RUNNING, fixture.service.get("e").orElseThrow().status());
        assertEquals(List.of(), points(), "the point of the look that fired went with its stop");

        fixture.store.commitFailure = null;
        fixture.service.stop("e", Fixture.ALICE);
        fixture.store.commitFailure = new StoreUnavailableException(StoreUnavailableException.Condition.DISK_FULL,
                "full", 1, null);
        Map<String, Object> results = fixture.service.results("e");
        assertEquals("analysing", results.get("status"), "the read is answered");
        assertEquals(List.of(), points());

        fixture.store.commitFailure = null;
        fixture.service.results("e");
        assertEquals(1, points().size(), "recorded once the store takes writes again");
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(START);

        void advance(Duration duration) {
            now.updateAndGet(t -> t.plus(duration));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
