package io.ensign.schedules.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.audit.AuditRecord;
import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.config.ConfigService;
import io.ensign.api.http.ApiException;
import io.ensign.api.http.ErrorCodes;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;
import io.ensign.api.store.StoreUnavailableException;
import io.ensign.api.store.VersionConflictException;
import io.ensign.api.validation.ValidationException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The scheduled changes, kept in the store (kind {@value ScheduledChange#KIND}), and the one thread that applies them
 * when due. A due change is first claimed (state applying, written with If-Match on the version read), so of several
 * nodes on one store exactly one applies it; the change is then made through the flag catalog or the configuration,
 * validated and audited like any write, with the schedule's author, reason and lateness in its audit record, and the
 * schedule marked applied or failed. A node that stops between claim and mark leaves the claim; after
 * {@link #CLAIM_TIMEOUT} any node takes it over and finishes it, writing the target only if it is not already as the
 * change makes it, so a change is applied once. Changes due while the server was down are applied at its start, late.
 */
@Component(service = ScheduledChanges.class, immediate = true)
public final class ScheduledChanges {
    static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(60);
    /** How often the store is read again without a change notification, which bounds a missed one's delay. */
    static final Duration RESCAN = Duration.ofSeconds(30);
    /** How long a change the store could not take waits before it is tried again. */
    static final Duration RETRY = Duration.ofSeconds(5);
    private static final System.Logger LOG = System.getLogger(ScheduledChanges.class.getName());

    private final Store store;
    private final FlagCatalog catalog;
    private final ConfigService config;
    private final ObjectMapper mapper = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final Object wake = new Object();
    private final Thread applier;
    private final AutoCloseable subscription;
    private volatile boolean stopped;
    private boolean changed;

    @Activate
    public ScheduledChanges(@Reference(target = Store.SELECTED) Store store, @Reference FlagCatalog catalog,
                            @Reference ConfigService config) {
        this.store = store;
        this.catalog = catalog;
        this.config = config;
        this.subscription = store.subscribe(this::onChange);
        this.applier = new Thread(this::run, "ensign-scheduled-changes");
        applier.setDaemon(true);
        applier.start();
    }

    @Deactivate
    void close() throws Exception {
        stopped = true;
        subscription.close();
        applier.interrupt();
        applier.join(Duration.ofSeconds(5).toMillis());
    }

    /** Every scheduled change, the next due first. */
    public List<ScheduledChange> list() {
        return store.list(ScheduledChange.KIND).stream().filter(d -> !d.deleted()).map(this::decode)
                .sorted(Comparator.comparing(ScheduledChange::at).thenComparing(ScheduledChange::id)).toList();
    }

    /** The scheduled change of this id. */
    public Optional<ScheduledChange> get(String id) {
        return store.get(ScheduledChange.KIND, id).filter(d -> !d.deleted()).map(this::decode);
    }

    /**
     * Schedules a change from a request body; its target must exist now.
     *
     * @throws ValidationException naming the field that is wrong; nothing is written then
     */
    public ScheduledChange schedule(JsonNode body, WriteContext writer) {
        String id = HexFormat.of().formatHex(randomBytes());
        ScheduledChange change = ScheduledChange.fromRequest(body, id, writer.actor(), Instant.now());
        change.action().check(catalog, config);
        store.commit(List.of(mutation(change, Mutation.ABSENT, "schedule", writer)));
        return change;
    }

    /**
     * Cancels a pending change.
     *
     * @return false when there is none of this id
     * @throws ApiException 409 when it is no longer pending
     */
    public boolean cancel(String id, WriteContext writer) {
        Optional<Document> stored = store.get(ScheduledChange.KIND, id).filter(d -> !d.deleted());
        if (stored.isEmpty()) {
            return false;
        }
        ScheduledChange change = decode(stored.get());
        if (change.state() != ScheduledChange.State.PENDING) {
            throw new ApiException(409, ErrorCodes.ILLEGAL_TRANSITION, "scheduled change " + id + " is "
                    + change.state().jsonName() + ", only a pending one can be cancelled");
        }
        try {
            store.commit(List.of(mutation(change.with(ScheduledChange.State.CANCELLED, null, null, null, null),
                    stored.get().version(), "cancel", writer)));
        } catch (VersionConflictException e) {
            throw new ApiException(409, ErrorCodes.ILLEGAL_TRANSITION, "scheduled change " + id
                    + " was claimed for applying meanwhile");
        }
        return true;
    }

    private void onChange(AuditRecord record) {
        if (ScheduledChange.KIND.equals(record.kind())) {
            synchronized (wake) {
                changed = true;
                wake.notifyAll();
            }
        }
    }

    private void run() {
        while (!stopped) {
            Instant next;
            try {
                next = applyDue(Instant.now());
            } catch (RuntimeException e) {
                // A store away or a change that cannot be read must not end the thread: try again later.
                LOG.log(System.Logger.Level.WARNING, "scheduled changes could not be applied now: " + e);
                next = Instant.now().plus(RETRY);
            }
            Instant rescan = Instant.now().plus(RESCAN);
            long waitMillis = Math.max(1, Duration.between(Instant.now(), next.isBefore(rescan) ? next : rescan)
                    .toMillis());
            synchronized (wake) {
                try {
                    if (!changed) {
                        wake.wait(waitMillis);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                changed = false;
            }
        }
    }

    /** Applies every change due at {@code now}; returns when the next one is due. */
    Instant applyDue(Instant now) {
        Instant next = Instant.MAX;
        for (Document document : store.list(ScheduledChange.KIND)) {
            if (document.deleted()) {
                continue;
            }
            ScheduledChange change;
            try {
                change = decode(document);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "scheduled change " + document.key() + " is skipped: " + e);
                continue;
            }
            boolean open = change.state() == ScheduledChange.State.PENDING
                    || change.state() == ScheduledChange.State.APPLYING;
            if (!open) {
                continue;
            }
            Instant due = change.state() == ScheduledChange.State.APPLYING
                    ? change.claimed().plus(CLAIM_TIMEOUT) : change.at();
            if (due.isAfter(now)) {
                next = due.isBefore(next) ? due : next;
            } else if (!applyOne(document, change, now)) {
                next = now.plus(RETRY).isBefore(next) ? now.plus(RETRY) : next;
            }
        }
        return next;
    }

    /** Claims, applies and marks one due change; false when it is to be tried again later. */
    private boolean applyOne(Document document, ScheduledChange change, Instant now) {
        WriteContext scheduler = new WriteContext("scheduler (for " + change.author() + ")", null, null);
        long claimedVersion;
        try {
            claimedVersion = store.commit(List.of(mutation(change.with(ScheduledChange.State.APPLYING, now, null,
                    null, null), document.version(), "claim", scheduler))).get(0).version();
        } catch (VersionConflictException e) {
            return true; // another node claimed it or it was cancelled: nothing to do here
        }
        long late = Math.max(0, Duration.between(change.at(), now).toMillis());
        String reason = "scheduled change " + change.id() + " due " + change.at() + ", applied " + late + " ms late"
                + (change.reason() == null ? "" : ": " + change.reason());
        ScheduledChange outcome;
        try {
            if (!change.action().done(catalog, config)) {
                change.action().apply(catalog, config, new WriteContext(scheduler.actor(), reason, null));
            }
            outcome = change.with(ScheduledChange.State.APPLIED, null, now, late, null);
        } catch (StoreUnavailableException e) {
            return false; // the claim stays and times out, then this or another node tries again
        } catch (RuntimeException e) {
            // A change that became invalid (a flag deleted, a rule gone, a validation rule's refusal) fails visibly.
            outcome = change.with(ScheduledChange.State.FAILED, null, now, late, e.getMessage());
        }
        try {
            store.commit(List.of(mutation(outcome, claimedVersion, outcome.state() == ScheduledChange.State.APPLIED
                    ? "apply" : "fail", new WriteContext(scheduler.actor(), reason, null))));
        } catch (VersionConflictException e) {
            // This node took longer than the claim timeout and another took the change over; it marks it.
            LOG.log(System.Logger.Level.INFO, "scheduled change " + change.id() + " was taken over by another node");
        }
        return true;
    }

    private Mutation mutation(ScheduledChange change, long expectedVersion, String action, WriteContext writer) {
        try {
            return new Mutation(ScheduledChange.KIND, change.id(), null, mapper.writeValueAsString(change.toJson(mapper)),
                    expectedVersion, action, writer.actor(), writer.reason(), writer.requestId());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ScheduledChange decode(Document document) {
        try {
            return ScheduledChange.fromStored(mapper.readTree(document.json()));
        } catch (IOException e) {
            throw new UncheckedIOException("scheduled change " + document.key() + " is unreadable", e);
        }
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return bytes;
    }
}
