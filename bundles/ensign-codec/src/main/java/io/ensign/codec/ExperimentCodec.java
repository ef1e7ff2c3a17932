package io.ensign.codec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.experiment.AutoStop;
import io.ensign.api.experiment.Experiment;
import io.ensign.api.experiment.Metric;

/**
 * Decodes and encodes experiments as api.md defines them. Decoding is strict like {@link ModelCodec}'s: unknown
 * fields, wrong types, values out of range and references inside the document (control, primary metric) that name
 * nothing are reported together, each with its JSON pointer, as one
 * {@link io.ensign.api.validation.ValidationException}. Whether the flag, its variants and the environment exist is
 * the experiment service's to check. Thread-safe.
 */
public final class ExperimentCodec {
    /** Significance level when the writer gives none. */
    public static final double DEFAULT_ALPHA = 0.05;
    /** Planned power when the writer gives none. */
    public static final double DEFAULT_POWER = 0.8;
    /** Units every variant needs before auto-stop may fire, when {@code autoStop} does not say. */
    public static final long DEFAULT_MIN_UNITS_PER_VARIANT = 1000;

    /** Fields a writer sets. */
    private static final Set<String> WRITABLE = Set.of("key", "flag", "environment", "control", "weights",
            "metrics", "primaryMetric", "alpha", "power", "minimumDetectableEffect", "autoStop");
    /** Fields the server sets; accepted and ignored so that a document read can be written back as it is. */
    private static final Set<String> READ_ONLY = Set.of("status", "winner", "startedAt", "stoppedAt", "stoppedBy",
            "version", "updated");
    private static final Set<String> FIELDS = union(WRITABLE, READ_ONLY);
    private static final Set<String> METRIC_FIELDS = Set.of("name", "kind", "guardrail");
    private static final Set<String> GUARDRAIL_FIELDS = Set.of("direction", "margin");
    private static final String HIGHER_IS_BETTER = "higher-is-better";
    private static final String LOWER_IS_BETTER = "lower-is-better";
    private static final Set<String> AUTO_STOP_FIELDS = Set.of("enabled", "minUnitsPerVariant");

    private final ObjectMapper mapper = new ObjectMapper();

    /**
     * Decodes an experiment definition as a draft (lifecycle fields in the body are ignored).
     *
     * @param node the JSON object
     * @param key  the key from the request path; the body's key, if any, must equal it
     */
    public Experiment decodeExperiment(JsonNode node, String key) {
        ShapeCheck check = new ShapeCheck();
        if (!check.object(node, "", true)) {
            check.throwIfFailed();
        }
        check.onlyFields(node, "", FIELDS);
        ModelCodec.checkKey(check, node, "key", key);
        String flag = check.text(node, "flag", "", true);
        String environment = check.text(node, "environment", "", true);
        Map<String, Double> weights = weights(check, node.get("weights"));
        String control = check.text(node, "control", "", true);
        if (control != null && !weights.isEmpty() && !weights.containsKey(control)) {
            check.fail("/control", "must be one of the variants in 'weights'");
        }
        List<Metric> metrics = metrics(check, node.get("metrics"));
        String primaryMetric = check.text(node, "primaryMetric", "", true);
        if (primaryMetric != null && !metrics.isEmpty()
                && metrics.stream().noneMatch(m -> m.name().equals(primaryMetric))) {
            check.fail("/primaryMetric", "must name one of the experiment's metrics");
        }
        if (metrics.stream().anyMatch(m -> m.name().equals(primaryMetric) && m.guardrail() != null)) {
            check.fail("/primaryMetric", "must not be a guardrail: guardrails guard the primary metric's winner");
        }
        double alpha = check.number(node, "alpha", "", DEFAULT_ALPHA);
        double power = check.number(node, "power", "", DEFAULT_POWER);
        double mde = check.number(node, "minimumDetectableEffect", "", Double.NaN);
        openUnitInterval(check, "/alpha", alpha);
        openUnitInterval(check, "/power", power);
        if (mde <= 0) {
            check.fail("/minimumDetectableEffect", "must be greater than 0");
        }
        AutoStop autoStop = autoStop(check, node.get("autoStop"));
        check.throwIfFailed();
        return Experiment.draft(key, flag, environment, control, weights, metrics, primaryMetric, alpha, power, mde,
                autoStop);
    }

    /** The JSON of an experiment, lifecycle included, without its version (the store keeps that). */
    public ObjectNode encodeExperiment(Experiment experiment) {
        ObjectNode o = mapper.createObjectNode();
        o.put("key", experiment.key());
        o.put("flag", experiment.flag());
        o.put("environment", experiment.environment());
        o.put("control", experiment.control());
        ObjectNode weights = o.putObject("weights");
        experiment.weights().forEach(weights::put);
        ArrayNode metrics = o.putArray("metrics");
        for (Metric metric : experiment.metrics()) {
            encodeMetric(metrics.addObject(), metric);
        }
        o.put("primaryMetric", experiment.primaryMetric());
        o.put("alpha", experiment.alpha());
        o.put("power", experiment.power());
        o.put("minimumDetectableEffect", experiment.minimumDetectableEffect());
        o.putObject("autoStop").put("enabled", experiment.autoStop().enabled())
                .put("minUnitsPerVariant", experiment.autoStop().minUnitsPerVariant());
        o.put("status", experiment.status().jsonName());
        putIfPresent(o, "winner", experiment.winner());
        putIfPresent(o, "startedAt", experiment.startedAt());
        putIfPresent(o, "stoppedAt", experiment.stoppedAt());
        putIfPresent(o, "stoppedBy", experiment.stoppedBy());
        return o;
    }

