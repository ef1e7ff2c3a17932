package io.ensign.stats.internal;

import io.ensign.api.stats.InvalidInputException;

/** One arm's units and successes. */
record ProportionSummary(long n, long successes) {

    /** Reads {@code {"n","successes"}}; n must be at least 2 and successes between 0 and n. */
    static ProportionSummary read(InputReader arm) {
        long n = arm.count("n", 2);
        long successes = arm.count("successes", 0);
        if (successes > n) {
            throw new InvalidInputException(arm.pointer("successes"), "successes must not exceed n");
        }
        return new ProportionSummary(n, successes);
    }

    double rate() {
        return (double) successes / n;
    }

    /** Unpooled variance of the observed rate, p(1-p)/n. */
    double varianceOfRate() {
        return rate() * (1 - rate()) / n;
    }
}
