package io.ensign.engine.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bounds the time plugin calls take and counts their failures. Plugins run on the evaluating thread (a
 * thread hop per call would cost more than an evaluation); a watchdog ticks every millisecond and looks at
 * the calls in flight. A call over budget gets its thread interrupted (a plugin that waits or sleeps
 * returns at once), its evaluation reports ERROR, and the plugin is quarantined: for a cool-down period
 * every call to it fails fast instead of waiting. A plugin that spins without checking for interrupts keeps
 * its own thread until it returns, but no other evaluation waits for it.
 */
final class PluginGuard implements AutoCloseable {

    /** The health of one plugin instance: failure counts and quarantine. */
    static final class Health {
        private final String plugin;
        private final LongAdder failures = new LongAdder();
        private final LongAdder timeouts = new LongAdder();
        private final PluginFailure quarantinedFailure;
        private volatile long quarantinedUntilTick;

        Health(String plugin) {
            this.plugin = plugin;
            this.quarantinedFailure = new PluginFailure(plugin + " is quarantined after running over its time budget");
        }

        String plugin() {
            return plugin;
        }

        long failures() {
            return failures.sum();
        }

        long timeouts() {
            return timeouts.sum();
        }

        void failed() {
            failures.increment();
        }
    }

    /**
     * The plugin call a thread is making, if any. Written by its thread on every plugin call and read by the
     * watchdog once a millisecond, so no write pays the store fence of a volatile: the call's start tick is
     * published by the release-write of its health record, which the watchdog reads with acquire.
     */
    static final class InFlight {
        private final Thread thread = Thread.currentThread();
        private final AtomicReference<Health> health = new AtomicReference<>();
        private final AtomicLong startTick = new AtomicLong();
        private final AtomicBoolean timedOut = new AtomicBoolean();

        Health health() {
            return health.getAcquire();
        }

        long startTick() {
            return startTick.getOpaque();
        }

        boolean timedOut() {
            return timedOut.getOpaque();
        }

        void start(Health h, long tick) {
            timedOut.setOpaque(false);
            startTick.setOpaque(tick);
            health.setRelease(h);
        }

        void end() {
            health.setOpaque(null);
        }

        void timeOut() {
            timedOut.setOpaque(true);
        }
    }

    private final Map<Object, Health> health = new ConcurrentHashMap<>();
    private final Set<InFlight> threads = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<InFlight> current = ThreadLocal.withInitial(() -> {
        InFlight f = new InFlight();
        threads.add(f);
        return f;
    });
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ensign-plugin-watchdog");
        t.setDaemon(true);
        return t;
    });
    private volatile long tick;
    private volatile long budgetTicks;
    private volatile long quarantineTicks;

    PluginGuard(long budgetMillis, long quarantineMillis) {
        configure(budgetMillis, quarantineMillis);
        watchdog.scheduleAtFixedRate(this::watch, 1, 1, TimeUnit.MILLISECONDS);
    }

    void configure(long budgetMillis, long quarantineMillis) {
        budgetTicks = Math.max(1, budgetMillis);
        quarantineTicks = Math.max(0, quarantineMillis);
    }

    /** The health record of a plugin instance, created on first use. */
    Health health(String kind, String name, Object service) {
        return health.computeIfAbsent(new Identity(service), s -> new Health(kind + "/" + name));
    }

    /** Sums of failures and timeouts by plugin ({@code kind/name}), over all instances seen. */
    Map<String, long[]> counts() {
        Map<String, long[]> counts = new java.util.TreeMap<>();
        health.values().forEach(h -> {
            long[] c = counts.computeIfAbsent(h.plugin, p -> new long[3]);
            c[0] += h.failures();
            c[1] += h.timeouts();
            c[2] = Math.max(c[2], h.quarantinedUntilTick > tick ? 1 : 0);
        });
        return counts;
    }

    /** The calling thread's in-flight slot, fetched once per evaluation. */
    InFlight slot() {
        return current.get();
    }

    /** Marks the start of a call; throws fast when the plugin is quarantined. */
    void enter(InFlight slot, Health h) {
        if (h.quarantinedUntilTick > tick) {
            throw h.quarantinedFailure;
        }
        slot.start(h, tick);
    }

    /**
     * Marks the end of a call.
     *
     * @return the failure to report when the watchdog found the call over budget meanwhile, else null
     */
    PluginFailure exit(InFlight slot) {
        Health h = slot.health();
        slot.end();
        if (slot.timedOut()) {
            Thread.interrupted(); // the interrupt was ours; do not leak it into the server's thread
            return new PluginFailure(h.plugin + " ran over its time budget of " + budgetTicks + " ms");
        }
        return null;
    }

    private void watch() {
        long now = ++tick;
        for (InFlight f : threads) {
            Health h = f.health();
            if (h != null && !f.timedOut() && now - f.startTick() > budgetTicks) {
                f.timeOut();
                h.timeouts.increment();
                h.quarantinedUntilTick = now + quarantineTicks;
                f.thread.interrupt();
            }
            if (!f.thread.isAlive()) {
                threads.remove(f);
            }
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }

    /** Keys plugin instances by identity: a plugin's equals is its own business. */
    private record Identity(Object service) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity i && i.service == service;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(service);
        }
    }
}
