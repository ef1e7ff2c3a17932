package io.ensign.experiments.internal;

import static io.ensign.experiments.internal.Fixture.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ensign.api.experiment.AutoStop;
import io.ensign.api.experiment.Experiment;
import io.ensign.api.experiment.ExperimentStatus;
import io.ensign.api.experiment.Metric;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guardrail metric (errors, lower is better) beside the primary metric: its one-sided check appears in the
 * results, and a treatment that wins the primary metric but harms the guardrail is not the winner.
 */
class GuardrailDecisionTest {
    private static final int UNITS = 400;
    @TempDir
    Path directory;

    /** A running experiment on conversion with the guardrail errors; the caller closes it. */
    private Fixture started() {
        Fixture fixture = new Fixture(directory);
        Experiment experiment = Experiment.draft("e", "checkout", "production", "off",
                new LinkedHashMap<>(Map.of("off", 50.0, "on", 50.0)),
                List.of(new Metric("converted", Metric.Kind.PROPORTION),
                        new Metric("errors", Metric.Kind.PROPORTION, new Metric.Guardrail(true, 0))),
                "converted", 0.05, 0.8, 0.01, new AutoStop(true, 300));
        fixture.service.put(experiment, -1, ALICE);
        fixture.service.start("e", ALICE);
        return fixture;
    }

    /** Control converts one unit in 10, the treatment one in 2; each arm errs in one unit of every so many. */
    private static void send(Fixture fixture, int controlErrorEvery, int treatmentErrorEvery) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int u = 0; u < UNITS; u++) {
            batch.addAll(fixture.unit("e", "c" + u, "off", values(u % 10 == 0, u % controlErrorEvery == 0)));
            batch.addAll(fixture.unit("e", "t" + u, "on", values(u % 2 == 0, u % treatmentErrorEvery == 0)));
        }
        fixture.service.ingest(batch);
    }

    private static Map<String, Double> values(boolean converts, boolean errs) {
        Map<String, Double> values = new LinkedHashMap<>();
        if (converts) {
            values.put("converted", 1.0);
        }
        if (errs) {
            values.put("errors", 1.0);
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Fixture fixture, String... path) {
        Object node = fixture.service.results("e");
        for (String step : path) {
            node = ((Map<String, Object>) node).get(step);
        }
        return (Map<String, Object>) node;
    }

    @Test
    void aTreatmentThatHarmsAGuardrailIsNotTheWinner() {
        try (Fixture fixture = started()) {
            send(fixture, 50, 5);
            assertEquals(ExperimentStatus.ANALYSING, fixture.service.get("e").orElseThrow().status(),
                    "the primary metric's evidence still stops the experiment");
            Map<String, Object> guardrail = at(fixture, "guardrails", "on", "errors");
            assertEquals("guardrail", guardrail.get("test"));
            assertEquals(true, guardrail.get("harmful"));
            // one-sided z of the error rates' difference (treatment 80/400, control 8/400), unpooled
            double pc = 8.0 / UNITS;
            double pt = 80.0 / UNITS;
            double z = (pt - pc) / Math.sqrt(pc * (1 - pc) / UNITS + pt * (1 - pt) / UNITS);
            assertEquals(1 - new NormalDistribution().cumulativeProbability(z), (Double) guardrail.get("pValue"), 1e-12);
            assertEquals("off", at(fixture, "decision").get("winner"));
            // the stop's record: reading the results since then recorded a point of the results history after it
            String reason = fixture.changes().stream().filter(c -> "stop".equals(c.action())).findFirst()
                    .orElseThrow().reason();
            assertTrue(reason.contains("'on' cannot win: it harms guardrail 'errors'"), reason);
        }
    }

    @Test
    void aTreatmentThatLeavesTheGuardrailAloneWins() {
        try (Fixture fixture = started()) {
            send(fixture, 20, 20);
            assertEquals(false, at(fixture, "guardrails", "on", "errors").get("harmful"));
            assertEquals("on", at(fixture, "decision").get("winner"));
            assertEquals(ExperimentStatus.ANALYSING, fixture.service.get("e").orElseThrow().status());
        }
    }

    @Test
    void onlyGuardrailMetricsAreChecked() {
        try (Fixture fixture = started()) {
            send(fixture, 20, 20);
            assertEquals(List.of("errors"), List.copyOf(at(fixture, "guardrails", "on").keySet()));
        }
    }
}
