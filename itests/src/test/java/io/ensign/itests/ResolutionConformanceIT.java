package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random flags of every type — with segments, overrides, per-environment changes, kill switches, conditions
 * and rollouts — are written to the real server and evaluated through OFREP (bulk and single) for random
 * units in every environment; each result must equal what {@link ReferenceResolver}, an independent reading
 * of api.md, says. The seed is printed and can be fixed with -Dconformance.seed=N to replay a failure.
 */
class ResolutionConformanceIT {
    private static final List<String> ENVIRONMENTS = List.of("development", "staging", "production");
    private static final String[] COUNTRIES = {"NL", "DE", "US", "FR"};
    private static final String[] PLANS = {"free", "pro", "team"};
    private static final int FLAGS = 24;
    private static final int UNITS = 40;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonNodeFactory json = JsonNodeFactory.instance;

    @TempDir
    Path work;

    @Test
    @Timeout(300)
    void ofrepAgreesWithAnIndependentReadingOfTheResolutionRules() throws Exception {
        long seed = Long.getLong("conformance.seed", System.nanoTime());
        System.out.println("ResolutionConformanceIT seed " + seed);
        Random random = new Random(seed);
        try (ServerProcess server = ServerProcess.start(work.resolve("data"), work.resolve("server.log"), http)) {
            Map<String, JsonNode> segments = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                ObjectNode segment = segment(random);
                segments.put("seg-" + i, segment);
                put(server, "/api/v1/segments/seg-" + i, segment);
            }
            Map<String, JsonNode> flags = new HashMap<>();
            for (int i = 0; i < FLAGS; i++) {
                ObjectNode flag = flag("flag-" + i, random, segments.size());
                flags.put("flag-" + i, flag);
                put(server, "/api/v1/flags/flag-" + i, flag);
            }
            ReferenceResolver reference = new ReferenceResolver(segments);
            int compared = 0;
            for (int u = 0; u < UNITS; u++) {
                ObjectNode context = context(random, u);
                for (String env : ENVIRONMENTS) {
                    JsonNode bulk = evaluate(server, "/ofrep/v1/evaluate/flags?environment=" + env, context);
                    assertEquals(FLAGS, bulk.path("flags").size(), bulk.toString());
                    for (JsonNode result : bulk.get("flags")) {
                        JsonNode flag = flags.get(result.get("key").asText());
                        compare(flag, env, context, result, reference);
                        compared++;
                    }
                    String key = "flag-" + random.nextInt(FLAGS);
                    JsonNode single = evaluate(server, "/ofrep/v1/evaluate/flags/" + key + "?environment=" + env,
                            context);
                    compare(flags.get(key), env, context, single, reference);
                    compared++;
                }
            }
            assertTrue(compared >= FLAGS * UNITS * ENVIRONMENTS.size());
        }
    }

    private void compare(JsonNode flag, String env, JsonNode context, JsonNode result, ReferenceResolver reference) {
        ReferenceResolver.Outcome expected = reference.resolve(flag, env, context);
        String where = "seed-replayable case: flag " + flag + " env " + env + " context " + context + " -> " + result;
        // OFREP has no DEFAULT: it goes out as UNKNOWN with Ensign's reason in the metadata (docs/http-api.md).
        boolean fellThrough = expected.reason().equals("DEFAULT");
        assertEquals(fellThrough ? "UNKNOWN" : expected.reason(), result.path("reason").asText(), where);
        assertEquals(fellThrough ? "DEFAULT" : "", result.path("metadata").path("ensignReason").asText(), where);
        assertEquals(expected.variant(), result.path("variant").asText(), where);
        assertEquals(flag.get("variants").get(expected.variant()), result.get("value"), where);
    }

    // ------------------------------------------------------------------ generators

    private ObjectNode flag(String key, Random random, int segmentCount) {
        String type = List.of("boolean", "string", "number", "object").get(random.nextInt(4));
        ObjectNode flag = json.objectNode();
        flag.put("key", key);
        flag.put("type", type);
        flag.put("enabled", random.nextInt(8) != 0);
        ObjectNode variants = flag.putObject("variants");
        int count = type.equals("boolean") ? 2 : 2 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            variants.set("v" + i, value(type, i));
        }
        List<String> names = new ArrayList<>();
        variants.fieldNames().forEachRemaining(names::add);
        flag.put("defaultVariant", pick(random, names));
        flag.set("overrides", overrides(random, names));
        flag.set("rules", rules(random, names, segmentCount));
        ObjectNode environments = flag.putObject("environments");
        for (String env : ENVIRONMENTS) {
            if (random.nextBoolean()) {
                continue;
            }
            ObjectNode e = environments.putObject(env);
            if (random.nextInt(4) == 0) {
                e.put("enabled", random.nextBoolean());
            }
            if (random.nextBoolean()) {
                e.put("defaultVariant", pick(random, names));
            }
            if (random.nextInt(3) == 0) {
                e.set("rules", rules(random, names, segmentCount));
            }
            if (random.nextInt(3) == 0) {
                e.set("overrides", overrides(random, names));
            }
        }
        return flag;
    }

    private JsonNode value(String type, int i) {
        switch (type) {
            case "boolean":
                return json.booleanNode(i == 0);
            case "string":
                return json.textNode("value-" + i);
            case "number":
                return i % 2 == 0 ? json.numberNode(i * 10) : json.numberNode(i + 0.5);
            default:
                ObjectNode o = json.objectNode();
                o.put("index", i);
                o.putArray("tags").add("t" + i);
                return o;
        }
    }

    private ObjectNode overrides(Random random, List<String> names) {
        ObjectNode overrides = json.objectNode();
        for (int i = 0; i < random.nextInt(4); i++) {
            overrides.put("unit-" + random.nextInt(UNITS), pick(random, names));
        }
        return overrides;
    }

    private ArrayNode rules(Random random, List<String> names, int segmentCount) {
        ArrayNode rules = json.arrayNode();
        for (int i = 0; i < random.nextInt(4); i++) {
            ObjectNode rule = rules.addObject();
            if (random.nextInt(3) == 0) {
                rule.put("segment", "seg-" + random.nextInt(segmentCount));
            }
            ArrayNode conditions = json.arrayNode();
            for (int c = 0; c < random.nextInt(3); c++) {
                conditions.add(condition(random));
            }
            if (conditions.size() > 0) {
                rule.set("conditions", conditions);
            }
            if (random.nextBoolean()) {
                rule.put("variant", pick(random, names));
            } else {
                ObjectNode rollout = rule.putObject("rollout");
                ObjectNode weights = rollout.putObject("weights");
                for (String name : names) {
                    if (random.nextInt(4) != 0 || weights.isEmpty()) {
                        weights.put(name, 1 + random.nextInt(99));
                    }
                }
                if (random.nextInt(3) == 0) {
                    rollout.put("bucketBy", "account");
                }
            }
        }
        return rules;
    }

    private ObjectNode condition(Random random) {
        ObjectNode c = json.objectNode();
        ArrayNode values = c.putArray("values");
        switch (random.nextInt(8)) {
            case 0 -> op(c, "country", "equals").add(pick(random, List.of(COUNTRIES)));
            case 1 -> op(c, "country", "not_equals").add(pick(random, List.of(COUNTRIES)));
            case 2 -> {
                op(c, "country", "in").add(COUNTRIES[random.nextInt(4)]).add(COUNTRIES[random.nextInt(4)]);
            }
            case 3 -> op(c, "plan", "not_in").add(pick(random, List.of(PLANS)));
            case 4 -> op(c, "age", "gt").add(18 + random.nextInt(40));
            case 5 -> op(c, "age", "lt").add(18 + random.nextInt(40));
            case 6 -> op(c, "email", "starts_with").add("user-" + random.nextInt(4));
            default -> {
                op(c, random.nextBoolean() ? "beta" : "plan", "exists");
                values.removeAll();
            }
        }
        return c;
    }

    private static ArrayNode op(ObjectNode condition, String attribute, String operator) {
        condition.put("attribute", attribute);
        condition.put("operator", operator);
        return (ArrayNode) condition.get("values");
    }

    private ObjectNode segment(Random random) {
        ObjectNode segment = json.objectNode();
        ArrayNode conditions = segment.putArray("conditions");
        for (int i = 0; i < random.nextInt(3); i++) {
            conditions.add(condition(random));
        }
        ArrayNode included = segment.putArray("included");
        ArrayNode excluded = segment.putArray("excluded");
        for (int i = 0; i < 3; i++) {
            included.add("unit-" + random.nextInt(UNITS));
            excluded.add("unit-" + random.nextInt(UNITS));
        }
        return segment;
    }

    private ObjectNode context(Random random, int unit) {
        ObjectNode context = json.objectNode();
        context.put("targetingKey", "unit-" + unit);
        context.put("country", pick(random, List.of(COUNTRIES)));
        if (random.nextInt(4) != 0) {
            context.put("plan", pick(random, List.of(PLANS)));
        }
        if (random.nextInt(5) == 0) {
            context.put("age", "thirty"); // the wrong type: numeric operators must not match
        } else {
            context.put("age", 10 + random.nextInt(60));
        }
        context.put("email", "user-" + random.nextInt(8) + "@example.com");
        if (random.nextBoolean()) {
            context.put("beta", random.nextBoolean());
        }
        if (random.nextBoolean()) {
            context.put("account", "acct-" + random.nextInt(1000));
        }
        return context;
    }

    private static <T> T pick(Random random, List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    // ------------------------------------------------------------------ HTTP

    private void put(ServerProcess server, String path, JsonNode body) throws IOException, InterruptedException {
        HttpResponse<String> response = send(server, "PUT", path, body);
        assertEquals(201, response.statusCode(), path + " " + body + " -> " + response.body());
    }

    private JsonNode evaluate(ServerProcess server, String path, ObjectNode context)
            throws IOException, InterruptedException {
        ObjectNode body = json.objectNode();
        body.set("context", context);
        HttpResponse<String> response = send(server, "POST", path, body);
        assertEquals(200, response.statusCode(), path + " " + body + " -> " + response.body());
        return mapper.readTree(response.body());
    }

    private HttpResponse<String> send(ServerProcess server, String method, String path, JsonNode body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(server.uri(path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + EnsignConfiguration.ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
