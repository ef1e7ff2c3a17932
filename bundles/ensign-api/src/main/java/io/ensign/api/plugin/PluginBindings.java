package io.ensign.api.plugin;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Offered by a server component that takes plugin services through a dynamic reference, next to its other
 * services: whether its bind method has run to the end for a service. The component runtime counts a service as
 * bound as soon as it tracks it, before the bind method has run, so an install that went by that alone could be
 * followed by a request that finds the plugin missing. {@link PluginAdmin} waits for this answer too.
 */
@ProviderType
public interface PluginBindings {
    /** Whether the bind method for the service of this {@code service.id} has returned, and no unbind has begun. */
    boolean hasBound(long serviceId);
}
