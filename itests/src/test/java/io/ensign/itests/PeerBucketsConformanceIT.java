package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.launchdarkly.sdk.LDContext;
import com.launchdarkly.sdk.server.Components;
import com.launchdarkly.sdk.server.LDClient;
import com.launchdarkly.sdk.server.LDConfig;
import com.launchdarkly.sdk.server.integrations.FileData;

import dev.openfeature.contrib.providers.flagd.resolver.process.targeting.Operator;
import dev.openfeature.sdk.ImmutableContext;
import io.ensign.testing.data.RandomInputs;
import io.getunleash.engine.Context;
import io.getunleash.engine.UnleashEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer strategies installed in the real server (the assembled distribution, run as a process): flags whose
 * rollouts name {@code unleash}, {@code unleash-variant}, {@code flagd-fractional}, {@code growthbook} and
 * {@code growthbook-v1} and {@code launchdarkly} (the Unleash rollouts behind constraints translated to Ensign's
 * operators) are written over the API and evaluated over OFREP, and every answer must equal the peer's own:
 * Unleash's engine (Yggdrasil), flagd's JsonLogic evaluator and LaunchDarkly's SDK run here, in this JVM, on the
 * same definitions; GrowthBook's answers are the vectors its JavaScript SDK computed
 * (bundles/ensign-assignment-growthbook/src/test/fixtures).
 */
class PeerBucketsConformanceIT {
    private static final int FLAGS_PER_PEER = 12;
    private static final int UNITS = 120;
    /** Unleash rollouts, Unleash variants, flagd fractionals and LaunchDarkly rollouts. */
    private static final int PEER_FLAG_KINDS = 4;
    /** Every this many GrowthBook vectors is tried: experiments with and without coverage, and rollout rules. */
    private static final int GROWTHBOOK_STRIDE = 25;
    private static final Path GROWTHBOOK = Path.of(System.getProperty("ensign.growthbook.vectors",
            "../bundles/ensign-assignment-growthbook/src/test/resources/growthbook-vectors.jsonl"));

    /** Unleash constraint (operator, values, caseInsensitive, inverted) and its Ensign condition (operator, negate). */
    private static final String[][] CONSTRAINTS = {
        {"STR_CONTAINS", "a", "true", "false", "contains_ci", "false"},
        {"NUM_GT", "5", "false", "false", "num_gt", "false"},
        {"SEMVER_LT", "1.2.0", "false", "true", "semver_lt", "true"},
        {"NOT_IN", "x,2.0.0", "false", "false", "in", "true"},
        {"STR_ENDS_WITH", "0", "false", "false", "ends_with", "false"}};
    /** The values of the constrained attribute a unit sends, null for none. */
    private static final String[] ATTRIBUTES = {"A", "ba", "x", "7", "5", "10", "1.0.0", "1.2.0", "2.0.0", "1.10.0", "",
        null};

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Random random = new Random(20261203);

    @TempDir
    Path work;

