package io.ensign.assignment.internal;

/**
 * MurmurHash3, x86 32-bit variant (Austin Appleby's {@code MurmurHash3_x86_32} from SMHasher), written
 * out here so the bucket definition depends on no library: clients in any language reproduce it.
 * Blocks are read little-endian, as the reference does on x86.
 */
final class MurmurHash3 {
    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private MurmurHash3() {
    }

    /** The 32-bit hash of {@code data} with {@code seed}; read it as unsigned where that matters. */
    static int hash32x86(byte[] data, int seed) {
        int h1 = seed;
        int blocksEnd = data.length & ~3;
        for (int i = 0; i < blocksEnd; i += 4) {
            int k1 = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | data[i + 3] << 24;
            h1 ^= scramble(k1);
            h1 = Integer.rotateLeft(h1, 13);
            h1 = h1 * 5 + 0xe6546b64;
        }
        int tail = data.length & 3;
        if (tail > 0) {
            int k1 = 0;
            for (int i = tail - 1; i >= 0; i--) {
                k1 = k1 << 8 | (data[blocksEnd + i] & 0xff);
            }
            h1 ^= scramble(k1);
        }
        return finalMix(h1 ^ data.length);
    }

    private static int scramble(int k1) {
        return Integer.rotateLeft(k1 * C1, 15) * C2;
    }

    private static int finalMix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ h >>> 16;
    }
}
