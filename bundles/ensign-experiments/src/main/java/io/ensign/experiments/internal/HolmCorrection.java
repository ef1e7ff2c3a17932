package io.ensign.experiments.internal;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Holm's step-down adjustment of p-values (Holm 1979, "A simple sequentially rejective multiple test
 * procedure"): with the m p-values sorted ascending, the i-th (from 1) becomes the running maximum of
 * min(1, (m - i + 1) p_i). Rejecting where the adjusted value is below alpha controls the family-wise error
 * rate at alpha under any dependence between the tests.
 */
final class HolmCorrection {
    private HolmCorrection() {
    }

    /** The adjusted p-values, in the order given. */
    static double[] adjust(double[] pValues) {
        int m = pValues.length;
        Integer[] order = new Integer[m];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> pValues[i]));
        double[] adjusted = new double[m];
        double runningMax = 0;
        for (int rank = 0; rank < m; rank++) {
            int i = order[rank];
            runningMax = Math.max(runningMax, Math.min(1, (m - rank) * pValues[i]));
            adjusted[i] = runningMax;
        }
        return adjusted;
    }
}
