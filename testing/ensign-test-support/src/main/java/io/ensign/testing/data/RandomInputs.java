package io.ensign.testing.data;

import java.util.Random;

/**
 * Random unit ids, keys and weights for tests that ask Ensign and a peer's own SDK the same question. The
 * text mixes ASCII, accented letters, CJK and a character outside the BMP, so that every UTF-8 length and
 * hash tails of every length occur; it never holds an unpaired surrogate, which no peer can encode.
 */
public final class RandomInputs {
    private static final String[] ALPHABET =
            {"a", "b", "X", "Z", "0", "9", "-", "_", ".", ":", "@", "/", " ", "é", "ü", "ß", "€", "日", "本", "\uD83D\uDE80"};

    private RandomInputs() {
    }

    /** Between 1 and {@code maxCharacters} characters drawn from the alphabet. */
    public static String text(Random random, int maxCharacters) {
        StringBuilder text = new StringBuilder();
        for (int n = 1 + random.nextInt(maxCharacters); n > 0; n--) {
            text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return text.toString();
    }

    /**
     * {@code minCount} to {@code maxCount} whole-number weights up to {@code max}: the first positive, about a
     * quarter of the others zero, so the sum is positive and zero-weight variants occur.
     */
    public static double[] wholeWeights(Random random, int minCount, int maxCount, int max) {
        double[] weights = new double[minCount + random.nextInt(maxCount - minCount + 1)];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = i == 0 ? 1 + random.nextInt(max) : random.nextInt(4) == 0 ? 0 : random.nextInt(max + 1);
        }
        return weights;
    }
}
