package io.ensign.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.experiment.AutoStop;
import io.ensign.api.experiment.Experiment;
import io.ensign.api.experiment.ExperimentStatus;
import io.ensign.api.experiment.Metric;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;
import org.junit.jupiter.api.Test;

class ExperimentCodecTest {
    private final ExperimentCodec codec = new ExperimentCodec();
    private final ModelCodec json = new ModelCodec();

    /** The example of api.md, verbatim. */
    private static final String API_EXAMPLE = """
            {"flag":"checkout-v2","environment":"production","control":"off","weights":{"off":50,"on":50},
             "metrics":[{"name":"converted","kind":"proportion"},{"name":"revenue","kind":"mean"}],
             "primaryMetric":"converted","alpha":0.05,"power":0.8,"minimumDetectableEffect":0.01,
             "autoStop":{"enabled":true,"minUnitsPerVariant":1000}}""";

    @Test
    void decodesTheApiExampleAsADraft() {
        Experiment e = codec.decodeExperiment(json.readTree(API_EXAMPLE), "checkout-exp");
        assertEquals("checkout-exp", e.key());
        assertEquals("checkout-v2", e.flag());
        assertEquals("production", e.environment());
        assertEquals("off", e.control());
        assertEquals(List.of("off", "on"), List.copyOf(e.weights().keySet()));
        assertEquals(50.0, e.weights().get("on"));
        assertEquals(List.of(new Metric("converted", Metric.Kind.PROPORTION), new Metric("revenue", Metric.Kind.MEAN)),
                e.metrics());
        assertEquals("converted", e.primaryMetric());
        assertEquals(0.05, e.alpha());
        assertEquals(0.8, e.power());
        assertEquals(0.01, e.minimumDetectableEffect());
        assertEquals(new AutoStop(true, 1000), e.autoStop());
        assertEquals(ExperimentStatus.DRAFT, e.status());
        assertEquals(0, e.version());
    }

    @Test
    void alphaPowerAndAutoStopHaveDefaults() {
        String minimal = """
                {"flag":"f","environment":"staging","control":"a","weights":{"a":1,"b":3},
                 "metrics":[{"name":"m","kind":"mean"}],"primaryMetric":"m","minimumDetectableEffect":2}""";
        Experiment e = codec.decodeExperiment(json.readTree(minimal), "x");
        assertEquals(0.05, e.alpha());
        assertEquals(0.8, e.power());
        assertFalse(e.autoStop().enabled());
        Experiment withEmptyAutoStop = codec.decodeExperiment(
                json.readTree(minimal.replace("\"minimumDetectableEffect\":2", "\"minimumDetectableEffect\":2,\"autoStop\":{\"enabled\":true}")), "x");
        assertEquals(new AutoStop(true, 1000), withEmptyAutoStop.autoStop());
    }

    @Test
    void encodingThenDecodingGivesTheSameDefinitionAndTheLifecycleIsWritten() {
        Experiment draft = codec.decodeExperiment(json.readTree(API_EXAMPLE), "exp");
        Instant started = Instant.parse("2026-11-26T10:00:00Z");
        Experiment running = draft.withLifecycle(ExperimentStatus.CONCLUDED, "on", started, started.plusSeconds(60),
                "tester");
        ObjectNode encoded = codec.encodeExperiment(running);
        assertEquals("concluded", encoded.path("status").asText());
        assertEquals("on", encoded.path("winner").asText());
        assertEquals("2026-11-26T10:00:00Z", encoded.path("startedAt").asText());
        assertEquals("tester", encoded.path("stoppedBy").asText());
        assertFalse(encoded.has("version"));
        Experiment again = codec.decodeExperiment(json.readTree(json.write(encoded)), "exp");
        assertEquals(draft, again, "the read-only lifecycle fields are accepted and ignored");
    }

    @Test
    void absentLifecycleFieldsAreLeftOut() {
        ObjectNode encoded = codec.encodeExperiment(codec.decodeExperiment(json.readTree(API_EXAMPLE), "exp"));
        assertEquals("draft", encoded.path("status").asText());
        assertNull(encoded.get("winner"));
        assertNull(encoded.get("startedAt"));
    }

