package io.ensign.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The plugins of one kind that are live, by name, and those that left recently. A plugin that leaves
 * (bundle stopped, updated or uninstalled) stays resolvable for a grace period so that evaluations keep
 * their behaviour across a swap; a live plugin of the same name replaces it at once.
 *
 * <p>Several services may carry the same name for a moment during an update; the one with the highest
 * service ranking, then the newest (highest service id), wins. Guarded by this object's monitor: binds and
 * lookups happen at snapshot-build time only, never per evaluation.
 *
 * <p>The server binds OSGi services with their service properties; a client outside OSGi {@link #register}s
 * plugins by name. The properties read are the name property, {@code version}, {@code service.ranking} and
 * {@code service.id}.
 *
 * @param <T> the plugin interface
 */
public final class PluginRegistry<T> {
    private static final String SERVICE_RANKING = "service.ranking";
    private static final String SERVICE_ID = "service.id";

    /** A live or departed plugin service; {@code bundle} is the symbolic name of the bundle it came from, or null. */
    public record Entry<T>(String name, T service, String version, int ranking, long serviceId,
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
    /** Service ids of programmatic registrations: growing, so that the newest of a name is preferred. */
    private final AtomicLong registrations = new AtomicLong();

    /**
     * @param kind         the plugin kind as health and grace reports name it, e.g. {@code operator}
     * @param nameProperty the service property holding a plugin's name
     * @param clock        milliseconds, for grace periods
     */
    public PluginRegistry(String kind, String nameProperty, LongSupplier clock) {
        this.kind = kind;
        this.nameProperty = nameProperty;
        this.clock = clock;
    }

    public String kind() {
        return kind;
    }

    /**
     * Adds a plugin under {@code name}, as a service of ranking 0 would be; a later registration of the name wins.
     *
     * @throws IllegalArgumentException when the name is empty
     */
    public void register(String name, T service) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a plugin needs a name");
        }
        bind(service, Map.of(nameProperty, name, SERVICE_ID, registrations.incrementAndGet()), null);
    }

    /**
     * Adds a service; returns false when it carries no name (it is then ignored).
     *
     * @param bundle the symbolic name of the bundle the service came from, or null
     */
    public synchronized boolean bind(T service, Map<String, ?> properties, String bundle) {
        Entry<T> entry = entry(service, properties, bundle);
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
    public synchronized Map<String, Long> swaps() {
        return Map.copyOf(swaps);
    }

    /** Removes a service; when it was the last of its name, it stays resolvable for {@code graceMillis}. */
    public synchronized void unbind(T service, Map<String, ?> properties, long graceMillis) {
        Entry<T> entry = entry(service, properties, null);
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
    public synchronized Optional<Entry<T>> resolve(String name) {
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
    public synchronized boolean isLive(String name) {
        List<Entry<T>> entries = live.get(name);
        return entries != null && !entries.isEmpty();
    }

    /** The earliest grace deadline still ahead, or {@code Long.MAX_VALUE}. */
    public synchronized long nextDeadline() {
        long now = clock.getAsLong();
        return departed.values().stream().mapToLong(Departed::deadlineMillis).filter(d -> d > now).min()
                .orElse(Long.MAX_VALUE);
    }

    /** The departed entries still within their grace period (none has a live replacement), ordered by name. */
    public synchronized List<Entry<T>> inGrace() {
        long now = clock.getAsLong();
        return departed.values().stream().filter(d -> d.deadlineMillis() > now).map(Departed::entry).toList();
    }

    /** The preferred live entry of every name, ordered by name. */
    public synchronized List<Entry<T>> liveEntries() {
        List<Entry<T>> result = new ArrayList<>();
        live.values().forEach(entries -> entries.stream().max(PREFERENCE).ifPresent(result::add));
        return result;
    }

    private Entry<T> entry(T service, Map<String, ?> properties, String bundle) {
        Object name = properties.get(nameProperty);
        if (!(name instanceof String n) || n.isEmpty()) {
            return null;
        }
        Object version = properties.get("version");
        Object ranking = properties.get(SERVICE_RANKING);
        Object id = properties.get(SERVICE_ID);
        return new Entry<>(n, service, version == null ? null : version.toString(),
                ranking instanceof Integer r ? r : 0, id instanceof Long l ? l : 0L, Map.copyOf(properties), bundle);
    }
}
