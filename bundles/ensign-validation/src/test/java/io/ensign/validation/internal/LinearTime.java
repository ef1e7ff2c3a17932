package io.ensign.validation.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Holds a check to linear time: a hostile value of 1 MiB is checked well under a second, and the cost grows with the
 * input's length at a power of at most {@value #GROWTH_EXPONENT_LIMIT} (linear is 1, quadratic 2). Time is the CPU
 * time of the checking thread: the build shares two cores with other builds, and waiting for a core is not what a
 * check costs.
 */
final class LinearTime {
    static final int MIB = 1 << 20;
    /** An editor's pasted megabyte must not hold up the write path for long, even on a slow, shared machine. */
    static final long BOUND_MILLIS = 1000;
    /**
     * A linear check measures 1.0 to 1.3 on a shared machine (a longer input also touches fresh memory pages, whose
     * faults count as the thread's time); a quadratic one 2.
     */
    static final double GROWTH_EXPONENT_LIMIT = 1.5;
    /** The lengths timed, doubling: 32 KiB to 512 KiB, sixteen times the shortest. */
    static final int[] GROWTH_LENGTHS = {32 * 1024, 64 * 1024, 128 * 1024, 256 * 1024, 512 * 1024};
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
     * Asserts that the cost grows with the input's length at a power of at most {@value #GROWTH_EXPONENT_LIMIT}: the
     * slope of log time over log length, fitted by least squares over {@link #GROWTH_LENGTHS}, so no single noisy
     * timing decides. Each length is timed best of five after a warm-up, so JIT compilation and a busy machine do not
     * count.
     */
    static void assertLinear(String what, IntFunction<Runnable> checkOfLength) {
        Runnable[] checks = new Runnable[GROWTH_LENGTHS.length];
        double[] millis = new double[GROWTH_LENGTHS.length];
        for (int i = 0; i < checks.length; i++) {
            checks[i] = checkOfLength.apply(GROWTH_LENGTHS[i]);
            millis[i] = Double.MAX_VALUE;
        }
        checks[checks.length - 1].run();
        // Taking the lengths in turn lets a burst of load on the machine hit all of them alike.
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < checks.length; i++) {
                millis[i] = Math.min(millis[i], bestOf(1, checks[i]));
            }
        }
        double exponent = growthExponent(millis);
        // Below some tens of milliseconds allocation, caches and the scheduler dominate; such a check is fast whatever
        // its growth (a quadratic one shows at 1 MiB, which assertFast bounds).
        assertTrue(millis[millis.length - 1] < NOISE_MILLIS || exponent <= GROWTH_EXPONENT_LIMIT, String.format(
                "%s: lengths %s took %s ms, growing at the power %.2f; linear time allows %.1f", what,
                Arrays.toString(GROWTH_LENGTHS), Arrays.toString(Arrays.stream(millis)
                        .map(m -> Math.round(m * 10) / 10.0).toArray()), exponent, GROWTH_EXPONENT_LIMIT));
    }

    /** The least-squares slope of log(millis) over log(length); a zero time counts as a microsecond. */
    static double growthExponent(double[] millis) {
        int n = millis.length;
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            meanX += Math.log(GROWTH_LENGTHS[i]) / n;
            meanY += Math.log(Math.max(millis[i], 1e-3)) / n;
        }
        double covariance = 0;
        double variance = 0;
        for (int i = 0; i < n; i++) {
            double dx = Math.log(GROWTH_LENGTHS[i]) - meanX;
            covariance += dx * (Math.log(Math.max(millis[i], 1e-3)) - meanY);
            variance += dx * dx;
        }
        return covariance / variance;
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
