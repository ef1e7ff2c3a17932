package io.ensign.assignment.launchdarkly.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.launchdarkly.sdk.LDContext;
import com.launchdarkly.sdk.server.Components;
import com.launchdarkly.sdk.server.LDClient;
import com.launchdarkly.sdk.server.LDConfig;
import com.launchdarkly.sdk.server.integrations.FileData;

import io.ensign.testing.data.RandomInputs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs LaunchDarkly's own server SDK (com.launchdarkly:launchdarkly-java-server-sdk 7.5.0, its evaluator fed
 * from a flag file, no network) beside the strategy: random flags (key, salt or seed, two to five weights in
 * LaunchDarkly's units summing to 100000) and random context keys, and asks for the same variation.
 */
class LaunchDarklySdkComparisonTest {
    private static final int FLAGS = 200;
    private static final int UNITS_PER_FLAG = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Random random = new Random(20261203);
    private final LaunchDarklyAssignment strategy = new LaunchDarklyAssignment();

    @TempDir
    Path work;

    @Test
    void percentageRolloutsPutEveryContextWhereTheSdkPutsIt() throws Exception {
        ObjectNode flags = JSON.createObjectNode();
        ObjectNode byKey = flags.putObject("flags");
        String[] salts = new String[FLAGS];
        double[][] weights = new double[FLAGS][];
        for (int f = 0; f < FLAGS; f++) {
            String key = "flag-" + f;
            String flagSalt = Long.toHexString(random.nextLong());
            Integer seed = f % 4 == 0 ? random.nextInt() : null;
            salts[f] = seed == null ? key + "." + flagSalt : seed.toString();
            weights[f] = weights();
            ObjectNode flag = byKey.putObject(key).put("key", key).put("on", true).put("salt", flagSalt)
                    .put("version", 1).put("offVariation", 0);
            ArrayNode variations = flag.putArray("variations");
            ObjectNode rollout = flag.putObject("fallthrough").putObject("rollout");
            if (seed != null) {
                rollout.put("seed", seed);
            }
            ArrayNode weighted = rollout.putArray("variations");
            for (int v = 0; v < weights[f].length; v++) {
                variations.add("v" + v);
                weighted.addObject().put("variation", v).put("weight", (int) weights[f][v]);
            }
        }
        Path file = work.resolve("flags.json");
        Files.writeString(file, JSON.writeValueAsString(flags));
        LDConfig config = new LDConfig.Builder()
                .dataSource(FileData.dataSource().filePaths(file))
                .events(Components.noEvents())
                .startWait(Duration.ofSeconds(10))
                .build();
        int[] chosen = new int[5];
        try (LDClient client = new LDClient("sdk-key-unused", config)) {
            assertTrue(client.isInitialized());
            for (int f = 0; f < FLAGS; f++) {
                for (int u = 0; u < UNITS_PER_FLAG; u++) {
                    String unit = RandomInputs.text(random, 16);
                    String expected = client.stringVariation("flag-" + f, LDContext.create(unit), "none");
                    int actual = strategy.assign(salts[f], unit, weights[f]);
                    double[] w = weights[f];
                    String where = "flag-" + f + " " + unit + " " + Arrays.toString(w);
                    assertEquals(expected, "v" + actual, where);
                    chosen[actual]++;
                }
            }
        }
        assertTrue(chosen[0] > 0 && chosen[1] > 0 && chosen[4] > 0, Arrays.toString(chosen));
    }

    /** Two to five weights summing to 100000, some zero, as LaunchDarkly's editor writes them. */
    private double[] weights() {
        double[] weights = new double[2 + random.nextInt(4)];
        int left = LaunchDarklyAssignment.WEIGHT_SCALE;
        for (int v = 0; v < weights.length - 1; v++) {
            weights[v] = random.nextInt(4) == 0 ? 0 : random.nextInt(left + 1);
            left -= (int) weights[v];
        }
        weights[weights.length - 1] = left;
        return weights;
    }
}
