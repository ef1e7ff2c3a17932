package io.ensign.engine.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;

/**
 * The plugins of one kind that are live, by name, and those that left recently. A plugin that leaves
 * (bundle stopped, updated or uninstalled) stays resolvable for a grace period so that evaluations keep
 * their behaviour across a swap; a live plugin of the same name replaces it at once.
 *
 * <p>Several services may carry the same name for a moment during an update; the one with the highest
 * service ranking, then the newest (highest service id), wins. Guarded by this object's monitor: binds and
 * lookups happen at snapshot-build time only, never per evaluation.
 */
final class PluginRegistry<T> {
    /** A live or departed plugin service; {@code bundle} is the symbolic name of the bundle it came from, or null. */
    record Entry<T>(String name, T service, String version, int ranking, long serviceId,
                    Map<String, Object> properties, String bundle) {
    }

    private record Departed<T>(Entry<T> entry, long deadlineMillis) {
    }

    private static final Comparator<Entry<?>> PREFERENCE =
            Comparator.<Entry<?>>comparingInt(Entry::ranking).thenComparingLong(Entry::serviceId);

    private final String kind;
    private final String nameProperty;
    private final LongSupplier clock;
    private final Map<String, List<Entry<T>>> live = new TreeMap<>();
    private final Map<String, Departed<T>> departed = new TreeMap<>();
    private final Map<String, Long> swaps = new TreeMap<>();

    PluginRegistry(String kind, String nameProperty, LongSupplier clock) {
        this.kind = kind;
        this.nameProperty = nameProperty;
        this.clock = clock;
    }

    String kind() {
        return kind;
    }

    /** Adds a service; returns false when it carries no name (it is then ignored). */
    synchronized boolean bind(T service, Map<String, ?> properties) {
        Entry<T> entry = entry(service, properties);
        if (entry == null) {
            return false;
        }
        List<Entry<T>> named = live.computeIfAbsent(entry.name(), n -> new ArrayList<>());
        if (!named.isEmpty() || departed.remove(entry.name()) != null) {
            swaps.merge(entry.name(), 1L, Long::sum);
        }
        named.add(entry);
        return true;
    }

    /**
     * How often a service arrived for a name while another of that name was live or in its grace period (a bundle
     * update, a replacement), by name.
     */
    synchronized Map<String, Long> swaps() {
        return Map.copyOf(swaps);
    }

    /** Removes a service; when it was the last of its name, it stays resolvable for {@code graceMillis}. */
    synchronized void unbind(T service, Map<String, ?> properties, long graceMillis) {
        Entry<T> entry = entry(service, properties);
        if (entry == null) {
            return;
        }
        List<Entry<T>> entries = live.get(entry.name());
        if (entries == null) {
            return;
        }
        Optional<Entry<T>> leaving = entries.stream().filter(e -> e.service() == service).findFirst();
        entries.removeIf(e -> e.service() == service);
        if (entries.isEmpty()) {
            live.remove(entry.name());
            if (graceMillis > 0) {
                departed.put(entry.name(), new Departed<>(leaving.orElse(entry), clock.getAsLong() + graceMillis));
            }
        }
    }

    /** The service to use for a name now: the preferred live one, else one within its grace period. */
    synchronized Optional<Entry<T>> resolve(String name) {
        List<Entry<T>> entries = live.get(name);
        if (entries != null && !entries.isEmpty()) {
            return entries.stream().max(PREFERENCE);
        }
        Departed<T> d = departed.get(name);
        if (d != null && d.deadlineMillis() > clock.getAsLong()) {
            return Optional.of(d.entry());
        }
        return Optional.empty();
    }

    /** Whether a plugin of this name is live (grace periods do not count). */
    synchronized boolean isLive(String name) {
        List<Entry<T>> entries = live.get(name);
        return entries != null && !entries.isEmpty();
    }

    /** The earliest grace deadline still ahead, or {@code Long.MAX_VALUE}. */
    synchronized long nextDeadline() {
        long now = clock.getAsLong();
        return departed.values().stream().mapToLong(Departed::deadlineMillis).filter(d -> d > now).min()
                .orElse(Long.MAX_VALUE);
    }

    /** The departed entries still within their grace period (none has a live replacement), ordered by name. */
    synchronized List<Entry<T>> inGrace() {
        long now = clock.getAsLong();
        return departed.values().stream().filter(d -> d.deadlineMillis() > now).map(Departed::entry).toList();
    }

    /** The preferred live entry of every name, ordered by name. */
    synchronized List<Entry<T>> liveEntries() {
        List<Entry<T>> result = new ArrayList<>();
        live.values().forEach(entries -> entries.stream().max(PREFERENCE).ifPresent(result::add));
        return result;
    }

    private Entry<T> entry(T service, Map<String, ?> properties) {
        Object name = properties.get(nameProperty);
        if (!(name instanceof String n) || n.isEmpty()) {
            return null;
        }
        Object version = properties.get("version");
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        Object id = properties.get(Constants.SERVICE_ID);
        // The bundle is read when the service arrives: once it has left, its registration can no longer tell.
        Bundle bundle = FrameworkUtil.getBundle(service.getClass());
        return new Entry<>(n, service, version == null ? null : version.toString(),
                ranking instanceof Integer r ? r : 0, id instanceof Long l ? l : 0L, Map.copyOf(properties),
                bundle == null ? null : bundle.getSymbolicName());
    }
}