    @Test
    void reportsEveryProblemWithItsPointer() {
        String bad = """
                {"key":"other","environment":7,"control":"c","weights":{"a":0,"b":"x"},
                 "metrics":[{"name":"m","kind":"median"},{"name":"m","kind":"mean"},{"kind":"mean","extra":1}],
                 "primaryMetric":"nope","alpha":1.5,"power":"high","minimumDetectableEffect":-1,
                 "autoStop":{"enabled":"yes","minUnitsPerVariant":2.5},"colour":"red"}""";
        ValidationException e = assertThrows(ValidationException.class,
                () -> codec.decodeExperiment(json.readTree(bad), "exp"));
        Map<String, String> byField = e.violations().stream()
                .collect(Collectors.toMap(Violation::field, Violation::message, (a, b) -> a + "; " + b));
        for (String field : List.of("/key", "/flag", "/environment", "/weights/a", "/weights/b", "/metrics/0/kind",
                "/metrics/1/name", "/metrics/2/name", "/metrics/2/extra", "/primaryMetric", "/alpha", "/power",
                "/minimumDetectableEffect", "/autoStop/enabled", "/autoStop/minUnitsPerVariant", "/colour")) {
            assertTrue(byField.containsKey(field), field + " not reported in " + byField);
        }
        assertTrue(e.violations().stream().allMatch(v -> v.rule().equals("schema")));
    }

    @Test
    void aGuardrailMetricDecodesWithDefaultsAndRoundTrips() {
        String withGuardrails = """
                {"flag":"f","environment":"e","control":"a","weights":{"a":1,"b":1},
                 "metrics":[{"name":"m","kind":"mean"},
                            {"name":"errors","kind":"proportion","guardrail":{"direction":"lower-is-better","margin":0.002}},
                            {"name":"revenue","kind":"mean","guardrail":{}}],
                 "primaryMetric":"m","minimumDetectableEffect":1}""";
        Experiment e = codec.decodeExperiment(json.readTree(withGuardrails), "exp");
        assertNull(e.metrics().get(0).guardrail());
        assertEquals(new Metric.Guardrail(true, 0.002), e.metrics().get(1).guardrail());
        assertEquals(new Metric.Guardrail(false, 0), e.metrics().get(2).guardrail(), "higher is better, margin 0");
        ObjectNode encoded = codec.encodeExperiment(e);
        assertEquals("lower-is-better", encoded.path("metrics").path(1).path("guardrail").path("direction").asText());
        assertFalse(encoded.path("metrics").path(0).has("guardrail"));
        assertEquals(e, codec.decodeExperiment(json.readTree(json.write(encoded)), "exp"));
        assertEquals(e.metrics(), List.of(ExperimentCodec.decodeStoredMetric(encoded.path("metrics").path(0)),
                ExperimentCodec.decodeStoredMetric(encoded.path("metrics").path(1)),
                ExperimentCodec.decodeStoredMetric(encoded.path("metrics").path(2))));
    }

    @Test
    void badGuardrailsAreReportedWithTheirPointers() {
        String bad = """
                {"flag":"f","environment":"e","control":"a","weights":{"a":1,"b":1},
                 "metrics":[{"name":"m","kind":"mean","guardrail":{}},
                            {"name":"x","kind":"mean","guardrail":{"direction":"up","margin":-1,"colour":1}},
                            {"name":"y","kind":"mean","guardrail":true}],
                 "primaryMetric":"m","minimumDetectableEffect":1}""";
        ValidationException e = assertThrows(ValidationException.class,
                () -> codec.decodeExperiment(json.readTree(bad), "exp"));
        List<String> fields = e.violations().stream().map(Violation::field).sorted().toList();
        assertEquals(List.of("/metrics/1/guardrail/colour", "/metrics/1/guardrail/direction",
                "/metrics/1/guardrail/margin", "/metrics/2/guardrail", "/primaryMetric"), fields);
    }

    @Test
    void controlMustBeWeightedAndTwoVariantsAreNeeded() {
        String oneVariant = """
                {"flag":"f","environment":"e","control":"b","weights":{"a":1},
                 "metrics":[{"name":"m","kind":"mean"}],"primaryMetric":"m","minimumDetectableEffect":1}""";
        ValidationException e = assertThrows(ValidationException.class,
                () -> codec.decodeExperiment(json.readTree(oneVariant), "exp"));
        List<String> fields = e.violations().stream().map(Violation::field).toList();
        assertEquals(List.of("/weights", "/control"), fields);
    }

    @Test
    void refusesBadKeysAndNonObjects() {
        assertThrows(ValidationException.class, () -> codec.decodeExperiment(json.readTree(API_EXAMPLE), "bad key"));
        ValidationException e = assertThrows(ValidationException.class,
                () -> codec.decodeExperiment(json.readTree("[1]"), "exp"));
        assertEquals("", e.violations().get(0).field());
        assertThrows(ValidationException.class, () -> codec.decodeExperiment(null, "exp"));
    }
}
