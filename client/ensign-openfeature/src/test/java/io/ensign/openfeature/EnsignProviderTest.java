package io.ensign.openfeature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvent;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.Value;
import io.ensign.client.EnsignClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider through the stock OpenFeature SDK over a client that starts from a bootstrap file while its
 * server is unreachable: types, reasons, error codes, metadata, context merging and the STALE state. Its events
 * against a real server are ClientIT's.
 */
class EnsignProviderTest {
    private static final String DOCUMENT = """
            {"environment": "production", "version": 9,
             "flags": [
              {"key": "count", "type": "number", "variants": {"three": 3, "half": 0.5, "whole": 4.0},
               "defaultVariant": "three",
               "rules": [{"conditions": [{"attribute": "plan", "operator": "equals", "values": ["half"]}], "variant": "half"},
                         {"conditions": [{"attribute": "plan", "operator": "equals", "values": ["whole"]}], "variant": "whole"}],
               "version": 2},
              {"key": "eu", "type": "boolean", "variants": {"on": true, "off": false}, "defaultVariant": "off",
               "rules": [{"name": "europe", "conditions": [{"attribute": "country", "operator": "in", "values": ["NL"]},
                                         {"attribute": "tier", "operator": "equals", "values": ["gold"]}], "variant": "on"}],
               "version": 5},
              {"key": "rollout", "type": "string", "variants": {"a": "A", "b": "B"}, "defaultVariant": "a",
               "rules": [{"rollout": {"weights": {"a": 1, "b": 1}}}], "version": 1},
              {"key": "theme", "type": "object", "variants": {"dark": {"bg": "black", "sizes": [1, 2]}},
               "defaultVariant": "dark", "version": 1},
              {"key": "off", "type": "boolean", "enabled": false, "variants": {"on": true, "off": false},
               "defaultVariant": "off", "version": 1}],
             "segments": [], "experiments": [], "config": {}}""";

    @TempDir
    static Path dir;
    private static EnsignClient ensign;
    private static Client client;
    private static final OpenFeatureAPI API = OpenFeatureAPI.getInstance();

    @BeforeAll
    static void start() throws IOException {
        Path bootstrap = dir.resolve("bootstrap.json");
        Files.writeString(bootstrap, DOCUMENT);
        String nowhere;
        try (ServerSocket s = new ServerSocket(0)) {
            nowhere = "http://127.0.0.1:" + s.getLocalPort();
        }
        ensign = EnsignClient.builder(nowhere, "sdk-token").bootstrapFile(bootstrap)
                .closeTimeout(Duration.ofMillis(300)).build();
        API.setProviderAndWait(new EnsignProvider(ensign, Duration.ofMillis(200)));
        client = API.getClient();
    }

    @AfterAll
    static void stop() {
        API.shutdown();
        ensign.close();
    }

    @Test
    void aClientWithAStateButNoServerIsStaleAndServes() throws InterruptedException {
        CountDownLatch stale = new CountDownLatch(1);
        client.on(ProviderEvent.PROVIDER_STALE, e -> stale.countDown());
        assertTrue(stale.await(5, TimeUnit.SECONDS), "the STALE event, run for handlers added after it");
        assertEquals(ProviderState.STALE, client.getProviderState());
        assertEquals("ensign", API.getProviderMetadata().getName());
    }

    @Test
    void numbersAreServedAsIntegerDoubleAndLongWhereTheyFit() {
        assertEquals(3, client.getIntegerValue("count", 0));
        assertEquals(3.0, client.getDoubleValue("count", 0.0), "an integer asked as a double");
        assertEquals(4, client.getIntegerValue("count", 0, ctx("u", Map.of("plan", "whole"))),
                "a whole double asked as an integer");
        FlagEvaluationDetails<Integer> half = client.getIntegerDetails("count", -1, ctx("u", Map.of("plan", "half")));
        assertEquals(-1, half.getValue());
        assertEquals(ErrorCode.TYPE_MISMATCH, half.getErrorCode());
        assertEquals(0.5, client.getDoubleValue("count", 0.0, ctx("u", Map.of("plan", "half"))));
        FlagEvaluationDetails<String> mismatch = client.getStringDetails("count", "x");
        assertEquals("x", mismatch.getValue());
        assertEquals(ErrorCode.TYPE_MISMATCH, mismatch.getErrorCode());
    }

    @Test
    void objectsBooleansAndStringsCarryReasonsVariantsAndMetadata() {
        Value theme = client.getObjectValue("theme", new Value());
        assertEquals("black", theme.asStructure().getValue("bg").asString());
        assertEquals(2, theme.asStructure().getValue("sizes").asList().get(1).asInteger());
        assertEquals(Map.of("bg", "black", "sizes", List.of(1, 2)), theme.asStructure().asObjectMap(),
                "whole numbers come back as the SDK reads them");
        FlagEvaluationDetails<Boolean> off = client.getBooleanDetails("off", true);
        assertEquals(false, off.getValue());
        assertEquals("DISABLED", off.getReason());
        FlagEvaluationDetails<String> split = client.getStringDetails("rollout", "?", new ImmutableContext("user-7"));
        assertEquals("SPLIT", split.getReason());
        assertTrue(split.getValue().equals("A") || split.getValue().equals("B"));
        assertEquals(split.getValue().toLowerCase(), split.getVariant());
        assertEquals(1L, split.getFlagMetadata().getLong("flagVersion"));
    }

    @Test
    void errorsAreOpenFeaturesCodesWithTheCallersDefault() {
        FlagEvaluationDetails<String> noKey = client.getStringDetails("rollout", "dflt");
        assertEquals(ErrorCode.TARGETING_KEY_MISSING, noKey.getErrorCode());
        assertEquals("dflt", noKey.getValue());
        assertEquals("ERROR", noKey.getReason());
        FlagEvaluationDetails<Boolean> missing = client.getBooleanDetails("nope", true);
        assertEquals(ErrorCode.FLAG_NOT_FOUND, missing.getErrorCode());
        assertEquals(true, missing.getValue());
    }

    @Test
    void theApiClientAndInvocationContextsAreMergedBeforeEvaluation() {
        FlagEvaluationDetails<Boolean> details;
        API.setEvaluationContext(new ImmutableContext(Map.of("country", new Value("NL"))));
        try {
            assertEquals(false, client.getBooleanValue("eu", false, new ImmutableContext("u1")), "no tier yet");
            details = client.getBooleanDetails("eu", false, ctx("u1", Map.of("tier", "gold")));
        } finally {
            API.setEvaluationContext(new ImmutableContext());
        }
        assertEquals(true, details.getValue());
        assertEquals("TARGETING_MATCH", details.getReason());
        assertEquals("europe", details.getFlagMetadata().getString("rule"));
        assertNull(details.getErrorCode());
        assertEquals(false, client.getBooleanValue("eu", false, ctx("u1", Map.of("tier", "gold"))),
                "without the API's country");
    }

    private static ImmutableContext ctx(String key, Map<String, String> attributes) {
        Map<String, Value> values = new java.util.HashMap<>();
        attributes.forEach((k, v) -> values.put(k, new Value(v)));
        return new ImmutableContext(key, values);
    }
}
