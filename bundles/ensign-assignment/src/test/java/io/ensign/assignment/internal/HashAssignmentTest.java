package io.ensign.assignment.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.IntStream;

import com.google.common.hash.Hashing;

import io.ensign.assignment.bucketing.MurmurHash3;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HashAssignmentTest {
    private static final double[] TWENTY_EIGHTY = {20, 80};
    private static final int UNITS = 100_000;

    private final HashAssignment assignment = new HashAssignment();

    /**
     * The vectors of docs/assignment.md. Hashes were generated with Guava's
     * {@code Hashing.murmur3_32_fixed().hashString(salt + "/" + unit, UTF_8)}, not with the code under test;
     * the variant is for weights on 20 / off 80 (on owns buckets 0..1999).
     */
    @ParameterizedTest
    @CsvSource({
            "checkout-v2, user-42, 1f2684de, 8078, 1",
            "checkout-v2, user-9, ec29c496, 278, 0",
            "checkout-v2, user-1, a9a7469c, 2092, 1",
            "new-search, alice@example.com, b2c280e7, 1431, 0",
            "checkout-v2, 用户-🚀, a53f6545, 5333, 1",
            "checkout-v2, Zoë, 926b435d, 3133, 1"})
    void documentedVectorsGiveTheirBucketAndVariant(String salt, String unit, String hashHex, int bucket,
            int variant) {
        byte[] key = (salt + "/" + unit).getBytes(StandardCharsets.UTF_8);
        assertEquals(Integer.parseUnsignedInt(hashHex, 16), MurmurHash3.hash32x86(key, 0));
        assertEquals(bucket, HashAssignment.bucket(salt, unit));
        assertEquals(variant, assignment.assign(salt, unit, TWENTY_EIGHTY));
    }

    @Test
    void bucketIsTheUnsignedGuavaMurmurOfSaltSlashUnitModuloTenThousand() {
        String[] units = {"u1", "ÄÖÜß", "日本語のユーザー", "emoji-😀-𝄞", "", " ", "a/b", "0123456789".repeat(20)};
        for (String salt : new String[] {"checkout-v2", "exp-ß", ""}) {
            for (String unit : units) {
                int hash = Hashing.murmur3_32_fixed().hashString(salt + "/" + unit, StandardCharsets.UTF_8).asInt();
                assertEquals(Integer.toUnsignedLong(hash) % 10_000, HashAssignment.bucket(salt, unit),
                        salt + "/" + unit);
            }
        }
    }

    @Test
    void twentyEightySplitOfAHundredThousandUnitsIsWithinOnePointOfTwentyPercent() {
        long on = IntStream.range(0, UNITS)
                .filter(i -> assignment.assign("checkout-v2", "user-" + i, TWENTY_EIGHTY) == 0)
                .count();
        assertEquals(0.20, on / (double) UNITS, 0.01);
    }

    @Test
    void threeWaySplitGivesEachVariantItsShare() {
        double[] weights = {50, 30, 20};
        int[] counts = new int[3];
        for (int i = 0; i < UNITS; i++) {
            counts[assignment.assign("three-way", "unit-" + i, weights)]++;
        }
        assertEquals(0.50, counts[0] / (double) UNITS, 0.01);
        assertEquals(0.30, counts[1] / (double) UNITS, 0.01);
        assertEquals(0.20, counts[2] / (double) UNITS, 0.01);
    }

    /**
     * Range ends worked out by hand from floor(c_i * 10000 / total): 20/80 ends at 2000; 1/1/1 at
     * floor(3333.33) = 3333 and floor(6666.67) = 6666; 0.1/0.2/0.7 at 1000 and 3000; 12.5/37.5/50 at 1250
     * and 5000. The last variant always runs to 9999.
     */
    @ParameterizedTest
    @CsvSource({
            "20 80, 1999, 0", "20 80, 2000, 1", "20 80, 9999, 1",
            "1 1 1, 3332, 0", "1 1 1, 3333, 1", "1 1 1, 6665, 1", "1 1 1, 6666, 2", "1 1 1, 9999, 2",
            "0.1 0.2 0.7, 999, 0", "0.1 0.2 0.7, 1000, 1", "0.1 0.2 0.7, 2999, 1", "0.1 0.2 0.7, 3000, 2",
            "12.5 37.5 50, 1249, 0", "12.5 37.5 50, 1250, 1", "12.5 37.5 50, 4999, 1", "12.5 37.5 50, 5000, 2"})
    void bucketGoesToTheVariantWhoseRangeHoldsIt(String weights, int bucket, int variant) {
        double[] parsed = Arrays.stream(weights.split(" ")).mapToDouble(Double::parseDouble).toArray();
        assertEquals(variant, HashAssignment.variantOf(bucket, parsed));
    }

    @Test
    void decimalWeightsCutAtTheSameBucketsAsTheirIntegerMultiples() {
        double[] decimals = {0.1, 0.2, 0.7};
        double[] integers = {1, 2, 7};
        for (int bucket = 0; bucket < HashAssignment.BUCKETS; bucket++) {
            assertEquals(HashAssignment.variantOf(bucket, integers), HashAssignment.variantOf(bucket, decimals),
                    "bucket " + bucket);
        }
    }

    @Test
    void zeroWeightVariantsReceiveNoBucket() {
        double[] middleZero = {1, 0, 1};
        double[] edgesZero = {0, 1, 0};
        // (t * 10000) / t rounds to 9999.999999999998 for this t; a trailing zero still gets nothing.
        double roundingTotal = 944.391653094894;
        assertTrue(roundingTotal * HashAssignment.BUCKETS / roundingTotal < HashAssignment.BUCKETS);
        double[] fractionalThenZero = {roundingTotal, 0};
        for (int bucket = 0; bucket < HashAssignment.BUCKETS; bucket++) {
            assertNotEquals(1, HashAssignment.variantOf(bucket, middleZero));
            assertEquals(1, HashAssignment.variantOf(bucket, edgesZero));
            assertEquals(0, HashAssignment.variantOf(bucket, fractionalThenZero));
        }
    }

    @Test
    void assignmentIsDeterministicAcrossInstancesAndCalls() {
        HashAssignment other = new HashAssignment();
        for (int i = 0; i < 1_000; i++) {
            String unit = "unit-" + i;
            int first = assignment.assign("salt", unit, new double[] {1, 2, 3});
            assertEquals(first, assignment.assign("salt", unit, new double[] {1, 2, 3}));
            assertEquals(first, other.assign("salt", unit, new double[] {1, 2, 3}));
        }
    }

    @Test
    void differentSaltsAssignUnitsIndependently() {
        double[] halves = {1, 1};
        long changed = IntStream.range(0, 10_000)
                .filter(i -> assignment.assign("experiment-a", "u" + i, halves)
                        != assignment.assign("experiment-b", "u" + i, halves))
                .count();
        // Independent 50/50 assignments disagree for about half of the units.
        assertEquals(0.5, changed / 10_000.0, 0.03);
    }

    @Test
    void invalidWeightsAreRejected() {
        for (double[] weights : new double[][] {{}, {0, 0}, {-1, 2}, {Double.NaN, 1}, {Double.POSITIVE_INFINITY, 1},
                {Double.MAX_VALUE, Double.MAX_VALUE}}) {
            assertThrows(IllegalArgumentException.class, () -> assignment.assign("s", "u", weights));
        }
        assertThrows(IllegalArgumentException.class, () -> assignment.assign("s", "u", null));
    }

    @Test
    void singleVariantTakesEveryUnit() {
        assertEquals(0, assignment.assign("s", "anyone", new double[] {3}));
    }
}
