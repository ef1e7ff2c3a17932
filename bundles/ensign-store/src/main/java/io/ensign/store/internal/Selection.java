package io.ensign.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The store selection, PID {@value io.ensign.api.store.Store#SELECTION_PID}: the targets of the two selectors. */
@ObjectClassDefinition(name = "Ensign store selection",
        description = "Which store plugin the server uses, by the stores' name service property")
@interface Selection {
    @AttributeDefinition(name = "Store", description = "LDAP filter selecting the Store service the server uses, "
            + "e.g. (name=embedded); unset, the one store there is")
    String store_target() default SelectedStore.ANY_STORE;

    @AttributeDefinition(name = "Experiment event store", description = "LDAP filter selecting the "
            + "ExperimentEventStore service the server uses, e.g. (name=embedded); unset, the one there is")
    String events_target() default SelectedStore.ANY_STORE;
}
