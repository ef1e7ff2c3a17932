package io.ensign.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import io.ensign.api.model.ErrorCode;
import io.ensign.api.model.EvaluationResult;
import io.ensign.api.model.Reason;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import org.junit.jupiter.api.Test;

class EvaluationCountersTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();

    private static EvaluationResult result(String flag, String variant, Reason reason) {
        return new EvaluationResult(flag, true, variant, reason, null, null, Map.of());
    }

    /** The value of the series with these labels, 0 when there is none. */
    private double value(String flag, String environment, String variant, Reason reason) {
        Labels labels = Labels.of("environment", environment, "flag", flag, "reason", reason.name(), "variant",
                variant);
        CounterSnapshot snapshot = (CounterSnapshot) registry.scrape().stream()
                .filter(s -> s.getMetadata().getName().equals("ensign_evaluations")).findFirst().orElseThrow();
        return snapshot.getDataPoints().stream().filter(p -> p.getLabels().equals(labels))
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
    }

    @Test
    void eachCombinationCountsInItsOwnSeries() {
        EvaluationCounters counters = new EvaluationCounters(registry, 100);
        for (int i = 0; i < 5; i++) {
            counters.count("production", result("a", "on", Reason.SPLIT));
        }
        counters.count("staging", result("a", "on", Reason.SPLIT));
        counters.count("production", result("a", "off", Reason.SPLIT));
        counters.count("production", result("a", "off", Reason.DEFAULT));
        assertEquals(5, value("a", "production", "on", Reason.SPLIT));
        assertEquals(1, value("a", "staging", "on", Reason.SPLIT));
        assertEquals(1, value("a", "production", "off", Reason.SPLIT));
        assertEquals(1, value("a", "production", "off", Reason.DEFAULT));
        assertEquals(4, counters.series());
    }

    @Test
    void combinationsPastTheBoundCountInTheOverflowSeriesOfTheirReason() {
        EvaluationCounters counters = new EvaluationCounters(registry, 2);
        counters.count("production", result("a", "on", Reason.STATIC));
        counters.count("production", result("b", "on", Reason.STATIC));
        counters.count("production", result("c", "on", Reason.STATIC));
        counters.count("production", result("d", "x", Reason.STATIC));
        counters.count("production", result("a", "on", Reason.STATIC));
        assertEquals(2, value("a", "production", "on", Reason.STATIC));
        assertEquals(1, value("b", "production", "on", Reason.STATIC));
        assertEquals(0, value("c", "production", "on", Reason.STATIC));
        assertEquals(2, value("(other)", "(other)", "(other)", Reason.STATIC));
        assertEquals(2, counters.series());
    }

    @Test
    void unknownFlagsShareOneSeriesSoRandomKeysCannotUseUpTheBound() {
        EvaluationCounters counters = new EvaluationCounters(registry, 1);
        for (int i = 0; i < 10; i++) {
            counters.count("production", EvaluationResult.error("random-" + i, null, null, ErrorCode.FLAG_NOT_FOUND,
                    "no flag", null));
        }
        counters.count("production", result("real", "on", Reason.STATIC)); // over the bound of 1 already
        assertEquals(10, value("(unknown)", "production", "", Reason.ERROR));
        assertEquals(1, value("(other)", "(other)", "(other)", Reason.STATIC));
    }
}
