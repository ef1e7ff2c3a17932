package io.ensign.assignment.launchdarkly.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import io.ensign.api.assignment.AssignmentPlugin;
import io.ensign.api.assignment.AssignmentStrategy;
import io.ensign.assignment.bucketing.Weights;

import org.osgi.service.component.annotations.Component;

/**
 * The {@code launchdarkly} strategy: LaunchDarkly's percentage rollout. The salt is LaunchDarkly's prefix,
 * {@code flagKey + "." + flagSalt} (or the rollout's {@code seed} as decimal text). The bucket is the float
 * {@code (float) h / (float) 0xFFFFFFFFFFFFFFF} with {@code h} the first 15 hex digits of the SHA-1 of the
 * UTF-8 bytes of {@code salt + "." + unit}; each variant adds the float {@code (float) w / 100000F} to a float
 * sum, LaunchDarkly's weights being thousandths of a percent, and the unit gets the first variant whose sum
 * exceeds its bucket, else the last. Weights that do not sum to 100000 are scaled to it first.
 */
@Component(service = AssignmentStrategy.class)
@AssignmentPlugin(name = "launchdarkly")
public final class LaunchDarklyAssignment implements AssignmentStrategy {
    static final int WEIGHT_SCALE = 100_000;
    private static final float LONG_SCALE = (float) 0xFFFFFFFFFFFFFFFL;

    @Override
    public int assign(String salt, String unit, double[] weights) {
        double total = Weights.total(weights);
        float bucket = bucket(salt, unit);
        float sum = 0F;
        for (int i = 0; i < weights.length; i++) {
            int weight = total == WEIGHT_SCALE ? (int) weights[i] : (int) (weights[i] * WEIGHT_SCALE / total);
            sum += (float) weight / 100000F;
            if (bucket < sum) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** The unit's bucket in [0, 1]. */
    static float bucket(String salt, String unit) {
        byte[] digest = sha1((salt + "." + unit).getBytes(StandardCharsets.UTF_8));
        long value = 0;
        // 15 hex digits are the first 7.5 bytes: seven whole bytes and the high half of the eighth.
        for (int i = 0; i < 7; i++) {
            value = value << 8 | (digest[i] & 0xff);
        }
        value = value << 4 | (digest[7] & 0xff) >>> 4;
        return (float) value / LONG_SCALE;
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }
}
