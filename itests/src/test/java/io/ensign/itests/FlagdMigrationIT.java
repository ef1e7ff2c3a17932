package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openfeature.contrib.providers.flagd.resolver.process.targeting.Operator;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.Value;
import io.ensign.testing.data.RandomInputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team leaving flagd: random flagd flag definitions (if chains of flagd's operators, and, or, !, $ref evaluators,
 * nested ifs, fractional by the default key and by an attribute) imported over HTTP into the running server in one
 * request, then for random contexts every flag's OFREP answer (variant and value) equals what flagd's own JsonLogic
 * evaluator (the flagd provider's in-process targeting, run here) gives for the same definition and context. The
 * export (GET /api/v1/export?to=flagd) evaluated by flagd gives the same answers again. A file with definitions
 * Ensign cannot express is reported per flag by the dry run and refused whole without it.
 */
class FlagdMigrationIT {
    private static final int FLAGS = 40;
    private static final int CONTEXTS = 1000;
    private static final String[] EMAILS = {"ada@x.com", "bob@y.org", "ad@x.org", "cy@x.com", "dee@z.net", "eve@y.com"};
    private static final String[] VERSIONS = {"1.0.0", "1.2.0", "1.2.3-beta.1", "2.0.0", "1.10.1", "0.9.9", "nope", ""};
    private static final String[] COUNTRIES = {"NL", "DE", "FR", "US", "nl"};
    private static final String[] TIERS = {"gold", "silver", "bronze", "Gold"};
    private static final String[] ATTRIBUTES = {"country", "version", "tier", "note"};

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Random random = new Random(20261203L);
    private final Operator flagd = new Operator();

    @TempDir
    Path work;

    @Test
    @Timeout(240)
    void importedFlagdDefinitionsAnswerAsFlagdDoesAndTheExportToo() throws Exception {
        ObjectNode file = definitions();
        ObjectNode untranslatable = mapper.createObjectNode();
        untranslatable.putObject("flags").set("fine", file.get("flags").get("flag-0"));
        ((ObjectNode) untranslatable.get("flags")).set("age-gate", mapper.readTree("""
                {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                 "targeting": {"if": [{">=": [{"var": "age"}, 18]}, "on", "off"]}}"""));
        ((ObjectNode) untranslatable.get("flags")).set("clock", mapper.readTree("""
                {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                 "targeting": {"if": [{"!": {"or": [{"in": [{"var": "country"}, ["NL"]]}, {"var": "beta"}]}}, "on"]}}"""));
        try (ServerProcess server = ServerProcess.start(work.resolve("data"), work.resolve("server.log"), http)) {
            HttpDriver api = server.driver();
            String token = EnsignConfiguration.ADMIN_TOKEN;
            String body = mapper.writeValueAsString(untranslatable);
            JsonNode dryRun = api.expect(200, "POST", "/api/v1/import?from=flagd&dryRun=true", token, body);
            Map<String, JsonNode> byKey = new HashMap<>();
            dryRun.path("flags").forEach(f -> byKey.put(f.path("key").asText(), f));
            assertEquals("create", byKey.get("fine").path("status").asText(), dryRun.toString());
            assertEquals("/flags/age-gate/targeting/if/0/>=",
                    byKey.get("age-gate").path("problems").path(0).path("field").asText(), dryRun.toString());
            assertEquals("/flags/clock/targeting/if/0/!/or/1/var",
                    byKey.get("clock").path("problems").path(0).path("field").asText(), dryRun.toString());
            JsonNode refused = api.expect(422, "POST", "/api/v1/import?from=flagd", token, body);
            assertEquals(3, refused.path("flags").size());
            assertEquals(0, api.expect(200, "GET", "/api/v1/flags", token, null).size(), "nothing written");

            long before = api.expect(200, "GET", "/api/v1/audit?limit=1000", token, null).path("records").size();
            JsonNode imported = api.expect(201, "POST", "/api/v1/import?from=flagd", token,
                    mapper.writeValueAsString(file));
            assertEquals(FLAGS, imported.path("flags").size());
            JsonNode records = api.expect(200, "GET", "/api/v1/audit?limit=1000", token, null).path("records");
            assertEquals(before + FLAGS, records.size(), "one record per flag");
            String requestId = records.get(records.size() - 1).path("requestId").asText();
            for (int i = records.size() - FLAGS; i < records.size(); i++) {
                assertEquals(requestId, records.get(i).path("requestId").asText(), "all of one request");
                assertEquals("import from flagd", records.get(i).path("reason").asText());
            }

            List<ObjectNode> contexts = new ArrayList<>();
            for (int c = 0; c < CONTEXTS; c++) {
                contexts.add(context());
            }
            int compared = compare(api, file, contexts);
            JsonNode exported = api.expect(200, "GET", "/api/v1/export?to=flagd", token, null);
            compared += compare(api, exported, contexts);
            assertEquals(2 * FLAGS * CONTEXTS, compared);
            System.out.println("FlagdMigrationIT compared " + compared + " OFREP answers with flagd's");
        }
    }

    /** Every flag of the flagd file evaluated by flagd and by Ensign for each context: equal variants and values. */
    private int compare(HttpDriver api, JsonNode file, List<ObjectNode> contexts) throws Exception {
        JsonNode evaluators = file.path("$evaluators");
        Map<String, String> targeting = new LinkedHashMap<>();
        file.path("flags").properties().forEach(e -> {
            JsonNode rule = e.getValue().path("targeting");
            targeting.put(e.getKey(), rule.isMissingNode() ? "{}" : substitute(rule, evaluators).toString());
        });
        int compared = 0;
        int splits = 0;
        for (ObjectNode context : contexts) {
            JsonNode answers = api.expect(200, "POST", "/ofrep/v1/evaluate/flags", EnsignConfiguration.ADMIN_TOKEN,
                    mapper.writeValueAsString(mapper.createObjectNode().set("context", context))).path("flags");
            Map<String, JsonNode> ensign = new HashMap<>();
            answers.forEach(a -> ensign.put(a.path("key").asText(), a));
            for (Map.Entry<String, String> flag : targeting.entrySet()) {
                JsonNode definition = file.path("flags").path(flag.getKey());
                Object result = "{}".equals(flag.getValue()) ? null
                        : flagd.apply(flag.getKey(), flag.getValue(), flagdContext(context));
                String variant = result == null ? definition.path("defaultVariant").asText() : result.toString();
                JsonNode answer = ensign.get(flag.getKey());
                String where = flag.getKey() + " " + flag.getValue() + " for " + context;
                assertEquals(variant, answer.path("variant").asText(), where + ": " + answer);
                JsonNode value = definition.path("variants").path(variant);
                if (value.isNumber()) {
                    assertEquals(value.doubleValue(), answer.path("value").doubleValue(), where);
                } else {
                    assertEquals(value, answer.path("value"), where);
                }
                if ("SPLIT".equals(answer.path("reason").asText())) {
                    splits++;
                }
                compared++;
            }
        }
        assertTrue(splits > contexts.size(), "fractional buckets are among the answers: " + splits);
        return compared;
    }

    /** flagd's $ref: each {"$ref": name} replaced by that evaluator, as flagd does before it evaluates. */
    private static JsonNode substitute(JsonNode node, JsonNode evaluators) {
        if (node.isObject() && node.size() == 1 && node.has("$ref")) {
            return substitute(evaluators.get(node.get("$ref").asText()), evaluators);
        }
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).objectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), substitute(e.getValue(), evaluators)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            node.forEach(e -> copy.add(substitute(e, evaluators)));
            return copy;
        }
        return node;
    }

    private static ImmutableContext flagdContext(ObjectNode context) {
        Map<String, Value> attributes = new HashMap<>();
        context.properties().forEach(e -> {
            if (!"targetingKey".equals(e.getKey())) {
                attributes.put(e.getKey(), new Value(e.getValue().asText()));
            }
        });
        return new ImmutableContext(context.path("targetingKey").asText(), attributes);
    }

    /** A targeting key and email always (fractional buckets by them), the other attributes each now and then. */
    private ObjectNode context() {
        ObjectNode context = mapper.createObjectNode().put("targetingKey", RandomInputs.text(random, 12))
                .put("email", pick(EMAILS));
        if (random.nextInt(4) > 0) {
            context.put("country", pick(COUNTRIES));
        }
        if (random.nextInt(4) > 0) {
            context.put("version", pick(VERSIONS));
        }
        if (random.nextInt(4) > 0) {
            context.put("tier", pick(TIERS));
        }
        if (random.nextInt(2) > 0) {
            context.put("note", RandomInputs.text(random, 4) + pick(new String[] {"beta", "x", ""}));
        }
        return context;
    }

    private ObjectNode definitions() {
        ObjectNode file = mapper.createObjectNode().put("$schema", "https://flagd.dev/schema/v0/flags.json");
        ObjectNode evaluators = file.putObject("$evaluators");
        evaluators.set("dutch", in("country", "NL", "nl"));
        evaluators.set("early", semver("<", "1.2.0"));
        evaluators.set("dutch-or-early", operation("or", ref("dutch"), ref("early")));
        ObjectNode flags = file.putObject("flags");
        for (int f = 0; f < FLAGS; f++) {
            ObjectNode flag = flags.putObject("flag-" + f).put("state", "ENABLED");
            ObjectNode variants = flag.putObject("variants");
            int kind = f % 3;
            for (int v = 0; v < 3; v++) {
                if (kind == 0) {
                    variants.put("v" + v, "value-" + v);
                } else if (kind == 1) {
                    variants.put("v" + v, v * 1.5);
                } else {
                    variants.putObject("v" + v).put("color", "c" + v).putArray("sizes").add(v);
                }
            }
            flag.put("defaultVariant", "v" + random.nextInt(3));
            flag.set("targeting", f % 10 == 9 ? fractional() : chain(0));
        }
        return file;
    }

    private JsonNode chain(int depth) {
        ArrayNode arguments = mapper.createArrayNode();
        int pairs = 1 + random.nextInt(3);
        for (int p = 0; p < pairs; p++) {
            arguments.add(test(0));
            arguments.add(result(depth));
        }
        if (random.nextBoolean()) {
            arguments.add(result(depth));
        }
        return mapper.createObjectNode().set("if", arguments);
    }

    private JsonNode result(int depth) {
        int choice = random.nextInt(10);
        if (choice < 6 || depth > 0) {
            return mapper.getNodeFactory().textNode("v" + random.nextInt(3));
        }
        return choice < 8 ? fractional() : chain(depth + 1);
    }

    private JsonNode fractional() {
        ArrayNode arguments = mapper.createArrayNode();
        int by = random.nextInt(3);
        if (by == 1) {
            arguments.addObject().putArray("cat").add(variable("$flagd.flagKey")).add(variable("email"));
        } else if (by == 2) {
            arguments.add(variable("email"));
        }
        for (int v = 0; v < 3; v++) {
            ArrayNode bucket = arguments.addArray().add("v" + v);
            if (random.nextInt(4) > 0) {
                bucket.add((v == 0 ? 1 : 0) + random.nextInt(60));
            }
        }
        return mapper.createObjectNode().set("fractional", arguments);
    }

    private JsonNode test(int depth) {
        int choice = random.nextInt(depth > 0 ? 10 : 14);
        switch (choice) {
            case 0:
                return operation("starts_with", variable("email"), text(pick(new String[] {"ad", "b", "e"})));
            case 1:
                return operation("ends_with", variable("email"), text(pick(new String[] {"x.com", ".org", "y.com"})));
            case 2:
                return in("country", "NL", "DE");
            case 3:
                return operation("in", text("beta"), variable("note"));
            case 4:
                return semver(pick(new String[] {"=", "!=", ">", ">=", "<", "<=", "^", "~"}),
                        pick(new String[] {"1.2.0", "1.0.0", "2.0.0"}));
            case 5:
                return operation("==", variable("tier"), text("gold"));
            case 6:
                return operation("!=", text("silver"), variable("tier"));
            case 7:
                return ref(pick(new String[] {"dutch", "early", "dutch-or-early"}));
            case 8:
                return mapper.createObjectNode().set("!", operation("in", variable(pick(ATTRIBUTES)),
                        mapper.createArrayNode().add("NL").add("gold").add("1.0.0")));
            case 9:
                return mapper.createObjectNode().set("!", ref("early"));
            case 10:
            case 11:
                return operation("and", test(depth + 1), test(depth + 1));
            default:
                return operation("or", test(depth + 1), test(depth + 1));
        }
    }

    private ObjectNode in(String attribute, String... values) {
        ArrayNode list = mapper.createArrayNode();
        for (String v : values) {
            list.add(v);
        }
        return operation("in", variable(attribute), list);
    }

    private ObjectNode semver(String operator, String version) {
        return operation("sem_ver", variable("version"), text(operator), text(version));
    }

    private ObjectNode ref(String name) {
        return mapper.createObjectNode().put("$ref", name);
    }

    private ObjectNode variable(String name) {
        return mapper.createObjectNode().put("var", name);
    }

    private JsonNode text(String value) {
        return mapper.getNodeFactory().textNode(value);
    }

    private ObjectNode operation(String operator, JsonNode... arguments) {
        ObjectNode node = mapper.createObjectNode();
        ArrayNode list = node.putArray(operator);
        for (JsonNode argument : arguments) {
            list.add(argument);
        }
        return node;
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }
}
