package io.ensign.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * The guard's races, each interleaving reached with latches: the test drives the watchdog ({@code watch()}) and
 * holds its interrupt where it needs to.
 */
class PluginGuardTest {
    private static final long BUDGET = 100;
    private static final long QUARANTINE = 1_000;
    /** The budget in watchdog wakes: a tenth of the budget apart. */
    private static final int BUDGET_TICKS = 10;

    private final List<Thread> interrupted = new CopyOnWriteArrayList<>();
    private final PluginGuard guard = new PluginGuard(BUDGET, QUARANTINE, t -> {
        interrupted.add(t);
        t.interrupt();
    }, false);
    private final PluginGuard.Health health = guard.health("operator", "test", new Object());

    @Test
    void aCallThatEndedBeforeTheWatchdogLooksIsNeverInterrupted() {
        PluginGuard.InFlight slot = guard.slot();
        callThatReturns(slot, health);
        ticks(guard, BUDGET_TICKS + 1);
        assertEquals(List.of(), interrupted);
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(0, health.timeouts());
        assertFalse(guard.quarantined(health));
    }

    @Test
    void aCallTheWatchdogTimesOutFailsAndItsInterruptIsTakenBack() {
        PluginGuard.InFlight slot = guard.slot();
        guard.enter(slot, health);
        ticks(guard, BUDGET_TICKS + 1);
        assertEquals(List.of(Thread.currentThread()), interrupted);
        PluginFailure overrun = assertThrows(PluginFailure.class, () -> guard.exit(slot));
        assertTrue(overrun.getMessage().contains("time budget of 100 ms"), overrun.getMessage());
        guard.settle(slot);
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt does not outlive the window");
        assertEquals(1, health.timeouts());
        assertTrue(guard.quarantined(health));
        assertThrows(PluginFailure.class, () -> guard.enter(slot, health), "quarantined: fails fast");
        ticks(guard, 100);
        assertFalse(guard.quarantined(health), "the quarantine ends");
    }

