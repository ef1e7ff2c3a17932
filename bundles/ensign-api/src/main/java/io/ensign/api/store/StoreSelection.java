package io.ensign.api.store;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The one configuration that selects the store, PID {@value Store#SELECTION_PID}: every component of the server
 * that uses a store reads it, beside its own settings, as the target of its {@code store} (and, for the experiment
 * event store, {@code events}) reference. A value is an LDAP filter on the stores' {@value Store#NAME} service
 * property, e.g. {@code (name=embedded)}; without the configuration a component takes the one store there is. A
 * component whose store is not there is unsatisfied and readiness names it.
 */
@ObjectClassDefinition(pid = Store.SELECTION_PID, name = "Ensign store selection",
        description = "Which store every server component uses, by the stores' name service property")
public @interface StoreSelection {
    /** The target of every component's store reference. */
    @AttributeDefinition(name = "Store", description = "LDAP filter selecting the Store service, e.g. (name=embedded)")
    String store_target() default "(name=embedded)";

    /** The target of the experiment event store reference. */
    @AttributeDefinition(name = "Experiment event store",
            description = "LDAP filter selecting the ExperimentEventStore service, e.g. (name=embedded)")
    String events_target() default "(name=embedded)";
}
