package io.ensign.assignment.unleash.internal;

import io.ensign.assignment.bucketing.MurmurHash3;

/**
 * Unleash's normalised hash: MurmurHash3_x86_32 of the UTF-8 bytes of {@code groupId + ":" + unit}, read
 * unsigned, modulo {@code normalizer}, plus one, so {@code 1 <= n <= normalizer}.
 */
final class UnleashNormalizedHash {
    private UnleashNormalizedHash() {
    }

    static int of(String groupId, String unit, int normalizer, int seed) {
        long hash = Integer.toUnsignedLong(MurmurHash3.hash32x86Utf8(groupId, ':', unit, seed));
        return (int) (hash % normalizer) + 1;
    }
}
