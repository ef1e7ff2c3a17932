package io.ensign.experiments.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.experiment.AutoStop;
import io.ensign.api.experiment.Experiment;
import io.ensign.api.experiment.Metric;
import io.ensign.api.model.Flag;
import io.ensign.api.model.FlagType;
import io.ensign.api.stats.StatisticalTest;
import io.ensign.api.store.Mutation;
import io.ensign.stats.internal.BayesianLiftTest;
import io.ensign.stats.internal.GuardrailTest;
import io.ensign.stats.internal.MixtureSequentialTest;
import io.ensign.stats.internal.SrmChiSquareTest;
import io.ensign.stats.internal.TwoProportionZTest;
import io.ensign.stats.internal.WelchTTest;
import io.ensign.store.embedded.internal.EmbeddedExperimentEventStore;
import io.ensign.testing.fakes.InMemoryCatalog;
import io.ensign.testing.fakes.InMemoryStore;

/**
 * The experiment service wired as in the server: the real event store (in a temporary directory, unsynced),
 * the built-in statistical tests, and the in-memory store and flag catalog of the test support; the results history
 * with the server's default settings unless a test chooses others.
 */
final class Fixture implements AutoCloseable {
    static final WriteContext ALICE = new WriteContext("alice", "testing", "r1");
    static final Map<String, StatisticalTest> BUILT_IN_TESTS = Map.of(
            ExperimentAnalysis.WELCH_T, new WelchTTest(),
            ExperimentAnalysis.TWO_PROPORTION_Z, new TwoProportionZTest(),
            ExperimentAnalysis.SRM_CHI_SQUARE, new SrmChiSquareTest(),
            ExperimentAnalysis.MSPRT, new MixtureSequentialTest(),
            ExperimentAnalysis.BAYESIAN_LIFT, new BayesianLiftTest(),
            ExperimentAnalysis.GUARDRAIL, new GuardrailTest());

    final InMemoryStore store = new InMemoryStore();
    final InMemoryCatalog catalog = new InMemoryCatalog();
    final EmbeddedExperimentEventStore events;
    final StoredExperiments service;
    private int eventIds;

    Fixture(Path directory) {
        this(directory, BUILT_IN_TESTS);
    }

    Fixture(Path directory, Map<String, StatisticalTest> tests) {
        this(directory, tests, Clock.systemUTC(), StoredExperiments.DEFAULT_HISTORY_POINTS,
                Duration.ofSeconds(StoredExperiments.DEFAULT_HISTORY_INTERVAL_SECONDS));
    }

    Fixture(Path directory, Map<String, StatisticalTest> tests, Clock clock, int historyPoints, Duration lookInterval) {
        events = new EmbeddedExperimentEventStore(directory, false);
        service = new StoredExperiments(store, catalog, events, clock, historyPoints, lookInterval);
        tests.forEach((name, test) -> service.addTest(test, Map.of(StatisticalTest.NAME, name)));
        catalog.putFlag(new Flag("checkout", FlagType.STRING, null, true,
                variants("off", "on", "blue"), "off", null, null, null, 0), Mutation.ABSENT,
                new WriteContext("fixture", null, null));
    }

    /** Every change the store recorded, oldest first. */
    List<AuditRecord> changes() {
        return store.changes(0, Integer.MAX_VALUE);
    }

    private static Map<String, Object> variants(String... names) {
        Map<String, Object> variants = new LinkedHashMap<>();
        for (String name : names) {
            variants.put(name, name);
        }
        return variants;
    }

    /** The api.md example: off vs on, converted (proportion, primary) and revenue (mean). */
    static Experiment experiment(String key, AutoStop autoStop, String... variants) {
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String variant : variants.length == 0 ? new String[] {"off", "on"} : variants) {
            weights.put(variant, 50.0);
        }
        return Experiment.draft(key, "checkout", "production", "off", weights,
                List.of(new Metric("converted", Metric.Kind.PROPORTION), new Metric("revenue", Metric.Kind.MEAN)),
                "converted", 0.05, 0.8, 0.01, autoStop);
    }

    Experiment running(String key, AutoStop autoStop, String... variants) {
        service.put(experiment(key, autoStop, variants), -1, ALICE);
        return service.start(key, ALICE);
    }

    static Map<String, Object> exposure(String id, String experiment, String unit, String variant) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", id);
        event.put("type", "exposure");
        event.put("experiment", experiment);
        event.put("unit", unit);
        event.put("variant", variant);
        event.put("timestamp", "2026-11-26T12:00:00Z");
        return event;
    }

    static Map<String, Object> metric(String id, String experiment, String unit, String metric, Object value) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", id);
        event.put("type", "metric");
        event.put("experiment", experiment);
        event.put("metric", metric);
        event.put("unit", unit);
        event.put("value", value);
        return event;
    }

    /** Exposes a unit and sends its metric values, one event each, with fresh ids. */
    List<Map<String, Object>> unit(String experiment, String unit, String variant, Map<String, Double> values) {
        List<Map<String, Object>> batch = new ArrayList<>();
        batch.add(exposure("x" + eventIds++, experiment, unit, variant));
        values.forEach((metric, value) -> batch.add(metric("x" + eventIds++, experiment, unit, metric, value)));
        return batch;
    }

    @Override
    public void close() {
        events.close();
    }
}
