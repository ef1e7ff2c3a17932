package io.ensign.api.validation;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A check every write passes before anything is stored. Registered as an OSGi service with the service
 * properties {@value #NAME} and, optionally, {@value #KINDS} (the object kinds it checks; all when absent).
 * All violations of all rules come back to the writer together.
 */
@ConsumerType
public interface ValidationRule {
    /** Service property: the rule's name, reported in violations. */
    String NAME = "name";
    /** Service property: the plugin's version, informational. */
    String VERSION = "version";
    /** Service property: the kinds of object the rule applies to, e.g. {@code flag}, {@code config}. */
    String KINDS = "kinds";

    /**
     * Checks a change.
     *
     * @return the violations found, empty when the change is fine
     */
    List<Violation> validate(Change change);
}