    private static Map<String, Double> weights(ShapeCheck check, JsonNode node) {
        Map<String, Double> weights = new LinkedHashMap<>();
        if (!check.object(node, "/weights", true)) {
            return weights;
        }
        ShapeCheck.forEachField(node, (variant, weight) -> {
            String at = "/weights/" + ShapeCheck.escape(variant);
            if (!weight.isNumber() || !(weight.doubleValue() > 0) || !Double.isFinite(weight.doubleValue())) {
                check.fail(at, "must be a number > 0");
            } else {
                weights.put(variant, weight.doubleValue());
            }
        });
        if (node.size() < 2) {
            check.fail("/weights", "an experiment compares at least two variants");
        }
        return weights;
    }

    private static List<Metric> metrics(ShapeCheck check, JsonNode node) {
        List<Metric> metrics = new ArrayList<>();
        if (!check.array(node, "/metrics", true)) {
            return metrics;
        }
        if (node.isEmpty()) {
            check.fail("/metrics", "an experiment measures at least one metric");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            String at = "/metrics/" + i;
            if (!check.object(m, at, true)) {
                continue;
            }
            check.onlyFields(m, at, METRIC_FIELDS);
            String name = check.text(m, "name", at, true);
            String kindName = check.text(m, "kind", at, true);
            Metric.Kind kind = kindName == null ? null : Metric.Kind.fromJsonName(kindName);
            if (kindName != null && kind == null) {
                check.fail(at + "/kind", "must be one of mean, proportion");
            }
            if (name != null && name.isEmpty()) {
                check.fail(at + "/name", "must not be empty");
            } else if (name != null && !names.add(name)) {
                check.fail(at + "/name", "another metric has the name '" + name + "'");
            }
            Metric.Guardrail guardrail = guardrail(check, m.get("guardrail"), at + "/guardrail");
            if (name != null && kind != null) {
                metrics.add(new Metric(name, kind, guardrail));
            }
        }
        return metrics;
    }

    /** {@code {"direction", "margin"}}, both optional (higher is better, margin 0); null when absent. */
    private static Metric.Guardrail guardrail(ShapeCheck check, JsonNode node, String at) {
        if (!check.object(node, at, false)) {
            return null;
        }
        check.onlyFields(node, at, GUARDRAIL_FIELDS);
        String direction = check.text(node, "direction", at, false);
        if (direction != null && !direction.equals(HIGHER_IS_BETTER) && !direction.equals(LOWER_IS_BETTER)) {
            check.fail(at + "/direction", "must be one of " + HIGHER_IS_BETTER + ", " + LOWER_IS_BETTER);
        }
        double margin = check.number(node, "margin", at, 0);
        if (!(margin >= 0)) {
            check.fail(at + "/margin", "must be a number >= 0");
        }
        return new Metric.Guardrail(LOWER_IS_BETTER.equals(direction), margin);
    }

    /**
     * A metric's JSON: {@code name}, {@code kind} and, for a guardrail, {@code guardrail: {direction, margin}}. The
     * experiment service stores experiments in this form too.
     */
    public static ObjectNode encodeMetric(ObjectNode o, Metric metric) {
        o.put("name", metric.name()).put("kind", metric.kind().jsonName());
        if (metric.guardrail() != null) {
            o.putObject("guardrail").put("direction", metric.guardrail().direction())
                    .put("margin", metric.guardrail().margin());
        }
        return o;
    }

    /** The metric of JSON that {@link #encodeMetric} wrote. */
    public static Metric decodeStoredMetric(JsonNode m) {
        JsonNode guardrail = m.get("guardrail");
        return new Metric(m.path("name").asText(), Metric.Kind.fromJsonName(m.path("kind").asText()),
                guardrail == null || guardrail.isNull() ? null : new Metric.Guardrail(
                        LOWER_IS_BETTER.equals(guardrail.path("direction").asText()),
                        guardrail.path("margin").doubleValue()));
    }

    private static AutoStop autoStop(ShapeCheck check, JsonNode node) {
        if (!check.object(node, "/autoStop", false)) {
            return AutoStop.DISABLED;
        }
        check.onlyFields(node, "/autoStop", AUTO_STOP_FIELDS);
        boolean enabled = check.bool(node, "enabled", "/autoStop", Boolean.FALSE);
        JsonNode min = node.get("minUnitsPerVariant");
        long minUnits = DEFAULT_MIN_UNITS_PER_VARIANT;
        if (min != null && !min.isNull()) {
            if (min.isIntegralNumber() && min.canConvertToLong() && min.longValue() >= 0) {
                minUnits = min.longValue();
            } else {
                check.fail("/autoStop/minUnitsPerVariant", "must be a whole number >= 0");
            }
        }
        return new AutoStop(enabled, minUnits);
    }

    /** Reports a value outside (0, 1); NaN means the value was missing or malformed and is reported already. */
    private static void openUnitInterval(ShapeCheck check, String pointer, double value) {
        if (!Double.isNaN(value) && !(value > 0 && value < 1)) {
            check.fail(pointer, "must be between 0 and 1, both excluded");
        }
    }

    private static void putIfPresent(ObjectNode o, String field, Object value) {
        if (value != null) {
            o.put(field, value instanceof Instant instant ? instant.toString() : value.toString());
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
