package io.ensign.assignment.bucketing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import com.google.common.hash.Hashing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MurmurHash3Test {
    /**
     * Published MurmurHash3_x86_32 vectors, from "MurmurHash3 test vectors",
     * https://stackoverflow.com/questions/14747343/murmurhash3-test-vectors (answer 31929528), the set
     * Boost.Hash2 and others test against. Inputs are hex bytes; seeds and hashes unsigned hex.
     */
    @ParameterizedTest
    @CsvSource({
            "'', 00000000, 00000000",
            "'', 00000001, 514e28b7",
            "'', ffffffff, 81f16f39",
            "ffffffff, 00000000, 76293b50",
            "21436587, 00000000, f55b516b",
            "21436587, 5082edee, 2362f9de",
            "214365, 00000000, 7e4a8634",
            "2143, 00000000, a0f7b07a",
            "21, 00000000, 72661cf4",
            "00000000, 00000000, 2362f9de",
            "000000, 00000000, 85f0b427",
            "0000, 00000000, 30f4c306",
            "00, 00000000, 514e28b7"})
    void matchesPublishedByteVectors(String inputHex, String seedHex, String expectedHex) {
        byte[] input = HexFormat.of().parseHex(inputHex);
        assertEquals(Integer.parseUnsignedInt(expectedHex, 16),
                MurmurHash3.hash32x86(input, Integer.parseUnsignedInt(seedHex, 16)));
    }

    /** The same source's text vectors (UTF-8), all with seed 0x9747b28c. */
    @ParameterizedTest
    @CsvSource({
            "aaaa, 5a97808a", "aaa, 283e0130", "aa, 5d211726", "a, 7fa09ea6",
            "abcd, f0478627", "abc, c84a62dd", "ab, 74875592",
            "'Hello, world!', 24884cba",
            "ππππππππ, d58063c1",
            "The quick brown fox jumps over the lazy dog, 2fa826cd"})
    void matchesPublishedTextVectors(String input, String expectedHex) {
        assertEquals(Integer.parseUnsignedInt(expectedHex, 16),
                MurmurHash3.hash32x86(input.getBytes(StandardCharsets.UTF_8), 0x9747b28c));
    }

    @Test
    void agreesWithGuavaOnEveryTailLengthAndManySeeds() {
        Random random = new Random(20261126);
        for (int length = 0; length <= 64; length++) {
            for (int round = 0; round < 50; round++) {
                byte[] data = new byte[length];
                random.nextBytes(data);
                int seed = random.nextInt();
                assertEquals(Hashing.murmur3_32_fixed(seed).hashBytes(data).asInt(),
                        MurmurHash3.hash32x86(data, seed), () -> "length " + data.length + " seed " + seed);
            }
        }
    }

    @Test
    void theStreamingUtf8HashEqualsTheHashOfTheJoinedStringsBytes() {
        Random random = new Random(42);
        String alphabet = "aZ09/-_.é€ßπ\uD83D\uDE00\uD800\uDFFF";
        for (int round = 0; round < 5_000; round++) {
            String first = randomText(random, alphabet);
            String second = randomText(random, alphabet);
            int seed = random.nextInt();
            byte[] joined = (first + "/" + second).getBytes(StandardCharsets.UTF_8);
            assertEquals(Hashing.murmur3_32_fixed(seed).hashBytes(joined).asInt(),
                    MurmurHash3.hash32x86Utf8(first, '/', second, seed), () -> first + " / " + second);
            byte[] concatenated = (first + second).getBytes(StandardCharsets.UTF_8);
            assertEquals(Hashing.murmur3_32_fixed(seed).hashBytes(concatenated).asInt(),
                    MurmurHash3.hash32x86Utf8(first, second, seed), () -> first + second);
        }
    }

    /** Text of up to 12 chars drawn from the alphabet, so unpaired surrogates and pairs both occur. */
    private static String randomText(Random random, String alphabet) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(13); i > 0; i--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
