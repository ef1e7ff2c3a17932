package io.ensign.api.store;

import io.ensign.api.audit.AuditRecord;

/** Told of every change after it is committed, on this node or (for a shared store) another one. */
@FunctionalInterface
public interface ChangeListener {
    /** Called once per committed change, in sequence order; must return quickly and not throw. */
    void changed(AuditRecord record);
}
