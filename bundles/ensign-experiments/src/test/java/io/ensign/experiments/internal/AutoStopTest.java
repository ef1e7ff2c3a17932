package io.ensign.experiments.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.experiment.AutoStop;
import io.ensign.api.experiment.Experiment;
import io.ensign.api.experiment.ExperimentEvent;
import io.ensign.api.experiment.ExperimentStatus;
import io.ensign.api.experiment.ExposureEvent;
import io.ensign.api.experiment.MetricEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoStopTest {
    @TempDir
    Path directory;
    private Fixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new Fixture(directory);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    /** Units of one variant, every {@code every}-th of them converting. */
    private List<Map<String, Object>> units(String variant, int count, int every) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int u = 0; u < count; u++) {
            batch.addAll(fixture.unit("e", variant + u, variant, u % every == 0 ? Map.of("converted", 1.0) : Map.of()));
        }
        return batch;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> decision() {
        return (Map<String, Object>) fixture.service.results("e").get("decision");
    }

    private void sendStrongEffect(int controlUnits, int treatmentUnits) {
        List<Map<String, Object>> batch = new ArrayList<>(units("off", controlUnits, 10));
        batch.addAll(units("on", treatmentUnits, 2));
        fixture.service.ingest(batch);
    }

    @Test
    void aClearEffectWithEnoughUnitsStopsTheExperimentAsAutoStop() {
        fixture.running("e", new AutoStop(true, 300));
        sendStrongEffect(400, 400);
        Experiment stopped = fixture.service.get("e").orElseThrow();
        assertEquals(ExperimentStatus.ANALYSING, stopped.status(), "ingestion alone looks and stops");
        assertEquals(Experiment.AUTO_STOP_ACTOR, stopped.stoppedBy());
        AuditRecord last = fixture.changes().get(fixture.changes().size() - 1);
        assertEquals("auto-stop", last.actor());
        assertEquals("stop", last.action());
        assertTrue(last.reason().contains("below alpha"), last.reason());
        Map<String, Object> decision = decision();
        assertEquals(true, decision.get("stop"));
        assertEquals("on", decision.get("winner"));
        assertTrue(decision.get("reason").toString().contains("auto-stop"));
    }

    @Test
    void aResultsLookThatFiresReturnsTheExperimentAsAnalysing() {
        fixture.running("e", new AutoStop(true, 300));
        // straight into the event store, so that no ingestion looks before the results request does
        List<ExperimentEvent> events = new ArrayList<>();
        Instant now = Instant.now();
        for (int u = 0; u < 400; u++) {
            events.add(new ExposureEvent("c" + u, "e", "c" + u, "off", now));
            events.add(new ExposureEvent("t" + u, "e", "t" + u, "on", now));
            if (u % 10 == 0) {
                events.add(new MetricEvent("cm" + u, "e", "converted", "c" + u, 1, now));
            }
            if (u % 2 == 0) {
                events.add(new MetricEvent("tm" + u, "e", "converted", "t" + u, 1, now));
            }
        }
        fixture.events.append(events);
        assertEquals(ExperimentStatus.RUNNING, fixture.service.get("e").orElseThrow().status());
        Map<String, Object> results = fixture.service.results("e");
        assertEquals("analysing", results.get("status"));
        Map<?, ?> decision = (Map<?, ?>) results.get("decision");
        assertEquals(true, decision.get("stop"));
        assertEquals("on", decision.get("winner"));
        assertTrue(decision.get("reason").toString().contains("below alpha"), decision.get("reason").toString());
        assertEquals(ExperimentStatus.ANALYSING, fixture.service.get("e").orElseThrow().status());
    }

    @Test
    void tooFewUnitsInAnyVariantKeepItRunning() {
        fixture.running("e", new AutoStop(true, 1000));
        sendStrongEffect(400, 1200);
        Map<String, Object> decision = decision();
        assertEquals(false, decision.get("stop"));
        assertTrue(decision.get("reason").toString().contains("'off' has 400 units"), decision.get("reason").toString());
        assertEquals(ExperimentStatus.RUNNING, fixture.service.get("e").orElseThrow().status());
    }

    @Test
    void aSampleRatioMismatchKeepsItRunning() {
        fixture.running("e", new AutoStop(true, 100));
        sendStrongEffect(250, 600);
        Map<String, Object> results = fixture.service.results("e");
        assertEquals(true, ((Map<?, ?>) results.get("srm")).get("mismatch"));
        Map<?, ?> decision = (Map<?, ?>) results.get("decision");
        assertEquals(false, decision.get("stop"));
        assertTrue(decision.get("reason").toString().contains("sample ratio mismatch"));
        assertEquals(ExperimentStatus.RUNNING, fixture.service.get("e").orElseThrow().status());
    }

    @Test
    void noEffectKeepsItRunning() {
        fixture.running("e", new AutoStop(true, 100));
        List<Map<String, Object>> batch = new ArrayList<>(units("off", 400, 5));
        batch.addAll(units("on", 400, 5));
        fixture.service.ingest(batch);
        Map<String, Object> decision = decision();
        assertEquals(false, decision.get("stop"));
        assertTrue(decision.get("reason").toString().contains("below alpha"));
    }

    @Test
    void disabledAutoStopNeverStops() {
        fixture.running("e", AutoStop.DISABLED);
        sendStrongEffect(400, 400);
        assertEquals("auto-stop is disabled", decision().get("reason"));
        assertEquals(ExperimentStatus.RUNNING, fixture.service.get("e").orElseThrow().status());
    }

    @Test
    void aMissingSequentialTestKeepsItRunning() {
        fixture.service.removeTest(Fixture.BUILT_IN_TESTS.get("msprt"), Map.of("name", "msprt"));
        fixture.running("e", new AutoStop(true, 100));
        sendStrongEffect(400, 400);
        assertTrue(decision().get("reason").toString().contains("'msprt' is not installed"));
        assertEquals(ExperimentStatus.RUNNING, fixture.service.get("e").orElseThrow().status());
    }
}