    @Test
    @Timeout(300)
    void ofrepAnswersWhatUnleashFlagdAndGrowthBookAnswerForTheSameDefinitions() throws Exception {
        try (ServerProcess server = ServerProcess.start(work.resolve("data"), work.resolve("server.log"), http)) {
            HttpDriver api = server.driver();
            ObjectNode unleashState = mapper.createObjectNode().put("version", 2);
            ArrayNode unleashFeatures = unleashState.putArray("features");
            Map<String, String> flagdRules = new LinkedHashMap<>();
            List<String> keys = new ArrayList<>();
            ObjectNode launchDarklyFlags = mapper.createObjectNode();
            for (int f = 0; f < FLAGS_PER_PEER; f++) {
                keys.add(launchDarklyRollout(api, launchDarklyFlags, f));
                keys.add(unleashRollout(api, unleashFeatures, f));
                keys.add(unleashVariants(api, unleashFeatures, f));
                String key = flagdFractional(api, flagdRules, f);
                keys.add(key);
            }
            UnleashEngine unleash = new UnleashEngine();
            unleash.takeState(mapper.writeValueAsString(unleashState));
            Operator flagd = new Operator();
            Path launchDarklyFile = work.resolve("launchdarkly-flags.json");
            Files.writeString(launchDarklyFile, mapper.writeValueAsString(
                    mapper.createObjectNode().set("flags", launchDarklyFlags)));
            LDClient launchDarkly = new LDClient("sdk-key-unused", new LDConfig.Builder()
                    .dataSource(FileData.dataSource().filePaths(launchDarklyFile))
                    .events(Components.noEvents()).startWait(Duration.ofSeconds(10)).build());

            int compared = 0;
            for (int u = 0; u < UNITS; u++) {
                String unit = text();
                String attr = ATTRIBUTES[random.nextInt(ATTRIBUTES.length)];
                Map<String, String> answers = bulk(api, unit, attr);
                for (String key : keys) {
                    String expected;
                    if (key.startsWith("flagd-")) {
                        expected = (String) flagd.apply(key, flagdRules.get(key), new ImmutableContext(unit));
                    } else if (key.startsWith("launchdarkly-")) {
                        expected = launchDarkly.stringVariation(key, LDContext.create(unit), "none");
                    } else {
                        Context context = new Context();
                        context.setUserId(unit);
                        if (attr != null) {
                            context.setProperties(Map.of("attr", attr));
                        }
                        expected = key.startsWith("unleash-rollout-")
                                ? (unleash.isEnabled(key, context).value ? "on" : "off")
                                : unleash.getVariant(key, context).value.getName();
                    }
                    assertEquals(expected, answers.get(key), key + " for unit " + unit);
                    compared++;
                }
            }
            launchDarkly.close();
            assertEquals(UNITS * FLAGS_PER_PEER * PEER_FLAG_KINDS, compared);
            compared += growthBookVectors(api);
            System.out.println("PeerBucketsConformanceIT compared " + compared + " evaluations");
        }
    }

    /**
     * Unleash's flexible rollout at a random percentage and group id behind one of {@link #CONSTRAINTS}, as Ensign's
     * {@code unleash} split behind the condition the constraint translates to (evaluation.md).
     */
    private String unleashRollout(HttpDriver api, ArrayNode features, int f) throws IOException {
        String key = "unleash-rollout-" + f;
        String groupId = text();
        int percentage = random.nextInt(101);
        String[] c = CONSTRAINTS[f % CONSTRAINTS.length];
        ObjectNode strategy = unleashFeature(features, key);
        strategy.putObject("parameters").put("rollout", Integer.toString(percentage)).put("groupId", groupId)
                .put("stickiness", "userId");
        ObjectNode constraint = strategy.putArray("constraints").addObject().put("contextName", "attr")
                .put("operator", c[0]).put("caseInsensitive", Boolean.parseBoolean(c[2]))
                .put("inverted", Boolean.parseBoolean(c[3]));
        List<String> values = List.of(c[1].split(","));
        if (c[0].startsWith("STR_") || c[0].endsWith("IN")) {
            values.forEach(constraint.putArray("values")::add);
        } else {
            constraint.put("value", values.get(0));
        }
        ObjectNode flag = stringFlag(List.of("on", "off"));
        flag.put("defaultVariant", "off");
        ObjectNode rule = ((ArrayNode) flag.get("rules")).addObject();
        ObjectNode condition = rule.putArray("conditions").addObject().put("attribute", "attr").put("operator", c[4])
                .put("negate", Boolean.parseBoolean(c[5]));
        values.forEach(condition.putArray("values")::add);
        ObjectNode rollout = rule.putObject("rollout").put("strategy", "unleash").put("salt", groupId);
        rollout.putObject("weights").put("on", percentage).put("off", 100 - percentage);
        api.expect(201, "PUT", "/api/v1/flags/" + key, EnsignConfiguration.ADMIN_TOKEN, mapper.writeValueAsString(flag));
        return key;
    }

