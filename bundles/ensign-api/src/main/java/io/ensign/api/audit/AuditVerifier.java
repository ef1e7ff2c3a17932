package io.ensign.api.audit;

import org.osgi.annotation.versioning.ProviderType;

/** Checks an audit trail that is kept outside the store for damage: edited, missing, reordered or added records. */
@ProviderType
public interface AuditVerifier {
    /** Reads the whole trail and reports the first problem found. */
    Verification verify();
}
