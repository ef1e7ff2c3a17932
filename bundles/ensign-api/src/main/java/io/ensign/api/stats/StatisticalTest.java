package io.ensign.api.stats;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A statistical test or calculation, registered as an OSGi service with the service property
 * {@value #NAME}. Input and output are JSON-shaped maps (String, Number, Boolean, Map, List values) so that
 * the same test serves experiment analysis and the statistics calculator endpoint unchanged.
 */
@ConsumerType
public interface StatisticalTest {
    /** Service property: the test's name, e.g. {@code welch-t}. */
    String NAME = "name";
    /** Service property: the plugin's version, informational. */
    String VERSION = "version";

    /**
     * Runs the test.
     *
     * @param input the test's parameters, e.g. {@code {"control":{"n":..,"mean":..,"variance":..},...}}
     * @return the test's output, e.g. {@code {"statistic":..,"pValue":..}}
     * @throws InvalidInputException when a parameter is missing or out of range
     */
    Map<String, Object> compute(Map<String, Object> input);
}
