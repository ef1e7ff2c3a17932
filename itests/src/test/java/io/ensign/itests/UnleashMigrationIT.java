package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.testing.data.RandomInputs;
import io.getunleash.engine.Context;
import io.getunleash.engine.UnleashEngine;
import io.getunleash.engine.VariantDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team leaving Unleash: a random feature export (Unleash 4.22+'s shape: features, featureStrategies and
 * featureEnvironments for production and development, segments) imported over HTTP into the running server, then
 * for random contexts every flag's OFREP answer in production equals what Unleash's own engine (Yggdrasil, run
 * here on the same features as the client API serves them for production) answers: on/off as isEnabled, the variant
 * and its payload as getVariant. Strategies: default, userWithId, flexibleRollout and gradualRolloutUserId at
 * random percentages, behind constraints of every translated kind and segments; variants of the feature and of the
 * strategy, some with overrides on the attribute. The dry run of a file with what Ensign cannot express reports it
 * per feature.
 */
class UnleashMigrationIT {
    private static final int FEATURES = 40;
    private static final int CONTEXTS = 1000;
    /** Unleash constraint: operator, values, caseInsensitive, inverted. */
    private static final String[][] CONSTRAINTS = {
        {"STR_CONTAINS", "a", "true", "false"}, {"STR_STARTS_WITH", "b,x", "false", "false"},
        {"STR_ENDS_WITH", "0", "false", "true"}, {"IN", "x,7,1.2.0", "false", "false"},
        {"NOT_IN", "x,2.0.0", "false", "false"}, {"NUM_GT", "5", "false", "false"},
        {"NUM_LTE", "7", "false", "true"}, {"SEMVER_LT", "1.2.0", "false", "true"},
        {"SEMVER_EQ", "1.0.0", "false", "false"}};
    private static final String[] VALUES = {"A", "ba", "x", "7", "5", "10", "1.0.0", "1.2.0", "2.0.0", "b0", "", null};

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Random random = new Random(20261204L);

    @TempDir
    Path work;

    @Test
    @Timeout(240)
    void importedUnleashFeaturesAnswerAsUnleashsEngineDoes() throws Exception {
        ObjectNode export = mapper.createObjectNode();
        ArrayNode features = export.putArray("features");
        ArrayNode strategies = export.putArray("featureStrategies");
        ArrayNode environments = export.putArray("featureEnvironments");
        ArrayNode segments = export.putArray("segments");
        for (int s = 1; s <= 3; s++) {
            segments.addObject().put("id", s).put("name", "segment-" + s).putArray("constraints").add(constraint());
        }
        ObjectNode client = mapper.createObjectNode().put("version", 2);
        ArrayNode clientFeatures = client.putArray("features");
        client.set("segments", segments);
        for (int f = 0; f < FEATURES; f++) {
            feature(f, features, strategies, environments, clientFeatures);
        }
        try (ServerProcess server = ServerProcess.start(work.resolve("data"), work.resolve("server.log"), http)) {
            HttpDriver api = server.driver();
            String token = EnsignConfiguration.ADMIN_TOKEN;
            ObjectNode unexpressible = export.deepCopy();
            ((ArrayNode) unexpressible.get("featureStrategies")).addObject().put("name", "applicationHostname")
                    .put("featureName", "feature-1").put("environment", "production")
                    .putObject("parameters").put("hostNames", "h1");
            JsonNode dryRun = api.expect(200, "POST", "/api/v1/import?from=unleash&dryRun=true", token,
                    mapper.writeValueAsString(unexpressible));
            JsonNode first = dryRun.path("flags").path(1);
            assertEquals("untranslatable", first.path("status").asText(), first.toString());
            assertTrue(first.path("problems").toString().contains("applicationHostname"), first.toString());
            api.expect(422, "POST", "/api/v1/import?from=unleash", token, mapper.writeValueAsString(unexpressible));
            assertEquals(0, api.expect(200, "GET", "/api/v1/flags", token, null).size(), "nothing written");

            JsonNode imported = api.expect(201, "POST", "/api/v1/import?from=unleash", token,
                    mapper.writeValueAsString(export));
            assertEquals(FEATURES, imported.path("flags").size());

            UnleashEngine unleash = new UnleashEngine();
            unleash.takeState(mapper.writeValueAsString(client));
            int compared = 0;
            int splits = 0;
            for (int c = 0; c < CONTEXTS; c++) {
                String unit = RandomInputs.text(random, 12);
                String attr = VALUES[random.nextInt(VALUES.length)];
                ObjectNode context = mapper.createObjectNode().put("targetingKey", unit);
                Context unleashContext = new Context();
                unleashContext.setUserId(unit);
                if (attr != null) {
                    context.put("attr", attr);
                    unleashContext.setProperties(Map.of("attr", attr));
                }
                JsonNode answers = api.expect(200, "POST", "/ofrep/v1/evaluate/flags", token,
                        mapper.writeValueAsString(mapper.createObjectNode().set("context", context))).path("flags");
                Map<String, JsonNode> byKey = new HashMap<>();
                answers.forEach(a -> byKey.put(a.path("key").asText(), a));
                for (JsonNode feature : clientFeatures) {
                    String key = feature.path("name").asText();
                    JsonNode answer = byKey.get(key);
                    String where = key + " for " + context + ": " + answer + " of " + feature;
                    if (feature.path("variants").isEmpty() && !hasStrategyVariants(feature)) {
                        boolean enabled = unleash.isEnabled(key, unleashContext).value;
                        assertEquals(enabled ? "on" : "off", answer.path("variant").asText(), where);
                    } else {
                        VariantDef variant = unleash.getVariant(key, unleashContext).value;
                        assertEquals(variant.getName(), answer.path("variant").asText(), where);
                        String value = variant.getPayload() == null ? variant.getName()
                                : variant.getPayload().getValue();
                        assertEquals(value, answer.path("value").asText(), where);
                    }
                    if ("SPLIT".equals(answer.path("reason").asText())) {
                        splits++;
                    }
                    compared++;
                }
            }
            assertEquals(FEATURES * CONTEXTS, compared);
            assertTrue(splits > CONTEXTS, "rollout and variant buckets are among the answers: " + splits);
            System.out.println("UnleashMigrationIT compared " + compared + " OFREP answers with Unleash's engine");
        }
    }

