package io.ensign.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvaluation;
import io.ensign.api.model.EvaluationContext;
import io.ensign.api.model.EvaluationResult;
import io.ensign.api.model.Reason;
import io.ensign.assignment.flagd.internal.FlagdFractionalAssignment;
import io.ensign.assignment.unleash.internal.UnleashRolloutAssignment;
import io.ensign.client.EnsignClient;
import io.ensign.openfeature.EnsignProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link EvaluationBenchmark}'s flag, segment and contexts evaluated in process through the Java client, and through
 * its OpenFeature provider (called directly, and through the stock SDK's client). {@code checkout-on} is the same
 * flag with boolean variants; {@code simple-on} is a boolean flag of three rules without {@code semver_gt} (whose
 * test parses the attribute on every call), for the allocation of a boolean evaluation. The client starts from a
 * bootstrap file holding the sync document of that state, its server address refusing connections: evaluation is
 * local either way, and the background thread's retries stay out of the measured path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClientEvaluationBenchmark {
    /** Three rules to the rollout as well, without {@code semver_gt}, whose test parses the attribute each time. */
    private static final String NO_SEMVER = """
            {"key":"simple-on","version":1,"type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off",
             "rules":[{"segment":"staff","variant":"on"},
                      {"conditions":[{"attribute":"country","operator":"in","values":["BE","FR"]}],"variant":"on"},
                      {"conditions":[{"attribute":"plan","operator":"equals","values":["pro"]}],
                       "rollout":{"weights":{"on":20,"off":80}}}]}""";

    static final String UNLEASH = "unleash";
    static final String FLAGD = "flagd-fractional";

    private Path dir;
    private EnsignClient client;
    private EnsignProvider provider;
    private Client openFeature;
    private EvaluationContext[] contexts;
    private ImmutableContext[] openFeatureContexts;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("ensign-client-bench");
        client = client(dir);
        provider = new EnsignProvider(client, Duration.ofMillis(100));
        OpenFeatureAPI.getInstance().setProviderAndWait(provider);
        openFeature = OpenFeatureAPI.getInstance().getClient();

        contexts = EvaluationBenchmark.contexts();
        openFeatureContexts = new ImmutableContext[contexts.length];
        for (int i = 0; i < contexts.length; i++) {
            openFeatureContexts[i] = PeerFlags.openFeatureContext(contexts[i]);
        }
        EvaluationResult probe = client.evaluate("checkout", contexts[0]);
        if (probe.reason() != Reason.SPLIT) {
            throw new IllegalStateException("the benchmark must reach the rollout rule, got " + probe);
        }
    }

    /**
     * The client started from a bootstrap file in {@code dir} holding {@link #document()}, with the peers' assignment
     * strategies registered; its server address refuses connections.
     */
    static EnsignClient client(Path dir) throws IOException {
        Path bootstrap = dir.resolve("bootstrap.json");
        Files.write(bootstrap, document());
        return EnsignClient.builder(PeerFlags.nowhere(), "sdk-token").bootstrapFile(bootstrap)
                .reconnectDelay(Duration.ofSeconds(30), Duration.ofSeconds(60))
                .strategy(UNLEASH, new UnleashRolloutAssignment())
                .strategy(FLAGD, new FlagdFractionalAssignment()).build();
    }

    /** The key of the copy of a boolean flag that buckets as the peer of assignment strategy {@code strategy}. */
    static String peerKey(String flag, String strategy) {
        return flag + "." + strategy;
    }

    /**
     * The sync document: {@code checkout}, its boolean twin {@code checkout-on}, {@code simple-on}, and for each
     * boolean flag one copy per peer whose rollout uses that peer's strategy, salted with the flag's key as the peer
     * salts it (Unleash's {@code groupId}, flagd's flag key).
     */
    private static byte[] document() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode doc = mapper.createObjectNode().put("environment", "production").put("version", 1);
        ObjectNode flag = ((ObjectNode) mapper.readTree(EvaluationBenchmark.FLAG)).put("key", "checkout")
                .put("version", 1);
        ObjectNode booleanFlag = flag.deepCopy().put("key", PeerFlags.CHECKOUT).put("type", "boolean");
        booleanFlag.putObject("variants").put("control", false).put("beta", true).put("treatment", true);
        ObjectNode noSemver = (ObjectNode) mapper.readTree(NO_SEMVER);
        ArrayNode flags = doc.putArray("flags").add(flag).add(booleanFlag).add(noSemver);
        for (ObjectNode booleanOne : List.of(booleanFlag, noSemver)) {
            for (String strategy : List.of(UNLEASH, FLAGD)) {
                String key = booleanOne.get("key").asText();
                ObjectNode copy = booleanOne.deepCopy().put("key", peerKey(key, strategy));
                ((ObjectNode) copy.get("rules").get(2).get("rollout")).put("strategy", strategy).put("salt", key);
                flags.add(copy);
            }
        }
        return withStaffSegment(mapper, doc);
    }

    /**
     * Completes a sync document holding {@code flags} with the engine benchmark's segment {@code staff}, no
     * experiment and no configuration; its bytes.
     */
    static byte[] withStaffSegment(ObjectMapper mapper, ObjectNode doc) throws IOException {
        doc.putArray("segments").add(((ObjectNode) mapper.readTree(EvaluationBenchmark.SEGMENT)).put("key", "staff")
                .put("version", 1));
        doc.putArray("experiments");
        doc.putObject("config");
        return mapper.writeValueAsBytes(doc);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        OpenFeatureAPI.getInstance().shutdown();
        client.close();
        Files.deleteIfExists(dir.resolve("bootstrap.json"));
        Files.deleteIfExists(dir);
    }

    /** The client's full result, the engine benchmark's flag and path. */
    @Benchmark
    public EvaluationResult clientEvaluate() {
        return client.evaluate("checkout", contexts[next++ & (EvaluationBenchmark.CONTEXTS - 1)]);
    }

    /** A boolean flag's value through the client: what an application's {@code if} costs. */
    @Benchmark
    public boolean clientBooleanValue() {
        return client.booleanValue(PeerFlags.CHECKOUT, contexts[next++ & (EvaluationBenchmark.CONTEXTS - 1)], false);
    }

    /** A boolean flag of three rules that allocate nothing (no {@code semver_gt}), through the client. */
    @Benchmark
    public boolean clientBooleanValueNoSemver() {
        return client.booleanValue("simple-on", contexts[next++ & (EvaluationBenchmark.CONTEXTS - 1)], false);
    }

    /** The provider called as the SDK calls it, with an OpenFeature context to convert. */
    @Benchmark
    public ProviderEvaluation<String> providerStringEvaluation() {
        return provider.getStringEvaluation("checkout", "classic",
                openFeatureContexts[next++ & (EvaluationBenchmark.CONTEXTS - 1)]);
    }

    /** A boolean flag through the provider called as the SDK calls it, as flagd's is in PeerEvaluationBenchmark. */
    @Benchmark
    public ProviderEvaluation<Boolean> providerBooleanEvaluation() {
        return provider.getBooleanEvaluation(PeerFlags.CHECKOUT, false,
                openFeatureContexts[next++ & (EvaluationBenchmark.CONTEXTS - 1)]);
    }

    /** A boolean through the stock OpenFeature SDK client over the provider (hooks, context merging included). */
    @Benchmark
    public boolean openFeatureClientBooleanValue() {
        return openFeature.getBooleanValue(PeerFlags.CHECKOUT, false,
                openFeatureContexts[next++ & (EvaluationBenchmark.CONTEXTS - 1)]);
    }
}
