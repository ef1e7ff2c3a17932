package io.ensign.validation.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Holds a check to linear time: a hostile value of 1 MiB is checked well under a second, and a four times
 * longer input costs at most six times as much (a quadratic check costs sixteen times as much). Time is the
 * CPU time of the checking thread: the build shares two cores with other builds, and waiting for a core is
 * not what a check costs.
 */
final class LinearTime {
    static final int MIB = 1 << 20;
    /** An editor's pasted megabyte must not hold up the write path for long, even on a slow, shared machine. */
    static final long BOUND_MILLIS = 1000;
    static final double GROWTH_LIMIT = 6.0;
    static final double NOISE_MILLIS = 50.0;
    /** Units whose growth is measured: a letter run, a class mix, a run the UUID cut applies to, a mix of prefixes. */
    static final List<String> GROWTH_UNITS = List.of("a", "aB3", "-", "AKIAghp_eyJ.xox-pass=://");
    /** What hostile values repeat: single characters of each class, whole alphabets, and mixes of them. */
    static final List<String> UNITS = List.of("a", "0", "A", "=", "/", " ", "-", "+", ":", "@", ".", "\"", "ab",
            "aB3", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", "0123456789abcdef",
            "a:b@c.d/", "%41", "{x}", "AKIAghp_eyJ.xox-pass=://");

    private LinearTime() {
    }

    /** {@code unit} repeated to exactly {@code length} characters. */
    static String repeated(String unit, int length) {
        return unit.repeat(length / unit.length() + 1).substring(0, length);
    }

    /** Runs the check on a 1 MiB input once to warm up, then asserts one more run stays within the bound. */
    static void assertFast(String what, Runnable mebibyteCheck) {
        mebibyteCheck.run();
        double millis = bestOf(1, mebibyteCheck);
        assertTrue(millis < BOUND_MILLIS, String.format("%s took %.0f ms for 1 MiB; the bound is %d ms", what, millis,
                BOUND_MILLIS));
    }

    /**
     * Asserts that checking a four times longer input costs at most {@value #GROWTH_LIMIT} times as much; each
     * size is timed best of five after a warm-up, so JIT compilation and a busy machine do not count.
     */
    static void assertLinear(String what, IntFunction<Runnable> checkOfLength) {
        int small = 128 * 1024;
        Runnable smallCheck = checkOfLength.apply(small);
        Runnable largeCheck = checkOfLength.apply(4 * small);
        largeCheck.run();
        // Alternating the two sizes lets a burst of load on the machine hit both alike.
        double smallMillis = Double.MAX_VALUE;
        double largeMillis = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            smallMillis = Math.min(smallMillis, bestOf(1, smallCheck));
            largeMillis = Math.min(largeMillis, bestOf(1, largeCheck));
        }
        // Below some tens of milliseconds allocation, caches and the scheduler dominate; such a check is fast whatever
        // its growth (a quadratic one shows at 1 MiB, which assertFast bounds).
        assertTrue(largeMillis < NOISE_MILLIS || largeMillis <= GROWTH_LIMIT * smallMillis, String.format(
                "%s: %d characters took %.1f ms, %d took %.1f ms; linear time allows %.0fx", what, small, smallMillis,
                4 * small, largeMillis, GROWTH_LIMIT));
    }

    /** The shortest of {@code runs} runs, in milliseconds of this thread's CPU time. */
    private static double bestOf(int runs, Runnable check) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long start = threads.getCurrentThreadCpuTime();
            check.run();
            best = Math.min(best, threads.getCurrentThreadCpuTime() - start);
        }
        return best / 1e6;
    }
}