    /** A feature's variants with random weights, grouped by the feature's name as Unleash groups them. */
    private String unleashVariants(HttpDriver api, ArrayNode features, int f) throws IOException {
        String key = "unleash-variants-" + f;
        ObjectNode strategy = unleashFeature(features, key);
        strategy.putObject("parameters").put("rollout", "100").put("groupId", key).put("stickiness", "default");
        ObjectNode feature = (ObjectNode) features.get(features.size() - 1);
        ArrayNode variants = feature.putArray("variants");
        List<String> names = List.of("v0", "v1", "v2");
        ObjectNode flag = stringFlag(names);
        ObjectNode weights = ((ArrayNode) flag.get("rules")).addObject().putObject("rollout")
                .put("strategy", "unleash-variant").putObject("weights");
        for (String name : names) {
            int weight = name.equals("v0") ? 1 + random.nextInt(500) : random.nextInt(500);
            variants.addObject().put("name", name).put("weight", weight).put("stickiness", "default")
                    .put("weightType", "variable");
            weights.put(name, weight);
        }
        api.expect(201, "PUT", "/api/v1/flags/" + key, EnsignConfiguration.ADMIN_TOKEN, mapper.writeValueAsString(flag));
        return key;
    }

    /** A LaunchDarkly percentage rollout (weights summing to 100000, the flag's salt) as a {@code launchdarkly} split. */
    private String launchDarklyRollout(HttpDriver api, ObjectNode flags, int f) throws IOException {
        String key = "launchdarkly-" + f;
        String salt = Long.toHexString(random.nextLong());
        ObjectNode definition = flags.putObject(key).put("key", key).put("on", true).put("salt", salt)
                .put("version", 1).put("offVariation", 0);
        ArrayNode variations = definition.putArray("variations");
        ArrayNode weighted = definition.putObject("fallthrough").putObject("rollout").putArray("variations");
        List<String> names = List.of("v0", "v1", "v2");
        ObjectNode flag = stringFlag(names);
        ObjectNode weights = ((ArrayNode) flag.get("rules")).addObject().putObject("rollout")
                .put("strategy", "launchdarkly").put("salt", key + "." + salt).putObject("weights");
        int first = random.nextInt(100_001);
        int second = random.nextInt(100_001 - first);
        int[] split = {first, second, 100_000 - first - second};
        for (int v = 0; v < names.size(); v++) {
            variations.add(names.get(v));
            weighted.addObject().put("variation", v).put("weight", split[v]);
            weights.put(names.get(v), split[v]);
        }
        api.expect(201, "PUT", "/api/v1/flags/" + key, EnsignConfiguration.ADMIN_TOKEN, mapper.writeValueAsString(flag));
        return key;
    }

    /** flagd's {@code fractional} over the default bucketing key, by random integer weights. */
    private String flagdFractional(HttpDriver api, Map<String, String> rules, int f) throws IOException {
        String key = "flagd-" + f;
        List<String> names = List.of("v0", "v1", "v2");
        ObjectNode flag = stringFlag(names);
        ObjectNode weights = ((ArrayNode) flag.get("rules")).addObject().putObject("rollout")
                .put("strategy", "flagd-fractional").putObject("weights");
        ArrayNode fractional = mapper.createObjectNode().putArray("fractional");
        for (String name : names) {
            int weight = name.equals("v0") ? 1 + random.nextInt(100) : random.nextInt(100);
            weights.put(name, weight);
            fractional.addArray().add(name).add(weight);
        }
        rules.put(key, mapper.writeValueAsString(mapper.createObjectNode().set("fractional", fractional)));
        api.expect(201, "PUT", "/api/v1/flags/" + key, EnsignConfiguration.ADMIN_TOKEN, mapper.writeValueAsString(flag));
        return key;
    }

