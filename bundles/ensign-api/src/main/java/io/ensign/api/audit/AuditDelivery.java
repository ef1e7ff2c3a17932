package io.ensign.api.audit;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** What feeds the audit sinks: where each sink stands in the change log. */
@ProviderType
public interface AuditDelivery {
    /** The status of every sink currently fed, ordered by name. */
    List<SinkStatus> sinks();
}
