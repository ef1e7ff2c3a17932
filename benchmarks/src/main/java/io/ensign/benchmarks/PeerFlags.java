package io.ensign.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.openfeature.contrib.providers.flagd.Config;
import dev.openfeature.contrib.providers.flagd.FlagdOptions;
import dev.openfeature.contrib.providers.flagd.FlagdProvider;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.Value;
import io.ensign.api.model.EvaluationContext;
import io.getunleash.DefaultUnleash;
import io.getunleash.UnleashContext;
import io.getunleash.repository.ToggleBootstrapFileProvider;
import io.getunleash.util.UnleashConfig;

/**
 * {@link ClientEvaluationBenchmark}'s two boolean flags written in each JVM peer's own format, and the peers started
 * from files, offline, as an application would start them without a server. {@code checkout-on}: the segment
 * {@code staff} ({@code email} ends with {@code @ensign.example}, {@code user-13} excluded) or {@code country} in five
 * countries and {@code appVersion} above 9.0.0 give {@code true}; else {@code plan} equal to {@code pro} rolls out
 * {@code true} to 20 % of the targeting keys; else {@code false}. {@code simple-on}: the same with only {@code country}
 * in BE or FR as its second rule. Each peer hashes its own way: Ensign matches a peer's buckets with that peer's
 * assignment strategy ({@link ClientEvaluationBenchmark#peerKey}), which is how {@code PeerAgreementTest} compares.
 */
final class PeerFlags {
    static final String CHECKOUT = "checkout-on";
    static final String SIMPLE = "simple-on";

    /**
     * Unleash's client API document (what {@code /api/client/features} serves), its SDK's bootstrap. The segment is an
     * Unleash segment; the excluded key a {@code NOT_IN} on {@code userId}; the rollout a {@code flexibleRollout}
     * whose {@code groupId} is the flag key, sticky on {@code userId} (the targeting key).
     */
    static final String UNLEASH_FEATURES = """
            {"version":2,
             "segments":[{"id":1,"name":"staff","constraints":[
               {"contextName":"email","operator":"STR_ENDS_WITH","values":["@ensign.example"],"inverted":false,
                "caseInsensitive":false},
               {"contextName":"userId","operator":"NOT_IN","values":["user-13"],"inverted":false,
                "caseInsensitive":false}]}],
             "features":[
               {"name":"checkout-on","type":"release","enabled":true,"strategies":[
                 {"name":"default","parameters":{},"constraints":[],"segments":[1]},
                 {"name":"default","parameters":{},"constraints":[
                   {"contextName":"country","operator":"IN","values":["NL","DE","BE","FR","AT"]},
                   {"contextName":"appVersion","operator":"SEMVER_GT","value":"9.0.0"}]},
                 {"name":"flexibleRollout","parameters":{"rollout":"20","stickiness":"userId","groupId":"checkout-on"},
                  "constraints":[{"contextName":"plan","operator":"IN","values":["pro"]}]}]},
               {"name":"simple-on","type":"release","enabled":true,"strategies":[
                 {"name":"default","parameters":{},"constraints":[],"segments":[1]},
                 {"name":"default","parameters":{},"constraints":[
                   {"contextName":"country","operator":"IN","values":["BE","FR"]}]},
                 {"name":"flexibleRollout","parameters":{"rollout":"20","stickiness":"userId","groupId":"simple-on"},
                  "constraints":[{"contextName":"plan","operator":"IN","values":["pro"]}]}]}]}""";