    /**
     * One flag per GrowthBook vector tried (its seed as the salt, its weights and coverage, its hash version's
     * strategy), evaluated for the vector's unit: the SDK's variation, or the flag's default where the SDK left the
     * unit out.
     */
    private int growthBookVectors(HttpDriver api) throws IOException {
        List<String> lines = Files.readAllLines(GROWTHBOOK);
        int compared = 0;
        int leftOut = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (i % GROWTHBOOK_STRIDE != 0) {
                continue;
            }
            JsonNode vector = mapper.readTree(lines.get(i));
            int variation = vector.get("variation").intValue();
            String key = "growthbook-" + i;
            List<String> names = new ArrayList<>();
            for (int v = 0; v < vector.get("weights").size(); v++) {
                names.add("v" + v);
            }
            ObjectNode flag = stringFlag(names);
            ObjectNode rollout = ((ArrayNode) flag.get("rules")).addObject().putObject("rollout")
                    .put("strategy", vector.get("hashVersion").intValue() == 1 ? "growthbook-v1" : "growthbook")
                    .put("salt", vector.get("seed").textValue());
            if (vector.has("coverage")) {
                rollout.set("coverage", vector.get("coverage"));
            }
            ObjectNode weights = rollout.putObject("weights");
            for (int v = 0; v < names.size(); v++) {
                weights.set(names.get(v), vector.get("weights").get(v));
            }
            api.expect(201, "PUT", "/api/v1/flags/" + key, EnsignConfiguration.ADMIN_TOKEN,
                    mapper.writeValueAsString(flag));
            JsonNode answer = single(api, key, vector.get("unit").textValue());
            if (variation < 0) {
                assertEquals("DEFAULT", OfrepAnswers.ensignReason(answer), answer.toString());
                assertEquals("none", answer.path("variant").asText(), answer.toString());
                leftOut++;
            } else {
                assertEquals("SPLIT", answer.path("reason").asText(), answer.toString());
                assertEquals("v" + variation, answer.path("variant").asText(), key + " " + lines.get(i));
            }
            compared++;
        }
        assertTrue(leftOut > 0, "the vectors include units GrowthBook leaves out");
        return compared;
    }

    /** Rollout rules return one of {@code variants}; no rule matching gives the default {@code none}. */
    private ObjectNode stringFlag(List<String> variants) {
        ObjectNode flag = mapper.createObjectNode().put("type", "string").put("defaultVariant", "none");
        ObjectNode values = flag.putObject("variants");
        variants.forEach(v -> values.put(v, v));
        values.put("none", "none");
        flag.putArray("rules");
        return flag;
    }

    private static ObjectNode unleashFeature(ArrayNode features, String name) {
        ObjectNode feature = features.addObject().put("name", name).put("enabled", true);
        return feature.putArray("strategies").addObject().put("name", "flexibleRollout");
    }

    /**
     * The variant of every flag for this unit and attribute (none when null), from one bulk OFREP evaluation,
     * retried until all flags are in.
     */
    private Map<String, String> bulk(HttpDriver api, String unit, String attr) throws Exception {
        ObjectNode context = mapper.createObjectNode().put("targetingKey", unit);
        if (attr != null) {
            context.put("attr", attr);
        }
        String body = mapper.writeValueAsString(mapper.createObjectNode().set("context", context));
        Map<String, String> variants = new LinkedHashMap<>();
        for (int attempt = 0; attempt < 100 && variants.size() < FLAGS_PER_PEER * PEER_FLAG_KINDS; attempt++) {
            variants.clear();
            JsonNode flags = api.expect(200, "POST", "/ofrep/v1/evaluate/flags", EnsignConfiguration.ADMIN_TOKEN, body)
                    .path("flags");
            flags.forEach(r -> variants.put(r.path("key").asText(), r.path("variant").asText()));
            if (variants.size() < FLAGS_PER_PEER * PEER_FLAG_KINDS) {
                Thread.sleep(50);
            }
        }
        return variants;
    }

    private JsonNode single(HttpDriver api, String key, String unit) throws IOException {
        String body = mapper.writeValueAsString(mapper.createObjectNode().set("context",
                mapper.createObjectNode().put("targetingKey", unit)));
        for (int attempt = 0; ; attempt++) {
            var response = api.send("POST", "/ofrep/v1/evaluate/flags/" + key, EnsignConfiguration.ADMIN_TOKEN, body);
            if (response.statusCode() != 404 || attempt == 100) {
                assertEquals(200, response.statusCode(), response.body());
                return mapper.readTree(response.body());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    private String text() {
        return RandomInputs.text(random, 14);
    }
}
