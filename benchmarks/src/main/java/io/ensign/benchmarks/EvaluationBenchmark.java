package io.ensign.benchmarks;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.ensign.api.catalog.WriteContext;
import io.ensign.api.model.EvaluationContext;
import io.ensign.api.model.EvaluationResult;
import io.ensign.api.model.Reason;
import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.store.Mutation;
import io.ensign.assignment.internal.HashAssignment;
import io.ensign.codec.ModelCodec;
import io.ensign.engine.internal.FlagEngine;
import io.ensign.metrics.internal.PrometheusMetrics;
import io.ensign.operators.internal.EndsWithOperator;
import io.ensign.operators.internal.EqualsOperator;
import io.ensign.operators.internal.InOperator;
import io.ensign.operators.internal.SemverGreaterThanOperator;
import io.ensign.store.embedded.internal.EmbeddedStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * In-process evaluation of a flag with three rules (a segment, two ANDed conditions, and a conditioned
 * 20/80 rollout) on a 10-attribute context, through the real engine on the real embedded store, with the
 * built-in operator and assignment plugins. {@code baseline} reads ten attributes of the same contexts, so
 * the ratio evaluation/baseline is comparable across noisy machines. {@code metrics} says what the engine reports
 * each evaluation to: {@code none} (no metrics bundle: the no-op recorder) or {@code prometheus} (the metrics
 * bundle's recorder, counting into its Prometheus counter).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EvaluationBenchmark {
    static final String FLAG = """
            {"type":"string","variants":{"control":"classic","beta":"new","treatment":"new-v2"},
             "defaultVariant":"control",
             "rules":[
               {"name":"staff","segment":"staff","variant":"beta"},
               {"name":"eu-modern","conditions":[
                  {"attribute":"country","operator":"in","values":["NL","DE","BE","FR","AT"]},
                  {"attribute":"appVersion","operator":"semver_gt","values":["9.0.0"]}],"variant":"beta"},
               {"name":"pro-rollout","conditions":[{"attribute":"plan","operator":"equals","values":["pro"]}],
                "rollout":{"weights":{"treatment":20,"control":80}}}]}""";
    static final String SEGMENT = """
            {"conditions":[{"attribute":"email","operator":"ends_with","values":["@ensign.example"]}],
             "excluded":["user-13"]}""";
    static final int CONTEXTS = 1024;

    private Path dir;
    private EmbeddedStore store;
    private FlagEngine engine;
    private EvaluationContext[] contexts;
    private int next;

    @Param({"none", "prometheus"})
    public String metrics;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("ensign-bench");
        store = new EmbeddedStore(dir, false);
        engine = new FlagEngine(store, new EngineConfig());
        bind("in", new InOperator());
        bind("equals", new EqualsOperator());
        bind("semver_gt", new SemverGreaterThanOperator());
        bind("ends_with", new EndsWithOperator());
        engine.bindStrategy(new HashAssignment(), Map.of("name", "hash", "service.id", 100L));
        engine.start();
        if (metrics.equals("prometheus")) {
            engine.bindMetrics(new PrometheusMetrics(new MetricsBenchmark.MetricsConfig()));
        }

        ModelCodec codec = new ModelCodec();
        WriteContext writer = new WriteContext("benchmark", null, null);
        engine.putSegment(codec.decodeSegment(codec.readTree(SEGMENT), "staff", 0), Mutation.ANY_VERSION, writer);
        engine.putFlag(codec.decodeFlag(codec.readTree(FLAG), "checkout", 0), Mutation.ANY_VERSION, writer);

        contexts = contexts();
        EvaluationResult probe = engine.evaluate("production", "checkout", contexts[0]);
        if (probe.reason() != Reason.SPLIT) {
            throw new IllegalStateException("the benchmark must reach the rollout rule, got " + probe);
        }
    }

    /** The benchmark's contexts: ten attributes each, made so that every rule is tried and the rollout decides. */
    static EvaluationContext[] contexts() {
        EvaluationContext[] contexts = new EvaluationContext[CONTEXTS];
        for (int i = 0; i < CONTEXTS; i++) {
            contexts[i] = context(i, "user-" + i + "@customer.example", "NL", "8.4.1", "pro");
        }
        return contexts;
    }

    /** The context of unit {@code user-i} with the four attributes the flag tests, and six it does not. */
    static EvaluationContext context(int i, String email, String country, String appVersion, String plan) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("email", email);
        attributes.put("country", country);
        attributes.put("appVersion", appVersion);
        attributes.put("plan", plan);
        attributes.put("age", 30L + i % 40);
        attributes.put("device", i % 2 == 0 ? "ios" : "android");
        attributes.put("locale", "en-US");
        attributes.put("beta", false);
        attributes.put("score", 0.5 + i);
        attributes.put("team", "team-" + i % 7);
        return new EvaluationContext("user-" + i, attributes);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        engine.stop();
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Evaluation that walks all three rules and ends in the rollout: the most work a unit can cause. */
    @Benchmark
    public EvaluationResult evaluateThreeRulesToRollout() {
        return engine.evaluate("production", "checkout", contexts[next++ & (CONTEXTS - 1)]);
    }

    /** Reads the ten attributes of the same contexts: the floor any evaluation stands on. */
    @Benchmark
    public int baselineReadTenAttributes() {
        EvaluationContext c = contexts[next++ & (CONTEXTS - 1)];
        int h = 0;
        for (String name : List.of("email", "country", "appVersion", "plan", "age", "device", "locale", "beta",
                "score", "team")) {
            h += System.identityHashCode(c.attribute(name));
        }
        return h;
    }

    private int serviceIds;

    private void bind(String name, EvaluationOperator operator) {
        engine.bindOperator(operator, Map.of("name", name, "service.id", (long) ++serviceIds));
    }

    /** The engine's defaults, as DS would pass them. */
    private static final class EngineConfig implements FlagEngine.Config {
        @Override
        public long pluginGracePeriodMillis() {
            return 30_000;
        }

        @Override
        public long writeVisibilityTimeoutMillis() {
            return 5_000;
        }

        @Override
        public long pluginCallBudgetMillis() {
            return 1_000;
        }

        @Override
        public long pluginQuarantineMillis() {
            return 5_000;
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return FlagEngine.Config.class;
        }
    }
}