    /**
     * flagd's flag file: the segment a shared {@code $evaluators} entry, the rules one {@code if} chain, the rollout
     * {@code fractional} (bucketed by flag key and targeting key, flagd's default). No rule matching answers null, so
     * flagd serves the default variant. {@code checkout-on} keeps Ensign's variant names.
     */
    static final String FLAGD_FLAGS = """
            {"flags":{
               "checkout-on":{"state":"ENABLED","variants":{"control":false,"beta":true,"treatment":true},
                "defaultVariant":"control",
                "targeting":{"if":[
                  {"$ref":"staff"},"beta",
                  {"and":[{"in":[{"var":"country"},["NL","DE","BE","FR","AT"]]},
                          {"sem_ver":[{"var":"appVersion"},">","9.0.0"]}]},"beta",
                  {"==":[{"var":"plan"},"pro"]},{"fractional":[["treatment",20],["control",80]]}]}},
               "simple-on":{"state":"ENABLED","variants":{"on":true,"off":false},"defaultVariant":"off",
                "targeting":{"if":[
                  {"$ref":"staff"},"on",
                  {"in":[{"var":"country"},["BE","FR"]]},"on",
                  {"==":[{"var":"plan"},"pro"]},{"fractional":[["on",20],["off",80]]}]}}},
             "$evaluators":{"staff":{"and":[
               {"ends_with":[{"var":"email"},"@ensign.example"]},
               {"!":{"in":[{"var":"targetingKey"},["user-13"]]}}]}}}""";

    /** How long flagd's initialisation may take: reading the file the first time, cold, on a busy machine. */
    private static final int INITIALISATION_MILLIS = 30_000;

    private PeerFlags() {
    }

    /** An address where nothing listens: the clients that want a server URL get one they can never reach. */
    static String nowhere() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    /**
     * Unleash's Java SDK (its evaluation is Yggdrasil, in process) started from a bootstrap file: no polling, no
     * metrics, a backup file in {@code dir} that does not exist yet, so the bootstrap is what it serves.
     */
    static DefaultUnleash unleash(Path dir) throws IOException {
        Path features = Files.writeString(dir.resolve("unleash-features.json"), UNLEASH_FEATURES);
        UnleashConfig config = UnleashConfig.builder().appName("ensign-benchmarks").instanceId("benchmark")
                .unleashAPI(nowhere() + "/api").disablePolling().disableMetrics()
                .backupFile(dir.resolve("unleash-backup.json").toString())
                .toggleBootstrapProvider(new ToggleBootstrapFileProvider(features.toString())).build();
        return new DefaultUnleash(config);
    }

    /**
     * flagd's provider with its in-process resolver reading the flag file (resolver {@code FILE}: flagd's evaluator
     * in the application, no flagd process, no gRPC connection). Its initialisation reads the file; flagd's default
     * deadline for it (one second) is too short for a first, cold parse on a busy machine.
     */
    static FlagdProvider flagd(Path dir) throws IOException {
        Path flags = Files.writeString(dir.resolve("flagd-flags.json"), FLAGD_FLAGS);
        return new FlagdProvider(FlagdOptions.builder().resolverType(Config.Resolver.FILE)
                .offlineFlagSourcePath(flags.toString()).deadline(INITIALISATION_MILLIS).build());
    }

    /** Ensign's context as Unleash's: the targeting key as {@code userId}, every attribute as a text property. */
    static UnleashContext unleashContext(EvaluationContext context) {
        UnleashContext.Builder builder = UnleashContext.builder().userId(context.targetingKey());
        context.attributes().forEach((name, value) -> builder.addProperty(name, String.valueOf(value)));
        return builder.build();
    }

    /**
     * Ensign's context as an OpenFeature context, which the Ensign provider and flagd's are given alike. Whole numbers
     * become {@code Integer}s: the SDK makes a {@code Value} of a {@code Long} too, but its {@code asObjectMap}
     * converts only {@code Integer} and {@code Double} numbers, so flagd's provider would fail every evaluation of
     * that context ({@code GENERAL}).
     */
    static ImmutableContext openFeatureContext(EvaluationContext context) throws InstantiationException {
        Map<String, Value> values = new HashMap<>();
        for (Map.Entry<String, Object> e : context.attributes().entrySet()) {
            Object value = e.getValue();
            values.put(e.getKey(), value instanceof Long whole ? new Value(Math.toIntExact(whole)) : new Value(value));
        }
        return new ImmutableContext(context.targetingKey(), values);
    }
}
