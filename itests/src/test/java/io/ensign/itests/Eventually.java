package io.ensign.itests;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting, by polling, for what a server or client does in its own time. */
final class Eventually {
    private Eventually() {
    }

    /** Returns once {@code condition} holds; fails naming {@code what} when it does not within {@code wait}. */
    static void await(Duration wait, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + ": not within " + wait);
            }
            Thread.sleep(20);
        }
    }
}
