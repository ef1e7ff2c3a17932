package io.ensign.evaluation;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Bounds the time plugin calls take and counts their failures. Plugins run on the calling thread (a thread hop
 * per call would cost more than an evaluation). A watchdog wakes a tenth of the budget apart (1-100 ms) and looks
 * at the calls in flight: a call over budget gets its thread interrupted (a plugin that waits or sleeps returns at
 * once), its caller reports the failure, and the plugin is quarantined: for a cool-down period every call to it
 * fails fast instead of waiting. Time is the watchdog's count of wakes, not the clock: a watchdog starved of CPU
 * makes timeouts late, never early. A plugin that spins without checking for interrupts keeps its own thread until it
 * returns; a slot may name a task to run on overrun (the snapshot builder replaces its thread with it).
 *
 * <p>The plugin calls of one evaluation (or one {@link #call}) form a window with one atomic state, changed by
 * compare-and-set: {@link #settle} at the window's end and the watchdog race for it and only the winner acts. When
 * the window ends first no interrupt follows; when the watchdog wins, {@code settle} waits until the interrupt was
 * sent and then clears it, so it never reaches the server's code after the window. Inside the window each call only
 * marks which plugin runs since when, with plain stores: one compare-and-set per evaluation, not per call.
 *
 * <p>Anything a plugin throws is its failure, except a {@link VirtualMachineError} other than
 * {@link StackOverflowError} (out of memory, an internal error), which the caller must see; the call's slot is
 * released in every case.
 */
public final class PluginGuard implements AutoCloseable {
    private static final long IDLE = 0;
    private static final long RUNNING = 1;
    private static final long INTERRUPTING = 2;
    private static final long TIMED_OUT = 3;
    private static final long PHASE = 3;
    private static final long NEXT_CALL = 4;
    private static final System.Logger LOG = System.getLogger(PluginGuard.class.getName());

    /** The health of one plugin instance: failure counts and quarantine. */
    public static final class Health {
        private final String plugin;
        private final LongAdder failures = new LongAdder();
        private final LongAdder timeouts = new LongAdder();
        private final LongAdder calls = new LongAdder();
        private final LongAdder quarantines = new LongAdder();
        private final PluginFailure quarantinedFailure;
        private volatile long quarantinedUntilTick;

        Health(String plugin) {
            this.plugin = plugin;
            this.quarantinedFailure = new PluginFailure(plugin + " is quarantined after running over its time budget");
        }

        long failures() {
            return failures.sum();
        }

        long timeouts() {
            return timeouts.sum();
        }

        long calls() {
            return calls.sum();
        }

        long quarantines() {
            return quarantines.sum();
        }
    }

    /**
     * The plugin calls a thread is making. Its state holds the window's number (so a state seen by the watchdog
     * belongs to one window only) and its phase: idle, running, being interrupted, timed out. Within a running
     * window, {@code health} names the plugin in a call now (null between calls), published after its start tick.
     */
    public static final class InFlight {
        private final Thread thread = Thread.currentThread();
        private final AtomicLong state = new AtomicLong(IDLE);
        private final AtomicReference<Health> health = new AtomicReference<>();
        private final AtomicReference<Health> overran = new AtomicReference<>();
        private final AtomicLong started = new AtomicLong();
        private volatile Runnable onOverrun;

        /** A task the watchdog runs (on its own thread) after it timed out a call of this slot's thread. */
        public void onOverrun(Runnable task) {
            onOverrun = task;
        }
    }

    private final Map<Object, Health> health = new ConcurrentHashMap<>();
    private final Set<InFlight> threads = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<InFlight> current = ThreadLocal.withInitial(() -> {
        InFlight f = new InFlight();
        threads.add(f);
        return f;
    });
    private final Consumer<Thread> interrupter;
    private final ScheduledExecutorService watchdog;
    private volatile long tick;
    private volatile long budgetMillis;
    private volatile long budgetTicks;
    private volatile long quarantineTicks;
    private volatile long periodMillis;

    /**
     * A guard with its watchdog thread (a daemon), to be {@link #close}d.
     *
     * @param budgetMillis     the longest one plugin call may take
     * @param quarantineMillis how long a plugin that overran is skipped
     */
    public PluginGuard(long budgetMillis, long quarantineMillis) {
        this(budgetMillis, quarantineMillis, Thread::interrupt, true);
    }

    /**
     * @param interrupter how a call over budget is interrupted (tests hold it to reach each interleaving)
     * @param watched     whether a watchdog thread drives {@link #watch()}; tests drive it themselves
     */
    PluginGuard(long budgetMillis, long quarantineMillis, Consumer<Thread> interrupter, boolean watched) {
        this.interrupter = interrupter;
        configure(budgetMillis, quarantineMillis);
        if (watched) {
            watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ensign-plugin-watchdog");
                t.setDaemon(true);
                return t;
            });
            watchdog.schedule(this::tick, periodMillis, TimeUnit.MILLISECONDS);
        } else {
            watchdog = null;
        }
    }

    /** Changes the budget and the quarantine; calls in flight are judged by the new budget. */
    public void configure(long budgetMillis, long quarantineMillis) {
        long budget = Math.max(1, budgetMillis);
        long period = Math.max(1, Math.min(100, budget / 10));
        this.periodMillis = period;
        this.budgetMillis = budget;
        this.budgetTicks = ceilDiv(budget, period);
        this.quarantineTicks = ceilDiv(Math.max(0, quarantineMillis), period);
    }

    /** The health record of a plugin instance, created on first use. */
    public Health health(String kind, String name, Object service) {
        return health.computeIfAbsent(new Identity(service), s -> new Health(kind + "/" + name));
    }

    /**
     * Sums of failures [0], timeouts [1], calls [3] and quarantines [4] by plugin ({@code kind/name}), over all
     * instances seen; [2] is 1 if quarantined.
     */
    public Map<String, long[]> counts() {
        Map<String, long[]> counts = new java.util.TreeMap<>();
        health.values().forEach(h -> {
            long[] c = counts.computeIfAbsent(h.plugin, p -> new long[5]);
            c[0] += h.failures();
            c[1] += h.timeouts();
            c[2] = Math.max(c[2], quarantined(h) ? 1 : 0);
            c[3] += h.calls();
            c[4] += h.quarantines();
        });
        return counts;
    }

    /** The calling thread's in-flight slot, fetched once per evaluation. */
    public InFlight slot() {
        return current.get();
    }

    /** Marks the start of a call; throws fast when the plugin is quarantined. */
    void enter(InFlight slot, Health h) {
        h.calls.increment();
        long now = tick;
        if (h.quarantinedUntilTick > now) {
            throw h.quarantinedFailure;
        }
        long state = slot.state.getOpaque(); // only this thread moves it out of IDLE
        if ((state & PHASE) > RUNNING) {
            throw overrun(slot, h); // this window timed out already: its remaining calls are not made
        }
        slot.started.setOpaque(now);
        slot.health.setRelease(h);
        if ((state & PHASE) == IDLE) {
            slot.state.setRelease((state & ~PHASE) + NEXT_CALL | RUNNING);
        }
    }

    /**
     * Marks the end of a call that returned. The window stays open until {@link #settle}.
     *
     * @throws PluginFailure when the watchdog found the call (or one before it in this window) over budget
     */
    void exit(InFlight slot) {
        PluginFailure overrun = end(slot);
        if (overrun != null) {
            throw overrun;
        }
    }

    /**
     * Closes the slot's window of plugin calls, if one is open: after it no interrupt of the watchdog reaches the
     * thread. Costs one compare-and-set when a plugin was called, a plain read otherwise.
     */
    void settle(InFlight slot) {
        long state = slot.state.getPlain();
        if ((state & PHASE) == IDLE) {
            return;
        }
        long idle = state & ~PHASE;
        if (slot.state.compareAndSet(idle | RUNNING, idle)) {
            return; // closed first: the watchdog will not touch this window
        }
        // The watchdog won: wait until its interrupt was sent (a few instructions), then take it back.
        while (slot.state.get() != (idle | TIMED_OUT)) {
            Thread.onSpinWait();
        }
        Thread.interrupted();
        slot.overran.setOpaque(null);
        slot.state.set(idle);
    }

    /**
     * Marks the end of a call that threw, and turns what it threw into the plugin's failure.
     *
     * @param what the plugin as the failure names it, e.g. {@code operator 'in'}
     * @return the failure to throw
     * @throws VirtualMachineError what the plugin threw, if it is one the server must see (not a stack overflow)
     */
    PluginFailure failed(InFlight slot, Health h, String what, Throwable thrown) {
        PluginFailure overrun = threw(slot, thrown);
        if (overrun != null) {
            return overrun;
        }
        h.failures.increment();
        return new PluginFailure(what + " failed: " + thrown);
    }

    /**
     * Marks the end of a call that threw, without counting a failure (an operator refusing its operands is not).
     *
     * @return the overrun failure when the watchdog timed the call out first, else null
     * @throws VirtualMachineError what the plugin threw, if it is one the server must see (not a stack overflow)
     */
    PluginFailure threw(InFlight slot, Throwable thrown) {
        PluginFailure overrun = end(slot);
        if (thrown instanceof VirtualMachineError fatal && !(thrown instanceof StackOverflowError)) {
            throw fatal;
        }
        return overrun;
    }

    /**
     * A plugin call outside evaluation (an operator compiling its operands), under the same budget and quarantine.
     *
     * @throws PluginFailure when the plugin is quarantined or overran (then {@code h} is quarantined), or with the
     *                       message of what it threw
     */
    public <T> T call(Health h, java.util.function.Supplier<T> call) {
        InFlight slot = slot();
        try {
            enter(slot, h);
            T result;
            try {
                result = call.get();
            } catch (Throwable t) {
                PluginFailure overrun = threw(slot, t);
                throw overrun != null ? overrun : new PluginFailure(String.valueOf(t.getMessage()));
            }
            exit(slot);
            return result;
        } finally {
            settle(slot);
        }
    }

    /** Whether calls to the plugin fail fast now. */
    boolean quarantined(Health h) {
        return h.quarantinedUntilTick > tick;
    }

    /** About when a quarantine ends, in System.currentTimeMillis terms (for a rebuild that tries the plugin again). */
    long quarantineEndMillis(Health h) {
        return System.currentTimeMillis() + Math.max(0, h.quarantinedUntilTick - tick) * periodMillis;
    }

    /**
     * Ends the slot's call; the failure to report when the watchdog timed out this window, else null. A timeout
     * that comes after this look is handled by {@link #settle}: the call's result stands, the plugin is quarantined.
     */
    private PluginFailure end(InFlight slot) {
        Health h = slot.health.getPlain();
        slot.health.setOpaque(null);
        if ((slot.state.getOpaque() & PHASE) == RUNNING) {
            return null;
        }
        return overrun(slot, h);
    }

    /** The failure of a window the watchdog timed out, naming the plugin it found over budget. */
    private PluginFailure overrun(InFlight slot, Health current) {
        Health culprit = slot.overran.getOpaque();
        return new PluginFailure((culprit != null ? culprit : current).plugin + " ran over its time budget of "
                + budgetMillis + " ms");
    }

    private void tick() {
        try {
            watch();
        } finally {
            try {
                watchdog.schedule(this::tick, periodMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                // closed
            }
        }
    }

    /**
     * One wake of the watchdog: the next tick, and a look at the calls in flight. A call is stamped with the tick it
     * began in, up to one period after its real start, so it is over budget only once more ticks than the budget's
     * passed: at least the budget in time, at most a period and a delay of the watchdog more.
     */
    void watch() {
        long now = tick + 1;
        tick = now; // the watchdog is the only writer
        long limit = budgetTicks;
        for (InFlight f : threads) {
            long state = f.state.getAcquire();
            Health h = (state & PHASE) == RUNNING ? f.health.getAcquire() : null;
            if (h != null && now - f.started.getOpaque() > limit) {
                long call = state & ~PHASE;
                if (f.state.compareAndSet(state, call | INTERRUPTING)) {
                    h.timeouts.increment();
                    h.quarantines.increment();
                    h.quarantinedUntilTick = now + quarantineTicks;
                    f.overran.setOpaque(h);
                    try {
                        interrupter.accept(f.thread);
                    } finally {
                        f.state.set(call | TIMED_OUT);
                    }
                    Runnable task = f.onOverrun;
                    if (task != null) {
                        try {
                            task.run();
                        } catch (RuntimeException e) {
                            LOG.log(System.Logger.Level.ERROR, "the overrun task of " + f.thread.getName()
                                    + " failed", e);
                        }
                    }
                }
            }
            if (!f.thread.isAlive()) {
                threads.remove(f);
            }
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    @Override
    public void close() {
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
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
