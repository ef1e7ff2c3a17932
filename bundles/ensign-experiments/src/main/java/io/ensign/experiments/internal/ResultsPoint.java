package io.ensign.experiments.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of a results document that a point of the results history keeps, copied as they are (a point holds
 * the numbers the results document had, never recomputed ones): {@code status}; {@code units} per variant;
 * {@code variants.<variant>.<metric>} the mean; {@code metrics.<metric>.<treatment>} the comparison's test,
 * {@code difference} and {@code relativeLift} (estimate and interval), {@code pValue}, {@code adjustedPValue} and
 * {@code error}, the Bayesian {@code chanceToBeatControl}, and for the primary metric the sequential test's
 * {@code alwaysValidPValue}, {@code adjustedAlwaysValidPValue}, {@code confidenceSequence} and
 * {@code sequentialError}; {@code srm} with {@code pValue}, {@code mismatch} and {@code error}; {@code decision}.
 * A field the document lacks is left out.
 */
final class ResultsPoint {
    private static final List<String> COMPARISON_FIELDS = List.of("test", "difference", "relativeLift", "pValue",
            "adjustedPValue", "error");
    private static final List<String> SRM_FIELDS = List.of("pValue", "mismatch", "error");

    private ResultsPoint() {
    }

    static Map<String, Object> of(Map<String, Object> document) {
        Map<String, Object> units = new LinkedHashMap<>();
        Map<String, Object> means = new LinkedHashMap<>();
        map(document.get("variants")).forEach((variant, entry) -> {
            units.put(variant, map(entry).get("units"));
            Map<String, Object> metrics = new LinkedHashMap<>();
            map(map(entry).get("metrics")).forEach((metric, figures) -> metrics.put(metric, map(figures).get("mean")));
            means.put(variant, metrics);
        });

        Map<String, Map<String, Object>> metrics = new LinkedHashMap<>();
        map(document.get("comparisons")).forEach((treatment, byMetric) -> map(byMetric).forEach((metric, output) -> {
            Map<String, Object> entry = copy(map(output), COMPARISON_FIELDS);
            Object chance = map(map(map(document.get("bayesian")).get(treatment)).get(metric)).get("chanceToBeatControl");
            if (chance != null) {
                entry.put("chanceToBeatControl", chance);
            }
            metrics.computeIfAbsent(metric, m -> new LinkedHashMap<>()).put(treatment, entry);
        }));
        map(document.get("sequential")).forEach((treatment, value) -> {
            Map<String, Object> output = map(value);
            Map<String, Object> entry = map(map(metrics.get((String) output.get("metric"))).get(treatment));
            putPresent(entry, "alwaysValidPValue", output.get("alwaysValidPValue"));
            putPresent(entry, "adjustedAlwaysValidPValue", output.get("adjustedPValue"));
            putPresent(entry, "confidenceSequence", output.get("confidenceSequence"));
            putPresent(entry, "sequentialError", output.get("error"));
        });

        Map<String, Object> point = new LinkedHashMap<>();
        point.put("status", document.get("status"));
        point.put("units", units);
        point.put("variants", means);
        point.put("metrics", metrics);
        point.put("srm", copy(map(document.get("srm")), SRM_FIELDS));
        point.put("decision", document.get("decision"));
        return point;
    }

    private static Map<String, Object> copy(Map<String, Object> output, List<String> fields) {
        Map<String, Object> copy = new LinkedHashMap<>();
        fields.forEach(field -> {
            if (output.containsKey(field)) {
                copy.put(field, output.get(field));
            }
        });
        return copy;
    }

    private static void putPresent(Map<String, Object> entry, String field, Object value) {
        if (value != null) {
            entry.put(field, value);
        }
    }

    /** A JSON object of the document as a map; absent (null) reads as empty, so a missing part leaves no entry. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : new LinkedHashMap<>();
    }
}
