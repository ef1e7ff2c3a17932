package io.ensign.store.sql;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.store.ChangeListener;

/** The subscribed change listeners; hands every committed record to each of them, isolating their failures. */
final class ChangeFanout {
    private static final System.Logger LOG = System.getLogger(ChangeFanout.class.getName());

    /** One entry per subscription, so the same listener subscribed twice is unsubscribed once per close. */
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    AutoCloseable subscribe(ChangeListener listener) {
        Subscription subscription = new Subscription(listener);
        subscriptions.add(subscription);
        return () -> subscriptions.remove(subscription);
    }

    /** Delivers the record to every listener; the caller keeps deliveries from overlapping. */
    void deliver(AuditRecord record) {
        for (Subscription subscription : subscriptions) {
            try {
                subscription.listener().changed(record);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "change listener " + subscription.listener()
                        + " failed on change " + record.sequence(), e);
            }
        }
    }

    /** Identity matters here, not equality: a record type would make two subscriptions of one listener equal. */
    private static final class Subscription {
        private final ChangeListener listener;

        Subscription(ChangeListener listener) {
            this.listener = listener;
        }

        ChangeListener listener() {
            return listener;
        }
    }
}