    private static boolean hasStrategyVariants(JsonNode feature) {
        for (JsonNode strategy : feature.path("strategies")) {
            if (!strategy.path("variants").isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * One feature: in production one to three strategies (a rollout below 100 % only last, as Ensign can express
     * it), variants on every third feature, some on the strategy instead; in development a single default strategy.
     */
    private void feature(int f, ArrayNode features, ArrayNode strategies, ArrayNode environments,
                         ArrayNode clientFeatures) {
        String name = "feature-" + f;
        ObjectNode feature = features.addObject().put("name", name).put("type", "release");
        boolean enabled = f % 7 != 6;
        environments.addObject().put("featureName", name).put("environment", "production").put("enabled", enabled);
        environments.addObject().put("featureName", name).put("environment", "development").put("enabled", true);
        strategies.addObject().put("name", "default").put("featureName", name).put("environment", "development");
        ObjectNode clientFeature = clientFeatures.addObject().put("name", name).put("enabled", enabled);
        ArrayNode clientStrategies = clientFeature.putArray("strategies");
        boolean variants = f % 3 == 0;
        boolean onStrategy = variants && f % 2 == 0;
        if (variants && !onStrategy) {
            ArrayNode list = variants(name);
            feature.set("variants", list);
            clientFeature.set("variants", list);
        }
        int count = 1 + random.nextInt(3);
        for (int s = 0; s < count; s++) {
            boolean last = s == count - 1;
            ObjectNode strategy = strategies.addObject().put("featureName", name).put("environment", "production");
            int kind = random.nextInt(4);
            if (kind == 0) {
                strategy.put("name", "default").putObject("parameters");
            } else if (kind == 1) {
                strategy.put("name", "userWithId").putObject("parameters").put("userIds", "u1, u2,u3");
            } else {
                int percentage = last && !variants ? random.nextInt(101) : 100;
                ObjectNode parameters = strategy.put("name", kind == 2 ? "flexibleRollout" : "gradualRolloutUserId")
                        .putObject("parameters");
                parameters.put(kind == 2 ? "rollout" : "percentage", Integer.toString(percentage))
                        .put("groupId", RandomInputs.text(random, 8));
                if (kind == 2) {
                    parameters.put("stickiness", random.nextBoolean() ? "default" : "userId");
                }
            }
            ArrayNode constraints = strategy.putArray("constraints");
            for (int c = random.nextInt(3); c > 0; c--) {
                constraints.add(constraint());
            }
            if (random.nextInt(4) == 0) {
                strategy.putArray("segments").add(1 + random.nextInt(3));
            }
            if (onStrategy && last) {
                strategy.set("variants", variants(name));
            }
            ObjectNode clientStrategy = strategy.deepCopy();
            clientStrategy.remove(List.of("featureName", "environment"));
            clientStrategies.add(clientStrategy);
        }
    }

    private ArrayNode variants(String feature) {
        ArrayNode variants = mapper.createArrayNode();
        boolean payloads = random.nextBoolean();
        String stickiness = random.nextBoolean() ? "default" : "userId";
        for (int v = 0; v < 3; v++) {
            ObjectNode variant = variants.addObject().put("name", "v" + v)
                    .put("weight", v == 0 ? 1 + random.nextInt(500) : random.nextInt(500))
                    .put("weightType", "variable").put("stickiness", stickiness);
            if (payloads) {
                variant.putObject("payload").put("type", "string").put("value", feature + "-payload-" + v);
            }
            if (random.nextInt(3) == 0) {
                ArrayNode values = variant.putArray("overrides").addObject().put("contextName", "attr")
                        .putArray("values");
                values.add(VALUES[random.nextInt(VALUES.length - 1)]).add(VALUES[random.nextInt(VALUES.length - 1)]);
            }
        }
        return variants;
    }

    private ObjectNode constraint() {
        String[] c = CONSTRAINTS[random.nextInt(CONSTRAINTS.length)];
        ObjectNode constraint = mapper.createObjectNode().put("contextName", "attr").put("operator", c[0])
                .put("caseInsensitive", Boolean.parseBoolean(c[2])).put("inverted", Boolean.parseBoolean(c[3]));
        List<String> values = List.of(c[1].split(","));
        if (c[0].startsWith("STR_") || c[0].endsWith("IN")) {
            values.forEach(constraint.putArray("values")::add);
        } else {
            constraint.put("value", values.get(0));
        }
        return constraint;
    }
}
