package io.ensign.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.ensign.api.assignment.AssignmentStrategy;
import io.ensign.api.evaluation.MissingTargetingKey;
import io.ensign.api.model.ErrorCode;
import io.ensign.api.model.EvaluationContext;
import io.ensign.api.model.EvaluationResult;
import io.ensign.api.model.Flag;
import io.ensign.api.model.Reason;
import io.ensign.api.model.Segment;
import io.ensign.api.operator.EvaluationOperator;
import io.ensign.assignment.BuiltInStrategies;
import io.ensign.codec.ModelCodec;
import io.ensign.operators.BuiltInOperators;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The core outside OSGi: registries filled by hand, a snapshot compiled and evaluated. */
class SnapshotCompilerTest {
    private final ModelCodec codec = new ModelCodec();
    private final PluginRegistry<EvaluationOperator> operators =
            new PluginRegistry<>(SnapshotCompiler.OPERATOR, EvaluationOperator.NAME, System::currentTimeMillis);
    private final PluginRegistry<AssignmentStrategy> strategies =
            new PluginRegistry<>(SnapshotCompiler.ASSIGNMENT, AssignmentStrategy.NAME, System::currentTimeMillis);
    private final PluginGuard guard = new PluginGuard(1_000, 5_000);

    @AfterEach
    void close() {
        guard.close();
    }

    private Snapshot compile(List<Flag> flags, List<Segment> segments, List<RunningExperiment> experiments) {
        return new SnapshotCompiler(operators, strategies, guard).compile(7, 1, flags, segments, experiments);
    }

    private Flag flag(String key, String json) {
        return codec.decodeFlag(codec.readTree(json), key, 3);
    }

    private void registerBuiltIns() {
        BuiltInOperators.create().forEach(operators::register);
        BuiltInStrategies.create().forEach(strategies::register);
    }

    @Test
    void builtInsAndACustomOperatorRegisteredByHandServeRulesSegmentsAndRollouts() {
        registerBuiltIns();
        operators.register("is_even", values -> v -> v instanceof Long n && n % 2 == 0);
        Segment staff = codec.decodeSegment(codec.readTree("""
                {"conditions":[{"attribute":"email","operator":"ends_with","values":["@ensign.example"]}]}"""),
                "staff", 1);
        Flag checkout = flag("checkout", """
                {"type":"string","variants":{"a":"A","b":"B","c":"C"},"defaultVariant":"a",
                 "overrides":{"vip":"c"},
                 "rules":[{"segment":"staff","variant":"b"},
                          {"conditions":[{"attribute":"n","operator":"is_even","values":[]}],"variant":"c"},
                          {"conditions":[{"attribute":"country","operator":"in","values":["NL"]}],
                           "rollout":{"weights":{"a":50,"b":50}}}]}""");
        Snapshot snapshot = compile(List.of(checkout), List.of(staff), List.of());

        assertEquals(List.of(), snapshot.missingPlugins());
        assertEquals(7, snapshot.sequence());
        assertEquals(List.of("checkout"), snapshot.keys());
        EvaluationResult vip = evaluate(snapshot, "checkout", "vip", Map.of());
        assertEquals("C", vip.value());
        assertEquals(true, vip.metadata().get("override"));
        EvaluationResult staffer = evaluate(snapshot, "checkout", "u1", Map.of("email", "x@ensign.example"));
        assertEquals("B", staffer.value());
        assertEquals(Reason.TARGETING_MATCH, staffer.reason());
        assertEquals("C", evaluate(snapshot, "checkout", "u1", Map.of("n", 4L)).value());
        assertEquals("A", evaluate(snapshot, "checkout", "u1", Map.of("n", 3L)).value());
        assertEquals(Reason.DEFAULT, evaluate(snapshot, "checkout", "u1", Map.of("n", 3L)).reason());

        int b = 0;
        for (int i = 0; i < 1000; i++) {
            EvaluationResult r = evaluate(snapshot, "checkout", "user-" + i, Map.of("country", "NL"));
            assertEquals(Reason.SPLIT, r.reason());
            b += "b".equals(r.variant()) ? 1 : 0;
        }
        assertTrue(b > 430 && b < 570, "about half in b: " + b);
        assertEquals(3L, vip.metadata().get("flagVersion"));
    }

    @Test
    void aMissingPluginIsAnErrorResultAndNamedNotAFailedBuild() {
        Flag flag = flag("f", """
                {"type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off",
                 "rules":[{"conditions":[{"attribute":"country","operator":"in","values":["NL"]}],"variant":"on"}]}""");
        Snapshot snapshot = compile(List.of(flag), List.of(), List.of());
        assertEquals(List.of("operator/in"), snapshot.missingPlugins());
        EvaluationResult r = evaluate(snapshot, "f", "u", Map.of("country", "NL"));
        assertEquals(ErrorCode.GENERAL, r.errorCode());
        assertEquals(false, r.value(), "the default value");
        assertEquals(ErrorCode.FLAG_NOT_FOUND, evaluate(snapshot, "nope", "u", Map.of()).errorCode());
        assertEquals(ErrorCode.PROVIDER_NOT_READY, evaluate(Snapshot.EMPTY, "f", "u", Map.of()).errorCode());
    }

    @Test
    void aRunningExperimentSplitsItsEnvironmentOnlyAndTheNewestRegistrationWins() {
        registerBuiltIns();
        strategies.register("hash", (salt, unit, weights) -> 1);
        Flag flag = flag("f", """
                {"type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off"}""");
        RunningExperiment experiment = new RunningExperiment("exp", "f", "staging", Map.of("on", 1.0, "off", 1.0));
        Snapshot snapshot = compile(List.of(flag), List.of(), List.of(experiment));
        EvaluationResult staging = snapshot.evaluate("staging", "f", new EvaluationContext("u", Map.of()),
                MissingTargetingKey.NO_MATCH);
        assertEquals(Reason.SPLIT, staging.reason());
        assertEquals("exp", staging.metadata().get("experiment"));
        assertEquals(experiment.weights().keySet().toArray()[1], staging.variant(), "the strategy registered last");
        assertEquals(Reason.DEFAULT, evaluate(snapshot, "f", "u", Map.of()).reason());
        assertEquals(1, snapshot.evaluateAll("staging", new EvaluationContext("u", Map.of()),
                MissingTargetingKey.NO_MATCH).size());
    }

    private static EvaluationResult evaluate(Snapshot snapshot, String flag, String unit, Map<String, Object> attrs) {
        return snapshot.evaluate("production", flag, new EvaluationContext(unit, attrs), MissingTargetingKey.NO_MATCH);
    }
}
