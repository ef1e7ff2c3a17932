package io.ensign.api.plugin;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a {@link PluginBindings} component keeps: the {@code service.id} of every service whose bind method has
 * returned. A bind method calls {@link #bound} as its last step, an unbind method {@link #unbinding} as its first.
 * Properties without a {@code service.id} (a service handed over outside OSGi) are not recorded.
 */
public final class BoundServices implements PluginBindings {
    private static final String SERVICE_ID = "service.id";

    private final Set<Long> ids = ConcurrentHashMap.newKeySet();

    public void bound(Map<String, ?> properties) {
        if (properties.get(SERVICE_ID) instanceof Long id) {
            ids.add(id);
        }
    }

    public void unbinding(Map<String, ?> properties) {
        if (properties.get(SERVICE_ID) instanceof Long id) {
            ids.remove(id);
        }
    }

    @Override
    public boolean hasBound(long serviceId) {
        return ids.contains(serviceId);
    }
}
