package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.testing.data.RandomInputs;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team leaving GrowthBook: a random SDK payload ({@code {"features": ...}}) imported over HTTP into the running
 * server, then for random contexts every feature's OFREP answer equals what GrowthBook's own SDK answers for the
 * same payload and attributes: the value, the reason (GrowthBook's source: {@code defaultValue} is DEFAULT,
 * {@code force} TARGETING_MATCH, or SPLIT behind a coverage, {@code experiment} SPLIT) and, for an experiment, the
 * variant in the bucket position GrowthBook's {@code variationId} names in the imported rule. The SDK is
 * {@code @growthbook/growthbook} 1.8.0 from npm, run in this JVM on GraalJS: GrowthBook's JVM SDK is not served
 * from Maven Central (only its Kotlin multiplatform metadata is), and the Java SDK is on no registry reached here.
 *
 * <p>Features: boolean, string, number (some experiments serve one value from two variations) and JSON; one to
 * three rules each of force rules behind conditions, force rules with a coverage (hash versions 1 and 2, seeds,
 * the unit {@code id} or {@code company}), experiments with random weights (some invalid, which GrowthBook splits
 * equally), coverages, seeds, keys and hash versions. Conditions: string, number, boolean and null literals,
 * {@code $eq $ne $in $nin $gt $gte $lt $lte $regex $exists $not $and $or $nor $veq $vne $vgt $vgte $vlt $vlte}, and
 * the payload's saved groups by {@code $inGroup $notInGroup $savedGroup} (a list, a list by attribute, a condition).
 *
 * <p>The inputs stay where GrowthBook's JavaScript and Ensign mean the same on purpose, as docs/migration.md says:
 * numeric attributes are sent as JSON numbers (GrowthBook compares text and booleans with {@code $gt}... as
 * JavaScript coerces them, Ensign's {@code num_*} reads numbers and numeric text only), {@code beta} is a boolean
 * (GrowthBook's {@code {"beta": true}} holds for any truthy value, Ensign's {@code equals} for {@code true}), the
 * regular expressions are in the syntax both read alike, and every context has a non-empty targeting key (OFREP
 * answers TARGETING_KEY_MISSING for a split without one). Missing attributes are sent: GrowthBook reads them as
 * null (version 0, number 0, the text "null"), which the importer translates.
 */
class GrowthBookMigrationIT {
    private static final int FEATURES = 40;
    private static final int CONTEXTS = 1000;
    private static final String SDK_VERSION = "1.8.0";
    private static final String[] COUNTRIES = {"NL", "US", "DE", "FR", null};
    private static final String[] PLANS = {"free", "pro", "team", null};
    private static final String[] VERSIONS = {"1.2.0", "1.10.0", "v2.0.0", "1.2.0-beta.1", "1.2", "0.9.9", "", null};
    private static final String[] EMAILS = {"a@x.com", "b@y.org", "nobody", "bob@x.com", null};
    private static final String[] PATTERNS = {"@x\\.com$", "^b", "ul", "^n", "o"};
    private static final String[] VERSION_OPERATORS = {"$veq", "$vne", "$vgt", "$vgte", "$vlt", "$vlte"};
    private static final String[] ORDER_OPERATORS = {"$gt", "$gte", "$lt", "$lte"};
    private static final Path SDK = Path.of("target", "growthbook-sdk");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Random random = new Random(20261205L);
    /** The ids of the force rules with a coverage, which Ensign serves as a split. */
    private final Set<String> coveredForceRules = new HashSet<>();

    @TempDir
    Path work;

    @Test
    @Timeout(500)
    void importedGrowthBookFeaturesAnswerAsGrowthBooksSdkDoes() throws Exception {
        ObjectNode payload = mapper.createObjectNode();
        ObjectNode features = payload.putObject("features");
        ObjectNode groups = payload.putObject("savedGroups");
        groups.putArray("paying").add("pro").add("team");
        groups.putObject("dutch").put("type", "condition").putObject("condition").put("country", "NL");
        ObjectNode emails = groups.putObject("known-emails").put("type", "list").put("attributeKey", "email");
        emails.putArray("values").add("a@x.com").add("nobody");
        for (int f = 0; f < FEATURES; f++) {
            features.set("feature-" + f, feature(f));
        }
        long start = System.nanoTime();
        try (ServerProcess server = ServerProcess.start(work.resolve("data"), work.resolve("server.log"), http);
             Context js = Context.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build()) {
            HttpDriver api = server.driver();
            String token = EnsignConfiguration.ADMIN_TOKEN;
            ObjectNode unexpressible = payload.deepCopy();
            ((ObjectNode) unexpressible.at("/features/feature-1/rules/0")).putArray("parentConditions")
                    .addObject().put("id", "feature-0").putObject("condition").put("value", true);
            JsonNode dryRun = api.expect(200, "POST", "/api/v1/import?from=growthbook&dryRun=true", token,
                    mapper.writeValueAsString(unexpressible));
            JsonNode refused = dryRun.path("flags").path(1);
            assertEquals("untranslatable", refused.path("status").asText(), refused.toString());
            assertEquals("/features/feature-1/rules/0/parentConditions",
                    refused.at("/problems/0/field").asText(), refused.toString());
            assertEquals("create", dryRun.at("/flags/0/status").asText(), dryRun.toString());
            api.expect(422, "POST", "/api/v1/import?from=growthbook", token, mapper.writeValueAsString(unexpressible));
            assertEquals(0, api.expect(200, "GET", "/api/v1/flags", token, null).size(), "nothing written");

            JsonNode imported = api.expect(201, "POST", "/api/v1/import?from=growthbook", token,
                    mapper.writeValueAsString(payload));
            assertEquals(FEATURES, imported.path("flags").size());
            Map<String, JsonNode> flags = new HashMap<>();
            imported.path("flags").forEach(f -> flags.put(f.path("key").asText(), f.path("flag")));

            Value evaluate = growthBook(js, payload);
            int compared = 0;
            Map<String, Integer> sources = new TreeMap<>();
            for (int c = 0; c < CONTEXTS; c++) {
                ObjectNode attributes = attributes();
                ObjectNode context = attributes.deepCopy();
                context.remove("id");
                context.put("targetingKey", attributes.path("id").asText());
                JsonNode expected = mapper.readTree(evaluate.execute(mapper.writeValueAsString(attributes)).asString());
                JsonNode answers = api.expect(200, "POST", "/ofrep/v1/evaluate/flags", token,
                        mapper.writeValueAsString(mapper.createObjectNode().set("context", context))).path("flags");
                Map<String, JsonNode> byKey = new HashMap<>();
                answers.forEach(a -> byKey.put(a.path("key").asText(), a));
                for (Map.Entry<String, JsonNode> e : expected.properties()) {
                    JsonNode growthBook = e.getValue();
                    JsonNode answer = byKey.get(e.getKey());
                    String where = e.getKey() + " for " + attributes + ": Ensign " + answer + ", GrowthBook "
                            + growthBook + " of " + features.get(e.getKey());
                    assertTrue(sameValue(growthBook.path("value"), answer.path("value")), where);
                    String source = growthBook.path("source").asText();
                    assertEquals(reason(source, growthBook.path("ruleId").asText()), OfrepAnswers.ensignReason(answer),
                            where);
                    if ("experiment".equals(source)) {
                        JsonNode rule = flags.get(e.getKey()).path("rules")
                                .path(answer.path("metadata").path("ruleIndex").asInt());
                        List<String> variants = new ArrayList<>();
                        rule.path("rollout").path("weights").fieldNames().forEachRemaining(variants::add);
                        assertEquals(variants.get(growthBook.path("variationId").asInt()),
                                answer.path("variant").asText(), where);
                    }
                    sources.merge(source, 1, Integer::sum);
                    compared++;
                }
            }
            assertEquals(FEATURES * CONTEXTS, compared);
            assertTrue(sources.getOrDefault("experiment", 0) > CONTEXTS && sources.getOrDefault("force", 0) > CONTEXTS
                    && sources.getOrDefault("defaultValue", 0) > CONTEXTS, "every source among the answers: "
                    + sources);
            System.out.printf("GrowthBookMigrationIT compared %d OFREP answers with GrowthBook's SDK %s (%s) in %d s%n",
                    compared, SDK_VERSION, sources, (System.nanoTime() - start) / 1_000_000_000L);
        }
    }

    private String reason(String source, String ruleId) {
        switch (source) {
            case "defaultValue":
                return "DEFAULT";
            case "force":
                return coveredForceRules.contains(ruleId) ? "SPLIT" : "TARGETING_MATCH";
            default:
                return "SPLIT";
        }
    }

    /** JSON equality, numbers by value (JavaScript writes 1 where Ensign may write 1.0). */
    private static boolean sameValue(JsonNode growthBook, JsonNode ensign) {
        return growthBook.equals((a, b) -> a.isNumber() && b.isNumber() ? Double.compare(a.doubleValue(),
                b.doubleValue()) : a.equals(b) ? 0 : 1, ensign);
    }

    /**
     * GrowthBook's SDK on the payload: a function from the attributes (JSON) to every feature's value, source,
     * rule id and variation id (JSON), a new GrowthBook instance per call as a server-side SDK makes one per request.
     */
    private Value growthBook(Context js, ObjectNode payload) throws IOException, InterruptedException {
        Path bundle = SDK.resolve("node_modules/@growthbook/growthbook/dist/bundles/index.js");
        if (!Files.exists(bundle)) {
            // Never the test JVM's own streams: its standard input and output are the test runner's channel.
            Files.createDirectories(SDK);
            Path log = SDK.resolve("npm-install.log");
            Process npm = new ProcessBuilder("npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
                    SDK.toString(), "@growthbook/growthbook@" + SDK_VERSION).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            npm.getOutputStream().close();
            assertEquals(0, npm.waitFor(), "npm install @growthbook/growthbook@" + SDK_VERSION + ": "
                    + Files.readString(log));
        }
        js.eval(Source.newBuilder("js", bundle.toFile()).build());
        js.getBindings("js").putMember("payloadText", mapper.writeValueAsString(payload));
        return js.eval("js", """
                (function () {
                  const { features, savedGroups } = JSON.parse(payloadText);
                  return function (attributes) {
                    const gb = new growthbook.GrowthBook({ features, savedGroups,
                                                         attributes: JSON.parse(attributes) });
                    const out = {};
                    for (const key of Object.keys(features)) {
                      const r = gb.evalFeature(key);
                      out[key] = { value: r.value, source: r.source, ruleId: r.ruleId,
                                   variationId: r.experimentResult ? r.experimentResult.variationId : null };
                    }
                    gb.destroy();
                    return JSON.stringify(out);
                  };
                })()""");
    }

    private ObjectNode attributes() {
        ObjectNode attributes = mapper.createObjectNode().put("id", "u" + RandomInputs.text(random, 12));
        put(attributes, "country", COUNTRIES[random.nextInt(COUNTRIES.length)]);
        put(attributes, "plan", PLANS[random.nextInt(PLANS.length)]);
        put(attributes, "version", VERSIONS[random.nextInt(VERSIONS.length)]);
        put(attributes, "email", EMAILS[random.nextInt(EMAILS.length)]);
        if (random.nextInt(4) != 0) {
            attributes.put("company", random.nextInt(8) == 0 ? "" : RandomInputs.text(random, 10));
        }
        if (random.nextInt(5) != 0) {
            attributes.put("age", random.nextInt(80));
        }
        if (random.nextInt(3) != 0) {
            attributes.put("beta", random.nextBoolean());
        }
        return attributes;
    }

    private static void put(ObjectNode attributes, String name, String value) {
        if (value != null) {
            attributes.put(name, value);
        }
    }

    /** Feature f: its type by f mod 4 (boolean, string, number, JSON), one to three random rules. */
    private ObjectNode feature(int f) {
        int type = f % 4;
        ObjectNode feature = mapper.createObjectNode();
        feature.set("defaultValue", value(type, 0));
        ArrayNode rules = feature.putArray("rules");
        for (int r = 1 + random.nextInt(3); r > 0; r--) {
            String id = "fr-" + f + "-" + rules.size();
            ObjectNode rule = rules.addObject().put("id", id);
            int kind = random.nextInt(3);
            if (kind == 0 || random.nextInt(3) == 0) {
                rule.set("condition", condition(2));
            }
            if (kind == 2) {
                experiment(rule, type);
                continue;
            }
            rule.set("force", value(type, 1 + random.nextInt(4)));
            if (kind == 1) {
                coveredForceRules.add(id);
                double coverage = random.nextInt(6) == 0 ? random.nextInt(2) : Math.round(random.nextDouble() * 100)
                        / 100.0;
                rule.put("coverage", coverage);
                bucketing(rule);
                if (coverage == 0) {
                    coveredForceRules.remove(id);
                }
            }
        }
        return feature;
    }

    private void experiment(ObjectNode rule, int type) {
        int count = 2 + random.nextInt(3);
        ArrayNode variations = rule.putArray("variations");
        for (int v = 0; v < count; v++) {
            // number features repeat a value now and then: two variations, one value
            variations.add(value(type, type == 2 && random.nextInt(4) == 0 ? 1 : v));
        }
        int weights = random.nextInt(5);
        if (weights > 0) {
            ArrayNode list = rule.putArray("weights");
            double[] raw = new double[count];
            double sum = 0;
            for (int v = 0; v < count; v++) {
                raw[v] = v > 0 && random.nextInt(5) == 0 ? 0 : random.nextDouble() + 0.01;
                sum += raw[v];
            }
            for (int v = 0; v < count; v++) {
                // rounded as GrowthBook stores them; one in four written scaled to add up to 0.6, invalid to GrowthBook
                double w = raw[v] / sum * (weights == 1 ? 0.6 : 1);
                list.add(Math.round(w * 1000) / 1000.0);
            }
        }
        if (random.nextBoolean()) {
            rule.put("coverage", Math.round(random.nextDouble() * 100) / 100.0);
        }
        if (random.nextBoolean()) {
            rule.put("key", "exp-" + RandomInputs.text(random, 6));
        }
        bucketing(rule);
    }

    private void bucketing(ObjectNode rule) {
        if (random.nextInt(3) == 0) {
            rule.put("hashAttribute", "company");
        }
        if (random.nextBoolean()) {
            rule.put("seed", RandomInputs.text(random, 10));
        }
        int version = random.nextInt(3);
        if (version > 0) {
            rule.put("hashVersion", version);
        }
    }

    /** Variant {@code n} of a feature's type: n = 0 is the default value. */
    private JsonNode value(int type, int n) {
        switch (type) {
            case 0:
                return mapper.getNodeFactory().booleanNode(n % 2 == 1);
            case 1:
                return mapper.getNodeFactory().textNode(new String[] {"control", "blue", "green", "red one", "é"}[n]);
            case 2:
                return mapper.getNodeFactory().numberNode(new double[] {0, 1, 2.5, 10, -3}[n]);
            default:
                ObjectNode json = mapper.createObjectNode().put("n", n);
                json.putArray("tags").add("t" + n);
                return json;
        }
    }

    /** A random condition; {@code depth} bounds its nesting. */
    private ObjectNode condition(int depth) {
        ObjectNode c = mapper.createObjectNode();
        int kind = random.nextInt(depth > 0 ? 18 : 14);
        switch (kind) {
            case 0 -> c.put("country", COUNTRIES[random.nextInt(COUNTRIES.length - 1)]);
            case 1 -> c.putObject("country").put("$eq", COUNTRIES[random.nextInt(COUNTRIES.length - 1)]);
            case 2 -> c.putObject("plan").put("$ne", PLANS[random.nextInt(PLANS.length - 1)]);
            case 3 -> c.putObject("country").putArray("$in").add("NL").add("US");
            case 4 -> {
                if (random.nextBoolean()) {
                    c.putObject("plan").putArray("$nin").add("free");
                } else {
                    c.putObject("plan").putObject("$not").putArray("$in").add("pro").add("team");
                }
            }
            case 5 -> c.putObject("age").put(ORDER_OPERATORS[random.nextInt(4)], random.nextInt(70) - 5);
            case 6 -> c.putObject("email").put("$regex", PATTERNS[random.nextInt(PATTERNS.length)]);
            case 7 -> c.putObject("beta").put("$exists", random.nextBoolean());
            case 8 -> c.putObject("version").put(VERSION_OPERATORS[random.nextInt(6)],
                    VERSIONS[random.nextInt(VERSIONS.length - 2)]);
            case 9 -> c.put("age", random.nextBoolean() ? 0 : 30);
            case 10 -> c.put("beta", random.nextBoolean());
            case 11 -> c.putNull("company");
            case 12 -> c.putObject("plan").put(random.nextBoolean() ? "$inGroup" : "$notInGroup", "paying");
            case 13 -> c.putObject("$savedGroup").put("id", random.nextBoolean() ? "dutch" : "known-emails");
            case 14 -> c.set("$not", condition(depth - 1));
            case 15 -> c.putArray("$or").add(condition(depth - 1)).add(condition(depth - 1));
            case 16 -> c.putArray("$and").add(condition(depth - 1)).add(condition(depth - 1));
            default -> c.putArray("$nor").add(condition(depth - 1));
        }
        return c;
    }
}
