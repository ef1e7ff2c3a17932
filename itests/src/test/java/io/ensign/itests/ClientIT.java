package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvent;
import dev.openfeature.sdk.Value;
import io.ensign.api.evaluation.MissingTargetingKey;
import io.ensign.api.model.EvaluationContext;
import io.ensign.api.model.EvaluationResult;
import io.ensign.client.ClientStatus;
import io.ensign.client.EnsignClient;
import io.ensign.client.TrackingStats;
import io.ensign.codec.PlainValues;
import io.ensign.openfeature.EnsignProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client and its OpenFeature provider as an application uses them, against the server process: random
 * flags, segments and contexts evaluated through the client, the provider and OFREP agree in every case; tracking
 * reaches the events route; a change reaches the listeners; with the server killed evaluations go on and a new
 * client starts from the backup file; with the server back both catch up with every change they missed.
 */
class ClientIT {
    private static final String ADMIN = EnsignConfiguration.ADMIN_TOKEN;
    private static final String[] TYPES = {"boolean", "string", "number"};
    private static final long SEED = Long.getLong("ensign.client.seed", 20261203L);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ObjectMapper mapper = new ObjectMapper();
    private final Random random = new Random(SEED);
    private final Map<String, String> flagTypes = new LinkedHashMap<>();

