package io.ensign.validation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;

/** The growth exponent the time tests judge by: the power at which time grows with the input's length. */
class LinearTimeTest {
    private static double[] timesOf(DoubleUnaryOperator cost) {
        return Arrays.stream(LinearTime.GROWTH_LENGTHS).mapToDouble(length -> cost.applyAsDouble(length)).toArray();
    }

    @Test
    void timeProportionalToTheLengthGrowsAtThePowerOne() {
        assertEquals(1.0, LinearTime.growthExponent(timesOf(n -> 3e-4 * n)), 1e-9);
    }

    @Test
    void timeProportionalToTheSquareGrowsAtThePowerTwo() {
        assertEquals(2.0, LinearTime.growthExponent(timesOf(n -> 1e-9 * n * n)), 1e-9);
    }

    @Test
    void oneSlowTimingAmongLinearOnesStaysBelowTheLimit() {
        double[] millis = timesOf(n -> 1e-4 * n);
        millis[millis.length - 1] *= 1.6;
        double exponent = LinearTime.growthExponent(millis);
        assertEquals(true, exponent > 1.0 && exponent <= LinearTime.GROWTH_EXPONENT_LIMIT, "exponent " + exponent);
    }
}
