package io.ensign.experiments.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class HolmCorrectionTest {
    @Test
    void multipliesTheKthSmallestByMMinusKPlusOneAndKeepsTheOrderMonotone() {
        // sorted: 0.01 * 3 = 0.03; 0.03 * 2 = 0.06; 0.04 * 1 = 0.04, raised to the running maximum 0.06
        assertArrayEquals(new double[] {0.03, 0.06, 0.06}, HolmCorrection.adjust(new double[] {0.01, 0.04, 0.03}),
                1e-15);
    }

    @Test
    void adjustedValuesAreCappedAtOne() {
        // 0.6 * 2 = 1.2 -> 1; 0.7 * 1 = 0.7, raised to the running maximum 1
        assertArrayEquals(new double[] {1, 1}, HolmCorrection.adjust(new double[] {0.7, 0.6}), 1e-15);
        assertArrayEquals(new double[] {0.8, 0.8}, HolmCorrection.adjust(new double[] {0.7, 0.4}), 1e-15);
    }

    @Test
    void aSinglePValueIsUnchanged() {
        assertArrayEquals(new double[] {0.2}, HolmCorrection.adjust(new double[] {0.2}), 0);
    }
}