    @TempDir
    Path work;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void clientProviderAndOfrepAgreeAndTheClientOutlivesTheServer() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Path data = work.resolve("data");
        Path log = work.resolve("server.log");
        int port = EnsignConfiguration.freePort();
        ServerProcess server = ServerProcess.start(ServerProcess.distribution(), data, log, http, port);
        EnsignClient a = null;
        EnsignClient b = null;
        OpenFeatureAPI api = OpenFeatureAPI.getInstance();
        try {
            HttpDriver driver = server.driver();
            String sdk = driver.token("sdk", "production");
            seed(driver);
            String base = "http://127.0.0.1:" + port;
            Path backup = work.resolve("backup-a.json");
            a = EnsignClient.builder(base, sdk).backupFile(backup).reconnectDelay(Duration.ofSeconds(1),
                    Duration.ofSeconds(2)).closeTimeout(Duration.ofSeconds(2)).build();
            assertTrue(a.awaitReady(WAIT), "the client is current with the server");
            EnsignClient ca = a;

            List<String> events = new CopyOnWriteArrayList<>();
            List<String> changedByEvent = new CopyOnWriteArrayList<>();
            api.onProviderStale(e -> events.add("STALE"));
            api.onProviderReady(e -> events.add("READY"));
            api.onProviderConfigurationChanged(e -> changedByEvent.addAll(e.getFlagsChanged()));
            api.setProviderAndWait(new EnsignProvider(a));
            Client of = api.getClient();

            List<EvaluationContext> contexts = contexts(150);
            int compared = agree(a, of, driver, sdk, contexts);
            assertTrue(compared >= flagTypes.size() * 150, compared + " cases");

            tracking(a);
            liveChanges(a, driver, changedByEvent);
            streamedChanges(a, of, driver, sdk);

            Map<String, EvaluationResult> before = results(a, contexts);
            server.kill();
            await(() -> ca.status() == ClientStatus.STALE, "the client goes stale without its server");
            await(() -> events.contains("STALE"), "the provider says STALE");
            assertEquals(before, results(a, contexts), "evaluations go on from the snapshot");

            Path backupB = work.resolve("backup-b.json");
            Files.copy(backup, backupB);
            b = EnsignClient.builder(base, sdk).backupFile(backupB).reconnectDelay(Duration.ofSeconds(1),
                    Duration.ofSeconds(2)).closeTimeout(Duration.ofSeconds(2)).build();
            assertEquals(ClientStatus.STALE, b.status());
            assertEquals(a.version(), b.version());
            assertEquals(before, results(b, contexts), "a new client starts from the backup file");

            server = ServerProcess.start(ServerProcess.distribution(), data, log, http, port);
            driver = server.driver();
            changeWhileTheClientsAreAway(driver);
            long target = driver.expect(200, "GET", "/api/v1/sync?environment=production", ADMIN, null)
                    .path("version").asLong();
            EnsignClient cb = b;
            await(() -> ca.version() >= target && cb.version() >= target, "both clients catch up to " + target);
            assertEquals(4000, a.getInt("checkout", "timeoutMs", 0));
            assertEquals(4000, b.getInt("checkout", "timeoutMs", 0));
            await(() -> events.lastIndexOf("READY") > events.lastIndexOf("STALE"), "the provider is READY again");
            List<EvaluationContext> after = contexts(60);
            agree(a, of, driver, sdk, after);
            assertEquals(results(a, after), results(b, after), "the client started from the backup agrees too");
        } finally {
            api.shutdown();
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
            server.close();
        }
    }

    // ------------------------------------------------------------------ the state

    private void seed(HttpDriver driver) {
        driver.expect(201, "PUT", "/api/v1/segments/staff", ADMIN, "{\"conditions\":[{\"attribute\":\"email\","
                + "\"operator\":\"ends_with\",\"values\":[\"@ensign.example\"]}],\"excluded\":[\"user-3\"]}");
        driver.expect(201, "PUT", "/api/v1/segments/adults", ADMIN, "{\"conditions\":[{\"attribute\":\"age\","
                + "\"operator\":\"gte\",\"values\":[18]}],\"included\":[\"user-1\"]}");
        for (int i = 0; i < 16; i++) {
            putFlag(driver, "f" + i, TYPES[i % TYPES.length]);
        }
        driver.expect(201, "PUT", "/api/v1/config/checkout/timeoutMs", ADMIN, "{\"value\":2500}");
        driver.expect(201, "PUT", "/api/v1/flags/exp-flag", ADMIN, "{\"type\":\"boolean\",\"variants\":{\"on\":true,"
                + "\"off\":false},\"defaultVariant\":\"off\"}");
        flagTypes.put("exp-flag", "boolean");
        driver.expect(201, "PUT", "/api/v1/experiments/exp", ADMIN, "{\"flag\":\"exp-flag\",\"environment\":"
                + "\"production\",\"control\":\"off\",\"weights\":{\"off\":50,\"on\":50},\"metrics\":[{\"name\":"
                + "\"converted\",\"kind\":\"proportion\"}],\"primaryMetric\":\"converted\","
                + "\"minimumDetectableEffect\":0.05}");
        driver.expect(200, "POST", "/api/v1/experiments/exp/start", ADMIN, null);
    }

    private void putFlag(HttpDriver driver, String key, String type) {
        HttpResponse<String> response = driver.send("PUT", "/api/v1/flags/" + key, ADMIN, randomFlag(type).toString());
        assertTrue(response.statusCode() == 200 || response.statusCode() == 201, response.body());
        flagTypes.put(key, type);
    }

    private ObjectNode randomFlag(String type) {
        ObjectNode flag = mapper.createObjectNode().put("type", type);
        ObjectNode variants = flag.putObject("variants");
        List<String> names = new ArrayList<>();
        int count = 2 + random.nextInt(2);
        for (int v = 0; v < count; v++) {
            String name = "v" + v;
            names.add(name);
            switch (type) {
                case "boolean" -> variants.put(name, v % 2 == 0);
                case "string" -> variants.put(name, "s" + random.nextInt(100));
                default -> {
                    if (random.nextBoolean()) {
                        variants.put(name, (long) random.nextInt(100));
                    } else {
                        variants.put(name, random.nextInt(1000) / 8.0);
                    }
                }
            }
        }
        flag.put("defaultVariant", pick(names));
        flag.put("enabled", random.nextInt(10) > 0);
        if (random.nextBoolean()) {
            flag.putObject("overrides").put("user-" + random.nextInt(5), pick(names));
        }
        flag.set("rules", rules(names));
        if (random.nextInt(4) == 0) {
            ObjectNode production = flag.putObject("environments").putObject("production");
            if (random.nextBoolean()) {
                production.put("enabled", random.nextBoolean());
            } else {
                production.put("defaultVariant", pick(names));
                production.set("rules", rules(names));
            }
        }
        return flag;
    }

    private ArrayNode rules(List<String> names) {
        ArrayNode rules = mapper.createArrayNode();
        int count = random.nextInt(4);
        for (int r = 0; r < count; r++) {
            ObjectNode rule = rules.addObject();
            if (random.nextInt(3) == 0) {
                rule.put("segment", random.nextBoolean() ? "staff" : "adults");
            }
            if (random.nextInt(3) > 0) {
                ArrayNode conditions = rule.putArray("conditions");
                int n = 1 + random.nextInt(2);
                for (int c = 0; c < n; c++) {
                    conditions.add(condition());
                }
            }
            if (random.nextBoolean()) {
                ObjectNode rollout = rule.putObject("rollout");
                ObjectNode weights = rollout.putObject("weights");
                names.forEach(name -> weights.put(name, random.nextInt(5)));
                weights.put(names.get(0), 1 + random.nextInt(5));
                if (random.nextInt(3) == 0) {
                    rollout.put("salt", "salt-" + random.nextInt(10));
                }
            } else {
                rule.put("variant", pick(names));
            }
        }
        return rules;
    }

    private ObjectNode condition() {
        ObjectNode c = mapper.createObjectNode();
        switch (random.nextInt(5)) {
            case 0 -> c.put("attribute", "country").put("operator", "in").putArray("values").add("NL").add("DE");
            case 1 -> c.put("attribute", "plan").put("operator", "equals").putArray("values").add("pro");
            case 2 -> c.put("attribute", "age").put("operator", "gt").putArray("values").add(30 + random.nextInt(20));
            case 3 -> c.put("attribute", "appVersion").put("operator", "semver_gt").putArray("values").add("9.0.0");
            default -> c.put("attribute", "email").put("operator", "ends_with").putArray("values").add("@ensign.example");
        }
        if (random.nextInt(5) == 0) {
            c.put("negate", true);
        }
        return c;
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private List<EvaluationContext> contexts(int n) {
        List<EvaluationContext> contexts = new ArrayList<>();
        String[] countries = {"NL", "DE", "FR", "US"};
        String[] plans = {"free", "pro", "team"};
        for (int i = 0; i < n; i++) {
            Map<String, Object> attributes = new HashMap<>();
            if (random.nextInt(4) > 0) {
                attributes.put("country", countries[random.nextInt(countries.length)]);
            }
            if (random.nextInt(4) > 0) {
                attributes.put("plan", plans[random.nextInt(plans.length)]);
            }
            if (random.nextInt(4) > 0) {
                attributes.put("age", random.nextBoolean() ? (Object) (long) (10 + random.nextInt(60))
                        : (Object) (10 + random.nextInt(600) / 10.0));
            }
            if (random.nextInt(3) > 0) {
                attributes.put("appVersion", random.nextBoolean() ? "9.1.0" : "8.4.2");
            }
            if (random.nextInt(3) > 0) {
                attributes.put("email", "u" + i + (random.nextBoolean() ? "@ensign.example" : "@customer.example"));
            }
            String key = random.nextInt(10) == 0 ? null : "user-" + random.nextInt(60);
            contexts.add(new EvaluationContext(key, attributes));
        }
        return contexts;
    }

    // ------------------------------------------------------------------ agreement

    /** Every flag for every context through the three paths; returns the number of cases compared. */
    private int agree(EnsignClient client, Client of, HttpDriver driver, String sdk, List<EvaluationContext> contexts)
            throws Exception {
        int cases = 0;
        for (EvaluationContext context : contexts) {
            for (Map.Entry<String, String> flag : flagTypes.entrySet()) {
                String label = flag.getKey() + " for " + context;
                EvaluationResult local = client.evaluate(flag.getKey(), context, MissingTargetingKey.ERROR);
                ObjectNode body = mapper.createObjectNode();
                ObjectNode ctx = body.putObject("context");
                if (context.targetingKey() != null) {
                    ctx.put("targetingKey", context.targetingKey());
                }
                context.attributes().forEach((k, v) -> ctx.set(k, PlainValues.toJson(v)));
                HttpResponse<String> response = driver.send("POST", "/ofrep/v1/evaluate/flags/" + flag.getKey(), sdk,
                        body.toString());
                JsonNode ofrep = mapper.readTree(response.body());
                FlagEvaluationDetails<?> details = details(of, flag.getKey(), flag.getValue(), context);
                if (local.isError()) {
                    assertEquals(local.errorCode().name(), ofrep.path("errorCode").asText(), label + ": " + ofrep);
                    assertEquals(local.errorCode().name(), String.valueOf(details.getErrorCode()), label);
                } else {
                    assertEquals(200, response.statusCode(), label + ": " + response.body());
                    assertEquals(PlainValues.toJson(local.value()).asDouble(), ofrep.path("value").asDouble(), label);
                    assertEquals(PlainValues.toJson(local.value()).asText(), ofrep.path("value").asText(), label);
                    assertEquals(local.variant(), ofrep.path("variant").asText(), label);
                    String reason = ofrep.path("metadata").path("ensignReason").asText(ofrep.path("reason").asText());
                    assertEquals(local.reason().name(), reason, label);
                    assertEquals(local.variant(), details.getVariant(), label);
                    assertEquals(local.reason().name(), details.getReason(), label);
                    Object value = details.getValue();
                    assertEquals(local.value() instanceof Number n ? (Object) n.doubleValue() : local.value(), value,
                            label);
                    assertEquals(null, details.getErrorCode(), label);
                }
                cases++;
            }
        }
        return cases;
    }

    private static FlagEvaluationDetails<?> details(Client of, String key, String type, EvaluationContext context)
            throws Exception {
        Map<String, Value> values = new HashMap<>();
        for (Map.Entry<String, Object> e : context.attributes().entrySet()) {
            values.put(e.getKey(), new Value(e.getValue()));
        }
        ImmutableContext ctx = new ImmutableContext(context.targetingKey(), values);
        return switch (type) {
            case "boolean" -> of.getBooleanDetails(key, false, ctx);
            case "string" -> of.getStringDetails(key, "", ctx);
            default -> of.getDoubleDetails(key, -1.0, ctx);
        };
    }

    private Map<String, EvaluationResult> results(EnsignClient client, List<EvaluationContext> contexts) {
        Map<String, EvaluationResult> results = new LinkedHashMap<>();
        for (int i = 0; i < contexts.size(); i++) {
            for (String flag : flagTypes.keySet()) {
                results.put(flag + "#" + i, client.evaluate(flag, contexts.get(i), MissingTargetingKey.ERROR));
            }
        }
        return results;
    }

    // ------------------------------------------------------------------ tracking, changes, catching up

    private static void tracking(EnsignClient client) {
        assertTrue(client.flush(WAIT), "the exposures of the agreement run go first");
        TrackingStats before = client.trackingStats();
        for (int i = 0; i < 20; i++) {
            client.evaluate("exp-flag", new EvaluationContext("unit-" + i, Map.of()));
            client.evaluate("exp-flag", new EvaluationContext("unit-" + i, Map.of())); // exposed once
        }
        for (int i = 0; i < 10; i++) {
            client.track("converted", "unit-" + i, 1);
        }
        assertTrue(client.flush(WAIT), "the queue empties");
        TrackingStats stats = client.trackingStats();
        assertEquals(new TrackingStats(before.sent() + 30, 0, 0, 0), stats, "20 exposures and 10 metric events taken");
    }

    private void liveChanges(EnsignClient client, HttpDriver driver, List<String> changedByEvent) throws Exception {
        List<Long> versions = new CopyOnWriteArrayList<>();
        List<JsonNode> timeouts = new CopyOnWriteArrayList<>();
        List<String> flagChanges = new CopyOnWriteArrayList<>();
        client.onChange(c -> versions.add(client.version()));
        client.onFlagChange("f1", flagChanges::add);
        client.onConfigChange("checkout", "timeoutMs", timeouts::add);
        for (int i = 0; i < 5; i++) {
            driver.expect(200, "PUT", "/api/v1/flags/f1", ADMIN, "{\"type\":\"string\",\"variants\":{\"only\":\"v"
                    + i + "\"},\"defaultVariant\":\"only\"}");
        }
        driver.expect(200, "PUT", "/api/v1/config/checkout/timeoutMs", ADMIN, "{\"value\":3000}");
        await(() -> "v4".equals(client.stringValue("f1", null, null)), "the last write of f1 arrives");
        await(() -> client.getInt("checkout", "timeoutMs", 0) == 3000, "the config write arrives");
        await(() -> changedByEvent.contains("f1"), "CONFIGURATION_CHANGED names f1");
        // the state is visible to readers before the listeners of its change have run
        await(() -> !flagChanges.isEmpty(), "the listener of f1 hears of its change");
        assertTrue(flagChanges.stream().allMatch("f1"::equals), flagChanges.toString());
        await(() -> !timeouts.isEmpty() && timeouts.get(timeouts.size() - 1).asInt() == 3000,
                "the listener of checkout/timeoutMs hears 3000");
        for (int i = 1; i < versions.size(); i++) {
            assertTrue(versions.get(i) > versions.get(i - 1), "no state applied twice: " + versions);
        }
    }

    /**
     * Changes of every kind a stream event carries, made while the client follows the stream: it applies them from
     * the events' objects, without fetching the document (the server counts no sync request meanwhile), and then
     * agrees with OFREP as after a fetch.
     */
    private void streamedChanges(EnsignClient client, Client of, HttpDriver driver, String sdk) throws Exception {
        double fetches = syncRequests(driver);
        assertTrue(fetches > 0, "the metrics count the client's first fetch");
        long before = driver.expect(200, "GET", "/api/v1/audit?limit=1", ADMIN, null).path("lastSequence").asLong();
        putFlag(driver, "g0", "string");
        putFlag(driver, "f3", flagTypes.get("f3"));
        driver.expect(204, "DELETE", "/api/v1/flags/f8", ADMIN, null);
        driver.expect(200, "PUT", "/api/v1/segments/adults", ADMIN, "{\"conditions\":[{\"attribute\":\"age\","
                + "\"operator\":\"gte\",\"values\":[40]}],\"excluded\":[\"user-2\"]}");
        driver.expect(200, "POST", "/api/v1/experiments/exp/stop", ADMIN, null);
        long last = 0;
        for (JsonNode record : driver.expect(200, "GET", "/api/v1/audit?since=" + before, ADMIN, null)
                .path("records")) {
            if (List.of("flag", "segment", "experiment").contains(record.path("kind").asText())) {
                last = Math.max(last, record.path("sequence").asLong());
            }
        }
        long applied = last;
        await(() -> client.version() >= applied, "the client applies the five changes up to " + applied);
        assertEquals(fetches, syncRequests(driver), "applied from the events, no document fetched");
        agree(client, of, driver, sdk, contexts(40));
    }

    /** How many requests {@code GET /api/v1/sync} has answered, as the server's metrics count them. */
    private static double syncRequests(HttpDriver driver) {
        String metrics = driver.send("GET", "/metrics", ADMIN, null).body();
        return metrics.lines().filter(l -> l.startsWith("ensign_http_request_duration_seconds_count{")
                && l.contains("route=\"/api/v1/sync\"")).mapToDouble(l -> Double.parseDouble(
                        l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Writes made right after the restart, while the clients wait out their reconnect delay. */
    private void changeWhileTheClientsAreAway(HttpDriver driver) {
        for (int i = 2; i < 6; i++) {
            putFlag(driver, "f" + i, flagTypes.get("f" + i));
        }
        driver.expect(204, "DELETE", "/api/v1/flags/f7", ADMIN, null);
        driver.expect(200, "PUT", "/api/v1/segments/staff", ADMIN, "{\"conditions\":[{\"attribute\":\"email\","
                + "\"operator\":\"ends_with\",\"values\":[\"@customer.example\"]}]}");
        driver.expect(200, "PUT", "/api/v1/config/checkout/timeoutMs", ADMIN, "{\"value\":4000}");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Eventually.await(WAIT, condition, what);
    }
}
