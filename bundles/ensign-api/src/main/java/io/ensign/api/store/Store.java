package io.ensign.api.store;

import java.util.List;
import java.util.Optional;

import io.ensign.api.audit.AuditRecord;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The source of truth: every object of every kind as a chain of immutable revisions, and the change log
 * (the audit trail) written in the same transaction as the changes. Registered as an OSGi service with the
 * service property {@value #NAME}. Implementations must be safe for concurrent use.
 */
@ConsumerType
public interface Store {
    /** Service property: the store's name, e.g. {@code embedded}. */
    String NAME = "name";
    /** Service property: the plugin's version, informational. */
    String VERSION = "version";
    /**
     * The PID of the one configuration that selects the store (bundle {@code ensign-store}): its {@code store.target}
     * and {@code events.target} are filters on the stores' {@value #NAME}, e.g. {@code (name=embedded)}.
     */
    String SELECTION_PID = "io.ensign.store";
    /**
     * The target of every reference to the store the server uses: the selected store (and experiment event store)
     * that bundle {@code ensign-store} registers in front of the one the selection names.
     */
    String SELECTED = "(ensign.store.selected=true)";

    /** The current revision of an object; empty when it never existed or was deleted. */
    Optional<Document> get(String kind, String key);

    /** The current revisions of every live object of a kind, ordered by key. */
    List<Document> list(String kind);

    /** Every revision of one object, oldest first, deletions included. */
    List<Document> history(String kind, String key);

    /**
     * Applies the mutations atomically, all or none, each with its audit record. When this returns the
     * change is durable: it survives a crash of the process at any later moment.
     *
     * @return the new revision of each mutated object, in the order given
     * @throws VersionConflictException when an expected version does not match; nothing is written
     * @throws StoreUnavailableException when the store cannot write now (disk full, database away); nothing is
     *                                   written, and the store recovers by itself once the condition passes
     */
    List<Document> commit(List<Mutation> mutations);

    /** Audit records with a sequence number above {@code afterSequence}, ascending, at most {@code limit}. */
    List<AuditRecord> changes(long afterSequence, int limit);

    /** The sequence number of the newest audit record, 0 when there is none. */
    long lastSequence();

    /** Whether the store takes writes now; a store that can fail only at commit time may keep the default. */
    default StoreStatus status() {
        return StoreStatus.UP;
    }

    /**
     * Registers a listener for committed changes.
     *
     * @return closing it unregisters the listener
     */
    AutoCloseable subscribe(ChangeListener listener);

    /**
     * How the nodes sharing this store take turns at once-per-cluster work; empty (the default) for a store only one
     * node uses, whose node does that work alone.
     */
    default Optional<Coordination> coordination() {
        return Optional.empty();
    }
}