    @Test
    void aCallWithinItsBudgetAndOnePeriodIsLeftAlone() {
        PluginGuard.InFlight slot = guard.slot();
        guard.enter(slot, health);
        ticks(guard, BUDGET_TICKS);
        assertEquals(List.of(), interrupted, "the start is stamped up to a period late, so a period is allowed");
        ticks(guard, 1);
        assertEquals(List.of(Thread.currentThread()), interrupted);
        assertThrows(PluginFailure.class, () -> guard.exit(slot));
        guard.settle(slot);
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aWindowTimedOutMakesNoFurtherCallsAndNamesThePluginThatOverran() {
        PluginGuard.InFlight slot = guard.slot();
        PluginGuard.Health other = guard.health("operator", "other", new Object());
        guard.enter(slot, health);
        ticks(guard, BUDGET_TICKS + 1);
        assertThrows(PluginFailure.class, () -> guard.exit(slot));
        PluginFailure next = assertThrows(PluginFailure.class, () -> guard.enter(slot, other));
        assertTrue(next.getMessage().startsWith("operator/test ran over"), next.getMessage());
        guard.settle(slot);
        assertFalse(Thread.currentThread().isInterrupted());
        callThatReturns(slot, other);
        assertEquals(0, other.timeouts());
    }

    @Test
    void aCallEndingWhileTheWatchdogInterruptsWaitsForTheInterruptAndClearsIt() throws Exception {
        CountDownLatch interrupting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PluginGuard held = new PluginGuard(BUDGET, QUARANTINE, t -> {
            interrupting.countDown();
            await(release);
            t.interrupt();
        }, false);
        PluginGuard.Health h = held.health("operator", "held", new Object());
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch returned = new CountDownLatch(1);
        CountDownLatch exited = new CountDownLatch(1);
        AtomicBoolean interruptedAfterSettle = new AtomicBoolean(true);
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            PluginGuard.InFlight slot = held.slot();
            held.enter(slot, h);
            entered.countDown();
            await(returned); // the plugin's work, done when the test says so
            try {
                held.exit(slot);
                failure.complete(null);
            } catch (PluginFailure e) {
                failure.complete(e);
            }
            held.settle(slot);
            interruptedAfterSettle.set(Thread.currentThread().isInterrupted());
            exited.countDown();
        });
        caller.start();
        await(entered);
        Thread watchdog = new Thread(() -> ticks(held, BUDGET_TICKS + 1));
        watchdog.start();
        await(interrupting); // the watchdog won the call and is about to interrupt
        returned.countDown(); // the plugin returns now, racing the interrupt
        assertFalse(exited.await(200, TimeUnit.MILLISECONDS), "the window's end waits for the interrupt in flight");
        release.countDown();
        await(exited);
        assertTrue(failure.get() instanceof PluginFailure, "the call reports its overrun");
        assertFalse(interruptedAfterSettle.get(), "the late interrupt was taken back before the caller went on");
        watchdog.join();
        caller.join();
    }

    @Test
    void aNewCallOnTheSameThreadIsNotTimedOutForTheOneBefore() {
        PluginGuard.InFlight slot = guard.slot();
        callThatReturns(slot, health);
        ticks(guard, BUDGET_TICKS + 1);
        guard.enter(slot, health);
        ticks(guard, BUDGET_TICKS);
        guard.exit(slot);
        guard.settle(slot);
        assertEquals(List.of(), interrupted);
    }

    @Test
    void anyThrowableIsThePluginsFailureAndReleasesTheSlot() {
        PluginGuard.InFlight slot = guard.slot();
        for (Throwable thrown : List.of(new IllegalStateException("state"), new NoClassDefFoundError("Gone"),
                new StackOverflowError(), new AssertionError("assert"))) {
            guard.enter(slot, health);
            PluginFailure f = guard.failed(slot, health, "operator 'test'", thrown);
            assertTrue(f.getMessage().startsWith("operator 'test' failed: " + thrown), f.getMessage());
        }
        assertEquals(4, health.failures());
        guard.settle(slot);
        ticks(guard, BUDGET_TICKS + 1);
        assertEquals(List.of(), interrupted, "no slot was left armed");
    }

    @Test
    void anOutOfMemoryErrorIsRethrownAndStillReleasesTheSlot() {
        PluginGuard.InFlight slot = guard.slot();
        guard.enter(slot, health);
        OutOfMemoryError oom = new OutOfMemoryError("heap");
        assertSame(oom, assertThrows(OutOfMemoryError.class, () -> guard.failed(slot, health, "operator", oom)));
        guard.settle(slot); // as the evaluation's finally does
        ticks(guard, BUDGET_TICKS + 1);
        assertEquals(List.of(), interrupted);
        assertEquals(0, health.failures(), "the server's error, not the plugin's");
    }

    @Test
    void callsOutsideEvaluationAreBoundedAndRunTheSlotsOverrunTask() throws Exception {
        AtomicInteger overruns = new AtomicInteger();
        CountDownLatch inCall = new CountDownLatch(1);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            guard.slot().onOverrun(overruns::incrementAndGet);
            try {
                guard.call(health, () -> {
                    inCall.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "late";
                });
                outcome.complete(null);
            } catch (PluginFailure e) {
                outcome.complete(e);
            }
        });
        caller.start();
        await(inCall);
        ticks(guard, BUDGET_TICKS + 1);
        assertTrue(outcome.get(5, TimeUnit.SECONDS).getMessage().contains("time budget"));
        assertEquals(1, overruns.get());
        PluginFailure refused = assertThrows(PluginFailure.class, () -> guard.call(
                guard.health("operator", "other", new Object()), () -> {
                    throw new IllegalArgumentException("bad operand");
                }));
        assertEquals("bad operand", refused.getMessage());
        caller.join();
    }

    /** One evaluation window with one call that returns at once. */
    private void callThatReturns(PluginGuard.InFlight slot, PluginGuard.Health plugin) {
        guard.enter(slot, plugin);
        guard.exit(slot);
        guard.settle(slot);
    }

    private static void ticks(PluginGuard guard, int n) {
        for (int i = 0; i < n; i++) {
            guard.watch();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "timed out waiting");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
