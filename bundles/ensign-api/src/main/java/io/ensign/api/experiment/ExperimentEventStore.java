package io.ensign.api.experiment;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Durable, idempotent storage of experiment events as per-unit and per-variant aggregates, so that analysis reads
 * sufficient statistics in O(variants x metrics) and never rescans events.
 *
 * <p>Rules every implementation keeps: an event id is stored once, a second event with it is a duplicate and
 * changes nothing. A unit belongs to the variant of its first exposure (first in the order the store accepts
 * them); exposures of the unit to another variant later count as conflicts only. A unit's value of a metric is
 * the sum of its metric events, whether they arrive before or after its exposure; a unit counts in a variant's
 * aggregates from its exposure on, with value 0 for metrics it has no events of.
 */
@ConsumerType
public interface ExperimentEventStore {
    /** What became of one appended event. */
    enum Outcome { ACCEPTED, DUPLICATE }

    /**
     * Stores a batch atomically; when this returns the batch is durable (committed and synced).
     *
     * @return one outcome per event, in the order given
     */
    List<Outcome> append(List<ExperimentEvent> events);

    /** Variant name to its aggregates, for the variants with exposures; empty for an unknown experiment. */
    Map<String, VariantAggregate> aggregates(String experiment);

    /**
     * Records a sequential test's p-value at one look and returns the running minimum over every look so far,
     * which is the always-valid p-value. Durable like {@link #append}.
     *
     * @param experiment the experiment key
     * @param arm        what the p-value is about, e.g. the treatment variant
     * @param pValue     this look's p-value
     */
    double recordSequentialPValue(String experiment, String arm, double pValue);
}
