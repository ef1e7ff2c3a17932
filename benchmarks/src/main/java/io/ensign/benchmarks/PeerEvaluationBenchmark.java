package io.ensign.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.openfeature.contrib.providers.flagd.FlagdProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvaluation;
import io.ensign.api.model.EvaluationContext;
import io.getunleash.DefaultUnleash;
import io.getunleash.UnleashContext;
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
 * The JVM peers evaluating {@link ClientEvaluationBenchmark}'s boolean flags ({@link PeerFlags}, each in the peer's
 * own format) in process on the same contexts: Unleash's Java SDK (Yggdrasil) from a bootstrap file, and flagd's
 * OpenFeature provider with its in-process resolver on a flag file, called as the SDK calls it and through the stock
 * SDK's client. Nothing reaches a network. Contexts are converted to each peer's type before the measurement, as
 * Ensign's are.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PeerEvaluationBenchmark {
    private static final String FLAGD_DOMAIN = "flagd";

    private Path dir;
    private DefaultUnleash unleash;
    private FlagdProvider flagd;
    private Client flagdClient;
    private UnleashContext[] unleashContexts;
    private ImmutableContext[] openFeatureContexts;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("ensign-peer-bench");
        unleash = PeerFlags.unleash(dir);
        flagd = PeerFlags.flagd(dir);
        OpenFeatureAPI.getInstance().setProviderAndWait(FLAGD_DOMAIN, flagd);
        flagdClient = OpenFeatureAPI.getInstance().getClient(FLAGD_DOMAIN);

        EvaluationContext[] contexts = EvaluationBenchmark.contexts();
        unleashContexts = new UnleashContext[contexts.length];
        openFeatureContexts = new ImmutableContext[contexts.length];
        for (int i = 0; i < contexts.length; i++) {
            unleashContexts[i] = PeerFlags.unleashContext(contexts[i]);
            openFeatureContexts[i] = PeerFlags.openFeatureContext(contexts[i]);
        }
        // Every context ends in the rollout: a peer that lost its flags would answer false as fast as it can.
        if (!unleash.more().getFeatureToggleNames().contains(PeerFlags.CHECKOUT)) {
            throw new IllegalStateException("Unleash did not read its bootstrap file");
        }
        ProviderEvaluation<Boolean> probe = flagd.getBooleanEvaluation(PeerFlags.CHECKOUT, false,
                openFeatureContexts[0]);
        if (probe.getErrorCode() != null || probe.getVariant() == null) {
            throw new IllegalStateException("flagd did not evaluate its flag: " + probe);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        OpenFeatureAPI.getInstance().shutdown();
        unleash.shutdown();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The next of the benchmark's contexts, as Unleash takes it. */
    private UnleashContext nextUnleash() {
        return unleashContexts[next++ & (EvaluationBenchmark.CONTEXTS - 1)];
    }

    /** The next of the benchmark's contexts, as OpenFeature takes it. */
    private ImmutableContext nextOpenFeature() {
        return openFeatureContexts[next++ & (EvaluationBenchmark.CONTEXTS - 1)];
    }

    /** Unleash's {@code isEnabled}: the application's {@code if} with Unleash. */
    @Benchmark
    public boolean unleashIsEnabled() {
        return unleash.isEnabled(PeerFlags.CHECKOUT, nextUnleash(), false);
    }

    /** Unleash on {@code simple-on} (no {@code SEMVER_GT}). */
    @Benchmark
    public boolean unleashIsEnabledNoSemver() {
        return unleash.isEnabled(PeerFlags.SIMPLE, nextUnleash(), false);
    }

    /** flagd's provider called as the SDK calls it. */
    @Benchmark
    public ProviderEvaluation<Boolean> flagdProviderBooleanEvaluation() {
        return flagd.getBooleanEvaluation(PeerFlags.CHECKOUT, false, nextOpenFeature());
    }

    /** flagd's provider on {@code simple-on} (no {@code sem_ver}). */
    @Benchmark
    public ProviderEvaluation<Boolean> flagdProviderBooleanEvaluationNoSemver() {
        return flagd.getBooleanEvaluation(PeerFlags.SIMPLE, false, nextOpenFeature());
    }

    /** A boolean through the stock OpenFeature SDK client over flagd's provider. */
    @Benchmark
    public boolean flagdOpenFeatureClientBooleanValue() {
        return flagdClient.getBooleanValue(PeerFlags.CHECKOUT, false, nextOpenFeature());
    }
}
