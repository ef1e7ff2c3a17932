package io.ensign.experiments.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.experiment.AutoStop;
import io.ensign.api.experiment.Experiment;
import io.ensign.api.experiment.ExperimentStatus;
import io.ensign.api.experiment.Metric;
import io.ensign.api.store.Document;
import io.ensign.codec.ExperimentCodec;

/**
 * The stored JSON of an experiment: the body of {@code PUT /api/v1/experiments/{key}} plus {@code status}
 * (lowercase), {@code winner}, {@code startedAt}, {@code stoppedAt} and {@code stoppedBy}. The engine reads
 * {@code flag}, {@code environment}, {@code weights} and {@code status} of these documents to assign units, so
 * those names are fixed. Thread-safe.
 */
final class ExperimentDocument {
    private final ObjectMapper mapper = new ObjectMapper();

    String write(Experiment experiment) {
        ObjectNode node = mapper.createObjectNode();
        node.put("flag", experiment.flag());
        node.put("environment", experiment.environment());
        node.put("control", experiment.control());
        ObjectNode weights = node.putObject("weights");
        experiment.weights().forEach(weights::put);
        ArrayNode metrics = node.putArray("metrics");
        experiment.metrics().forEach(m -> ExperimentCodec.encodeMetric(metrics.addObject(), m));
        node.put("primaryMetric", experiment.primaryMetric());
        node.put("alpha", experiment.alpha());
        node.put("power", experiment.power());
        node.put("minimumDetectableEffect", experiment.minimumDetectableEffect());
        node.putObject("autoStop").put("enabled", experiment.autoStop().enabled())
                .put("minUnitsPerVariant", experiment.autoStop().minUnitsPerVariant());
        node.put("status", experiment.status().jsonName());
        node.put("winner", experiment.winner());
        node.put("startedAt", text(experiment.startedAt()));
        node.put("stoppedAt", text(experiment.stoppedAt()));
        node.put("stoppedBy", experiment.stoppedBy());
        try {
            return mapper.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The experiment of a stored document, which this class wrote. */
    Experiment read(Document document) {
        JsonNode node;
        try {
            node = mapper.readTree(document.json());
        } catch (IOException e) {
            throw new UncheckedIOException("stored experiment '" + document.key() + "' is not JSON", e);
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        node.path("weights").fields().forEachRemaining(e -> weights.put(e.getKey(), e.getValue().doubleValue()));
        List<Metric> metrics = new ArrayList<>();
        node.path("metrics").forEach(m -> metrics.add(ExperimentCodec.decodeStoredMetric(m)));
        JsonNode autoStop = node.path("autoStop");
        return new Experiment(document.key(), textOrNull(node, "flag"), textOrNull(node, "environment"),
                textOrNull(node, "control"), weights, metrics, textOrNull(node, "primaryMetric"),
                node.path("alpha").doubleValue(), node.path("power").doubleValue(),
                node.path("minimumDetectableEffect").doubleValue(),
                new AutoStop(autoStop.path("enabled").booleanValue(), autoStop.path("minUnitsPerVariant").longValue()),
                ExperimentStatus.fromJsonName(node.path("status").asText()), textOrNull(node, "winner"),
                instant(node, "startedAt"), instant(node, "stoppedAt"), textOrNull(node, "stoppedBy"),
                document.version());
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String text = textOrNull(node, field);
        return text == null ? null : Instant.parse(text);
    }
}
