package io.ensign.experiments.internal;

import static io.ensign.experiments.internal.Fixture.ALICE;
import static io.ensign.experiments.internal.Fixture.exposure;
import static io.ensign.experiments.internal.Fixture.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.ensign.api.experiment.AutoStop;
import io.ensign.api.experiment.IngestResult;
import io.ensign.api.experiment.MetricAggregate;
import io.ensign.api.experiment.VariantAggregate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestionTest {
    @TempDir
    Path directory;
    private Fixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new Fixture(directory);
        fixture.running("e", AutoStop.DISABLED);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void eventsWithAnIdSeenBeforeAreCountedAsDuplicates() {
        List<Map<String, Object>> batch = List.of(exposure("1", "e", "u1", "on"), metric("2", "e", "u1", "revenue", 3),
                metric("2", "e", "u1", "revenue", 3));
        assertEquals(new IngestResult(2, 1, List.of()), fixture.service.ingest(batch));
        assertEquals(new IngestResult(0, 3, List.of()), fixture.service.ingest(batch));
        assertEquals(3.0, fixture.events.aggregates("e").get("on").metric("revenue").sum());
    }

    @Test
    void malformedEventsAreRejectedByIndexAndTheGoodOnesAreStored() {
        fixture.service.put(Fixture.experiment("draft", AutoStop.DISABLED), -1, ALICE);
        Map<String, Object> noId = exposure("x", "e", "u9", "on");
        noId.remove("id");
        Map<String, Object> badTime = exposure("t", "e", "u9", "on");
        badTime.put("timestamp", "yesterday");
        List<Map<String, Object>> batch = new ArrayList<>(List.of(
                exposure("1", "e", "u1", "on"),
                noId,
                exposure("3", "e", "u2", "purple"),
                metric("4", "e", "u1", "unknown-metric", 1),
                metric("5", "e", "u1", "revenue", "12"),
                exposure("6", "nope", "u1", "on"),
                exposure("7", "draft", "u1", "on"),
                badTime,
                metric("9", "e", "u1", "revenue", 12.5),
                Map.of("id", "10", "type", "click", "experiment", "e", "unit", "u1")));
        IngestResult result = fixture.service.ingest(batch);
        assertEquals(2, result.accepted());
        assertEquals(0, result.duplicates());
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 9),
                result.rejected().stream().map(IngestResult.Rejection::index).toList());
        assertTrue(result.rejected().get(0).message().contains("'id'"), result.rejected().get(0).message());
        assertTrue(result.rejected().get(1).message().contains("variant"));
        assertTrue(result.rejected().get(2).message().contains("metric"));
        assertTrue(result.rejected().get(3).message().contains("value"));
        assertTrue(result.rejected().get(4).message().contains("does not exist"));
        assertTrue(result.rejected().get(5).message().contains("draft"));
        assertTrue(result.rejected().get(6).message().contains("timestamp"));
        assertTrue(result.rejected().get(7).message().contains("type"));
        assertEquals(new MetricAggregate(1, 12.5, 156.25, 1), fixture.events.aggregates("e").get("on")
                .metric("revenue"));
    }

    @Test
    void aUnitsValueIsTheSumOfItsEventsWhateverTheOrder() {
        Random random = new Random(3);
        List<Map<String, Object>> events = new ArrayList<>();
        Map<String, Double> revenueOf = new HashMap<>();
        Map<String, String> variantOf = new HashMap<>();
        int id = 0;
        for (int u = 0; u < 120; u++) {
            String unit = "u" + u;
            String variant = u % 3 == 0 ? "off" : "on";
            variantOf.put(unit, variant);
            events.add(exposure("x" + id++, "e", unit, variant));
            for (int k = 0; k < random.nextInt(4); k++) {
                double value = random.nextInt(20);
                revenueOf.merge(unit, value, Double::sum);
                events.add(metric("x" + id++, "e", unit, "revenue", value));
            }
        }
        Collections.shuffle(events, random);
        for (int from = 0; from < events.size(); from += 25) {
            fixture.service.ingest(events.subList(from, Math.min(events.size(), from + 25)));
        }
        Map<String, VariantAggregate> aggregates = fixture.events.aggregates("e");
        for (String variant : List.of("off", "on")) {
            List<Double> values = variantOf.entrySet().stream().filter(e -> e.getValue().equals(variant))
                    .map(e -> revenueOf.getOrDefault(e.getKey(), 0.0)).toList();
            MetricAggregate revenue = aggregates.get(variant).metric("revenue");
            assertEquals(values.size(), revenue.n());
            assertEquals(values.stream().mapToDouble(Double::doubleValue).sum(), revenue.sum(), 1e-9);
            assertEquals(values.stream().mapToDouble(v -> v * v).sum(), revenue.sumOfSquares(), 1e-9);
            assertEquals(values.stream().filter(v -> v > 0).count(), revenue.successes());
        }
    }

    @Test
    void lateEventsAreTakenWhileAnalysingButNotOnceConcluded() {
        fixture.service.stop("e", ALICE);
        assertEquals(1, fixture.service.ingest(List.of(exposure("1", "e", "u1", "on"))).accepted());
        fixture.service.conclude("e", null, ALICE);
        IngestResult result = fixture.service.ingest(List.of(exposure("2", "e", "u2", "on")));
        assertEquals(0, result.accepted());
        assertTrue(result.rejected().get(0).message().contains("concluded"));
    }
}
