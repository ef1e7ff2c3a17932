package io.ensign.api.audit;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives every audit record at least once, in sequence order, from its own cursor: a sink that fails or
 * is absent never blocks writes, and is fed again from where it stopped. Registered as an OSGi service with
 * the service property {@value #NAME}, which also names its cursor.
 */
@ConsumerType
public interface AuditSink {
    /** Service property: the sink's name. */
    String NAME = "name";
    /** Service property: the plugin's version, informational. */
    String VERSION = "version";
    /**
     * Service property: where the sink is fed when several nodes share one store — {@value #DELIVERY_CLUSTER} (the
     * default) or {@value #DELIVERY_NODE}.
     */
    String DELIVERY = "delivery";
    /**
     * Fed by one node of the cluster at a time (the store's {@link io.ensign.api.store.Coordination} leader), from a
     * cursor kept in the store, so each record leaves the cluster once — for sinks that send records elsewhere.
     */
    String DELIVERY_CLUSTER = "cluster";
    /** Fed on every node from that node's own cursor — for sinks that keep a copy on the node, like a journal. */
    String DELIVERY_NODE = "node";

    /**
     * Takes one record. Returning normally acknowledges it; throwing makes the caller retry later with the
     * same record. A record may come again after a restart, so sinks deduplicate by sequence if they care.
     *
     * @throws Exception when the record could not be delivered
     */
    void deliver(AuditRecord record) throws Exception;
}
