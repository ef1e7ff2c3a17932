package io.ensign.assignment.bucketing;

/**
 * MurmurHash3, x86 32-bit variant (Austin Appleby's {@code MurmurHash3_x86_32} from SMHasher), written
 * out here so the bucket definition depends on no library: clients in any language reproduce it.
 * Blocks are read little-endian, as the reference does on x86. Exported so that the strategies that
 * reproduce other flag servers' buckets (Unleash, flagd) hash with the same code as {@code hash}.
 */
public final class MurmurHash3 {
    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private MurmurHash3() {
    }

    /** The 32-bit hash of {@code data} with {@code seed}; read it as unsigned where that matters. */
    public static int hash32x86(byte[] data, int seed) {
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

    /**
     * The same hash of the UTF-8 bytes of {@code first + separator + second}, encoded on the fly: the bucket
     * of every evaluation is computed without building the joined string or its byte array. Unpaired
     * surrogates become {@code '?'}, as {@link String#getBytes} encodes them.
     */
    public static int hash32x86Utf8(String first, char separator, String second, int seed) {
        Utf8Blocks blocks = new Utf8Blocks(seed);
        blocks.addUtf8(first);
        blocks.addChar(separator);
        blocks.addUtf8(second);
        return blocks.finish();
    }

    /** The same hash of the UTF-8 bytes of {@code first + second}, with no separator, encoded on the fly. */
    public static int hash32x86Utf8(String first, String second, int seed) {
        Utf8Blocks blocks = new Utf8Blocks(seed);
        blocks.addUtf8(first);
        blocks.addUtf8(second);
        return blocks.finish();
    }

    /** Feeds bytes into MurmurHash3 blocks of four, little-endian, as {@link #hash32x86} reads them. */
    private static final class Utf8Blocks {
        private int h1;
        private int block;
        private int filled;
        private int length;
        private char pendingHigh;

        Utf8Blocks(int seed) {
            h1 = seed;
        }

        /**
         * Appends text; a high surrogate at its end waits for the next text, which may start with its low
         * half, so that {@code first + second} is encoded as the joined string would be.
         */
        void addUtf8(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (pendingHigh != 0 && Character.isLowSurrogate(c)) {
                    addCodePoint(Character.toCodePoint(pendingHigh, c));
                    pendingHigh = 0;
                } else if (Character.isHighSurrogate(c)) {
                    flushPending();
                    pendingHigh = c;
                } else {
                    addChar(c);
                }
            }
        }

        /** One char that is not part of a surrogate pair. */
        void addChar(char c) {
            flushPending();
            if (c < 0x80) {
                addByte(c);
            } else if (c < 0x800) {
                addByte(0xc0 | c >>> 6);
                addByte(0x80 | c & 0x3f);
            } else if (Character.isSurrogate(c)) {
                addByte('?');
            } else {
                addByte(0xe0 | c >>> 12);
                addByte(0x80 | c >>> 6 & 0x3f);
                addByte(0x80 | c & 0x3f);
            }
        }

        private void addCodePoint(int codePoint) {
            addByte(0xf0 | codePoint >>> 18);
            addByte(0x80 | codePoint >>> 12 & 0x3f);
            addByte(0x80 | codePoint >>> 6 & 0x3f);
            addByte(0x80 | codePoint & 0x3f);
        }

        /** A high surrogate that no low one followed is unpaired: {@code '?'}. */
        private void flushPending() {
            if (pendingHigh != 0) {
                pendingHigh = 0;
                addByte('?');
            }
        }

        private void addByte(int b) {
            block |= (b & 0xff) << (filled << 3);
            length++;
            if (++filled == 4) {
                h1 ^= scramble(block);
                h1 = Integer.rotateLeft(h1, 13);
                h1 = h1 * 5 + 0xe6546b64;
                block = 0;
                filled = 0;
            }
        }

        int finish() {
            flushPending();
            if (filled > 0) {
                h1 ^= scramble(block);
            }
            return finalMix(h1 ^ length);
        }
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
