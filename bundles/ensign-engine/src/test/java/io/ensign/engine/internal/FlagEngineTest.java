package io.ensign.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.ensign.api.assignment.AssignmentStrategy;
import io.ensign.api.assignment.PartialAssignmentStrategy;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.catalog.WriteResult;
import io.ensign.api.evaluation.MissingTargetingKey;
import io.ensign.api.evaluation.PluginInGrace;
import io.ensign.api.model.Environment;
import io.ensign.api.model.ErrorCode;
import io.ensign.api.model.EvaluationContext;
import io.ensign.api.model.EvaluationResult;
import io.ensign.api.model.Flag;
import io.ensign.api.model.FlagEnvironment;
import io.ensign.api.model.Reason;
import io.ensign.api.model.Segment;
import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.VersionConflictException;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.ValidationRule;
import io.ensign.api.validation.Violation;
import io.ensign.assignment.internal.HashAssignment;
import io.ensign.codec.ModelCodec;
import io.ensign.operators.internal.EqualsOperator;
import io.ensign.operators.internal.GreaterThanOperator;
import io.ensign.operators.internal.InOperator;
import io.ensign.store.embedded.internal.EmbeddedStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FlagEngineTest {
    private static final WriteContext WRITER = new WriteContext("test", "because", "req-1");
    private static final AtomicLong SERVICE_IDS = new AtomicLong();

    private final ModelCodec codec = new ModelCodec();
    @TempDir
    Path data;
    private EmbeddedStore store;
    private FlagEngine engine;

    @BeforeEach
    void start() {
        store = new EmbeddedStore(data, false);
        engine = new FlagEngine(store, config(200));
        bindOperator("equals", new EqualsOperator());
        bindOperator("in", new InOperator());
        bindOperator("gt", new GreaterThanOperator());
        engine.bindStrategy(new HashAssignment(), props("hash"));
        engine.start();
    }

    @AfterEach
    void stop() throws Exception {
        engine.stop();
        store.close();
    }

    @Test
    void aNewServerHasTheThreeDefaultEnvironments() {
        assertEquals(List.of("development", "production", "staging"),
                engine.environments().stream().map(e -> e.name()).sorted().toList());
    }

    @Test
    void unknownFlagIsFlagNotFound() {
        EvaluationResult r = engine.evaluate("production", "nope", ctx("u1", Map.of()));
        assertEquals(Reason.ERROR, r.reason());
        assertEquals(ErrorCode.FLAG_NOT_FOUND, r.errorCode());
        assertNull(r.value());
    }

    @Test
    void resolutionFollowsKillSwitchOverridesRulesAndDefaults() {
        putSegment("""
                {"conditions":[{"attribute":"plan","operator":"equals","values":["pro"]}],
                 "included":["inc"],"excluded":["exc"]}""", "pros");
        putFlag("""
                {"type":"string","variants":{"a":"A","b":"B","c":"C","d":"D"},"defaultVariant":"a",
                 "overrides":{"u-global":"b","u-both":"b"},
                 "rules":[{"name":"pro","segment":"pros","variant":"c"},
                          {"conditions":[{"attribute":"country","operator":"in","values":["NL","DE"]},
                                         {"attribute":"age","operator":"gt","values":[17]}],"variant":"d"}],
                 "environments":{"staging":{"defaultVariant":"b","overrides":{"u-both":"c"},"rules":[]},
                                 "development":{"enabled":false,"defaultVariant":"d"}}}""", "f");

        assertEquals(expect("a", Reason.DEFAULT), outcome("production", "x", Map.of()));
        assertEquals(expect("b", Reason.TARGETING_MATCH), outcome("production", "u-global", Map.of()));
        assertEquals(expect("b", Reason.TARGETING_MATCH), outcome("production", "u-both", Map.of()));
        assertEquals(expect("c", Reason.TARGETING_MATCH), outcome("staging", "u-both", Map.of()),
                "the environment's override wins");
        assertEquals(expect("b", Reason.TARGETING_MATCH), outcome("staging", "u-global", Map.of()),
                "global overrides still apply in an environment");
        assertEquals(expect("c", Reason.TARGETING_MATCH), outcome("production", "x", Map.of("plan", "pro")));
        assertEquals(expect("c", Reason.TARGETING_MATCH), outcome("production", "inc", Map.of()), "included");
        assertEquals(expect("a", Reason.DEFAULT), outcome("production", "exc", Map.of("plan", "pro")), "excluded");
        assertEquals(expect("d", Reason.TARGETING_MATCH),
                outcome("production", "x", Map.of("country", "NL", "age", 18L)));
        assertEquals(expect("a", Reason.DEFAULT), outcome("production", "x", Map.of("country", "NL", "age", 17L)),
                "conditions are ANDed");
        assertEquals(expect("a", Reason.DEFAULT), outcome("production", "x", Map.of("country", "NL")),
                "a missing attribute makes the condition false");
        assertEquals(expect("b", Reason.DEFAULT), outcome("staging", "x", Map.of("plan", "pro")),
                "an empty environment rule list replaces the global rules; its default applies");
        assertEquals(expect("d", Reason.DISABLED), outcome("development", "u-global", Map.of("plan", "pro")),
                "the kill switch beats overrides and rules and serves the environment's default");
        assertEquals(expect("a", Reason.DEFAULT), outcome("unknown-env", "x", Map.of()),
                "an environment the flag does not mention sees the global flag");
    }

    @Test
    void rolloutsSplitByTheHashOfFlagKeyAndUnit() {
        putFlag("""
                {"type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off",
                 "rules":[{"rollout":{"weights":{"on":20,"off":80},"bucketBy":"account"}}]}""", "roll");
        HashAssignment hash = new HashAssignment();
        int on = 0;
        for (int i = 0; i < 20_000; i++) {
            String unit = "acct-" + i;
            EvaluationResult r = engine.evaluate("production", "roll", ctx("user", Map.of("account", unit)));
            assertEquals(Reason.SPLIT, r.reason());
            String expected = hash.assign("roll", unit, new double[] {20, 80}) == 0 ? "on" : "off";
            assertEquals(expected, r.variant());
            on += r.variant().equals("on") ? 1 : 0;
        }
        assertEquals(0.20, on / 20_000.0, 0.015);
        assertEquals(Reason.DEFAULT, engine.evaluate("production", "roll", ctx("user", Map.of())).reason(),
                "no unit attribute: the rollout rule does not match");
    }

    @Test
    void aRolloutByTargetingKeyWithoutOneFailsOnlyWhenTheCallerAsksForTheError() {
        putFlag("""
                {"type":"string","variants":{"a":"A","b":"B","c":"C"},"defaultVariant":"c",
                 "rules":[{"conditions":[{"attribute":"plan","operator":"equals","values":["pro"]}],
                           "rollout":{"weights":{"a":50,"b":50}}},
                          {"rollout":{"weights":{"a":50,"b":50},"bucketBy":"account"}},
                          {"variant":"b"}]}""", "keyed");
        EvaluationContext anonymousPro = new EvaluationContext(null, Map.of("plan", "pro"));
        EvaluationResult lenient = engine.evaluate("production", "keyed", anonymousPro, MissingTargetingKey.NO_MATCH);
        assertEquals(expect("b", Reason.TARGETING_MATCH), lenient.variant() + "/" + lenient.reason(),
                "api.md: a missing unit attribute makes the rule not match, so the later rules decide");
        assertEquals(lenient, engine.evaluate("production", "keyed", anonymousPro), "NO_MATCH is the default");

        EvaluationResult strict = engine.evaluate("production", "keyed", anonymousPro, MissingTargetingKey.ERROR);
        assertEquals(ErrorCode.TARGETING_KEY_MISSING, strict.errorCode());
        assertEquals("c", strict.variant(), "the default variant that would have applied");
        assertEquals(0, strict.metadata().get("ruleIndex"));

        EvaluationContext anonymousFree = new EvaluationContext(null, Map.of("plan", "free"));
        EvaluationResult otherAttribute = engine.evaluate("production", "keyed", anonymousFree, MissingTargetingKey.ERROR);
        assertEquals(Reason.TARGETING_MATCH, otherAttribute.reason(),
                "a rule whose conditions fail needs no key, and a rollout by another attribute keeps not matching");
        EvaluationResult keyed = engine.evaluate("production", "keyed", ctx("u1", Map.of("plan", "pro")),
                MissingTargetingKey.ERROR);
        assertEquals(Reason.SPLIT, keyed.reason());
        assertEquals(List.of(ErrorCode.TARGETING_KEY_MISSING), engine.evaluateAll("production", anonymousPro,
                MissingTargetingKey.ERROR).stream().filter(r -> r.key().equals("keyed")).map(EvaluationResult::errorCode)
                .toList());
    }

    @Test
    void aRolloutWithASaltHashesWithItInsteadOfTheFlagKey() {
        putFlag("""
                {"type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off",
                 "rules":[{"rollout":{"weights":{"on":50,"off":50},"salt":"imported-group"}}]}""", "salted");
        HashAssignment hash = new HashAssignment();
        int differsFromFlagKey = 0;
        for (int i = 0; i < 2_000; i++) {
            String unit = "u-" + i;
            String variant = engine.evaluate("production", "salted", ctx(unit, Map.of())).variant();
            assertEquals(hash.assign("imported-group", unit, new double[] {50, 50}) == 0 ? "on" : "off", variant);
            differsFromFlagKey += hash.assign("salted", unit, new double[] {50, 50}) == 0 == variant.equals("on")
                    ? 0 : 1;
        }
        assertEquals(0.5, differsFromFlagKey / 2_000.0, 0.05, "the flag key would split the units otherwise");
    }

    @Test
    void aStrategyThatLeavesAUnitOutSendsItToTheNextRuleAndAnIndexOutOfRangeIsAnError() {
        engine.bindStrategy((salt, unit, weights) -> unit.startsWith("out") ? AssignmentStrategy.UNASSIGNED
                : unit.startsWith("bad") ? 7 : 0,
                Map.of("name", "partial", "version", "1.0.0", "service.id", SERVICE_IDS.incrementAndGet()));
        putFlag("""
                {"type":"string","variants":{"a":"A","b":"B","c":"C"},"defaultVariant":"c",
                 "rules":[{"rollout":{"strategy":"partial","weights":{"a":1,"c":1}}},{"variant":"b"}]}""", "f");
        assertEquals(expect("a", Reason.SPLIT), outcome("production", "in-1", Map.of()));
        assertEquals(expect("b", Reason.TARGETING_MATCH), outcome("production", "out-1", Map.of()),
                "left out of the split: the next rule decides");
        EvaluationResult bad = engine.evaluate("production", "f", ctx("bad-1", Map.of()));
        assertEquals(Reason.ERROR, bad.reason());
        assertTrue(bad.errorDetails().contains("index 7"), bad.errorDetails());
    }

    @Test
    void aNegatedConditionHoldsExactlyWhenItsTestFailsAMissingAttributeIncluded() {
        putFlag("""
                {"type":"string","variants":{"a":"A","b":"B"},"defaultVariant":"a",
                 "rules":[{"conditions":[{"attribute":"country","operator":"in","values":["NL"],"negate":true}],
                           "variant":"b"}]}""", "f");
        assertEquals(expect("a", Reason.DEFAULT), outcome("production", "u", Map.of("country", "NL")));
        assertEquals(expect("b", Reason.TARGETING_MATCH), outcome("production", "u", Map.of("country", "DE")));
        assertEquals(expect("b", Reason.TARGETING_MATCH), outcome("production", "u", Map.of()),
                "unlike not_in, the negation of in holds for a missing attribute");
    }

    @Test
    void aCoverageGoesToAPartialStrategyAndIsRefusedForOneThatSplitsEveryUnit() {
        List<Double> coverages = new java.util.concurrent.CopyOnWriteArrayList<>();
        engine.bindStrategy(new PartialAssignmentStrategy() {
            @Override
            public int assign(String salt, String unit, double[] weights) {
                return 0;
            }

            @Override
            public int assign(String salt, String unit, double[] weights, double coverage) {
                coverages.add(coverage);
                return unit.startsWith("out") ? UNASSIGNED : 1;
            }
        }, Map.of("name", "partial", "version", "1.0.0", "service.id", SERVICE_IDS.incrementAndGet()));
        putFlag("""
                {"type":"string","variants":{"a":"A","b":"B","c":"C"},"defaultVariant":"c",
                 "rules":[{"rollout":{"strategy":"partial","weights":{"a":1,"b":1},"coverage":0.25}}]}""", "f");
        assertEquals(expect("b", Reason.SPLIT), outcome("production", "in-1", Map.of()));
        assertEquals(expect("c", Reason.DEFAULT), outcome("production", "out-1", Map.of()));
        assertEquals(List.of(0.25, 0.25), coverages);

        ValidationException e = assertThrows(ValidationException.class, () -> putFlag("""
                {"type":"string","variants":{"a":"A","b":"B"},"defaultVariant":"a",
                 "rules":[{"rollout":{"weights":{"a":1,"b":1},"coverage":0.5}}]}""", "g"));
        assertEquals("/rules/0/rollout/coverage", e.violations().get(0).field());
        assertTrue(e.violations().get(0).message().contains("'hash'"), e.violations().get(0).message());
    }

    @Test
    void aRunningExperimentSplitsItsEnvironmentByTheExperimentKeyAfterOverrides() throws Exception {
        putFlag("""
                {"type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off",
                 "overrides":{"qa":"on"},
                 "rules":[{"conditions":[{"attribute":"plan","operator":"equals","values":["pro"]}],"variant":"on"}]}""",
                "f");
        String experiment = """
                {"flag":"f","environment":"staging","status":"%s","weights":{"off":50,"on":50}}""";
        store.commit(List.of(new Mutation("experiment", "exp-1", "staging", experiment.formatted("running"),
                Mutation.ANY_VERSION, null, "test", null, null)));
        waitFor(() -> engine.evaluate("staging", "f", ctx("u1", Map.of())).reason() == Reason.SPLIT);

        HashAssignment hash = new HashAssignment();
        for (int i = 0; i < 1000; i++) {
            String unit = "unit-" + i;
            EvaluationResult r = engine.evaluate("staging", "f", ctx(unit, Map.of("plan", "pro")));
            assertEquals(Reason.SPLIT, r.reason());
            assertEquals("exp-1", r.metadata().get("experiment"));
            String expected = hash.assign("exp-1", unit, new double[] {50, 50}) == 0 ? "off" : "on";
            assertEquals(expected, r.variant(), "salted by the experiment key, not the flag key");
        }
        assertEquals(expect("on", Reason.TARGETING_MATCH), outcome("staging", "qa", Map.of()), "overrides first");
        assertEquals(expect("on", Reason.TARGETING_MATCH), outcome("production", "u1", Map.of("plan", "pro")),
                "other environments keep their rules");

        store.commit(List.of(new Mutation("experiment", "exp-1", "staging", experiment.formatted("analysing"),
                Mutation.ANY_VERSION, null, "test", null, null)));
        waitFor(() -> engine.evaluate("staging", "f", ctx("u1", Map.of())).reason() == Reason.DEFAULT);
    }

    @Test
    void aWriteNamingAMissingOperatorIsRefusedAndStoresNothing() {
        ValidationException e = assertThrows(ValidationException.class, () -> putFlag("""
                {"type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off",
                 "rules":[{"conditions":[{"attribute":"ip","operator":"ip_in_cidr","values":["10.0.0.0/8"]}],
                           "variant":"on"}]}""", "f"));
        assertEquals("/rules/0/conditions/0/operator", e.violations().get(0).field());
        assertTrue(engine.flag("f").isEmpty());
        assertEquals(3, store.lastSequence(), "only the default environments were ever written");
    }

    @Test
    void anEnvironmentNameOutsideThePatternIsRefusedWithoutABodyToo() {
        long before = store.lastSequence();
        ValidationException e = assertThrows(ValidationException.class,
                () -> engine.putEnvironment(new Environment("9<,..-", null, 0), Mutation.ANY_VERSION, WRITER));
        assertEquals("/name", e.violations().get(0).field());
        assertEquals(before, store.lastSequence(), "nothing stored");
    }

    @Test
    void recordsInTheStoreThatDoNotDecodeAreLeftOutAndEvaluationAndRestartGoOn() throws Exception {
        store.commit(List.of(
                new Mutation("environment", "9<,..-", null, "{\"name\":\"9<,..-\"}", Mutation.ANY_VERSION,
                        null, "test", null, null),
                new Mutation("flag", "broken", null, "{\"type\":\"boolean\"}", Mutation.ANY_VERSION, null,
                        "test", null, null)));
        long started = System.nanoTime();
        putFlag("{\"type\":\"number\",\"variants\":{\"v\":7},\"defaultVariant\":\"v\"}", "after");
        assertTrue(System.nanoTime() - started < 2_000_000_000L, "the next write is visible at once");
        assertEquals(7L, engine.evaluate("production", "after", ctx("u", Map.of())).value());
        assertEquals(ErrorCode.FLAG_NOT_FOUND, engine.evaluate("production", "broken", ctx("u", Map.of())).errorCode());
        assertEquals(List.of("development", "production", "staging"),
                engine.environments().stream().map(Environment::name).sorted().toList());

        engine.stop();
        engine = new FlagEngine(store, config(200));
        engine.start();
        assertEquals(7L, engine.evaluate("production", "after", ctx("u", Map.of())).value(), "a restart serves too");
    }

    @Test
    void aFlagBuiltByHandThatTheCodecCannotReadBackIsRefusedAndSnapshotsKeepBuilding() {
        Flag valid = putFlag(BOOL, "f").value();
        Flag broken = new Flag("f", valid.type(), valid.description(), valid.enabled(), valid.variants(),
                valid.defaultVariant(), valid.overrides(), valid.rules(),
                Map.of("production", new FlagEnvironment(null, "ghost", List.of(), null)), valid.version());
        long before = store.lastSequence();
        ValidationException e = assertThrows(ValidationException.class, () -> engine.putFlag(broken, 1, WRITER));
        assertTrue(e.violations().get(0).message().contains("ghost"), e.violations().toString());
        assertEquals(before, store.lastSequence(), "nothing stored");
        long started = System.nanoTime();
        putFlag("{\"type\":\"number\",\"variants\":{\"v\":7},\"defaultVariant\":\"v\"}", "after");
        assertTrue(System.nanoTime() - started < 2_000_000_000L, "the next write is visible at once");
        assertEquals(7L, engine.evaluate("production", "after", ctx("u", Map.of())).value());
    }

    @Test
    void badOperandsAndUnknownSegmentsAndEnvironmentsAreAllReported() {
        ValidationException e = assertThrows(ValidationException.class, () -> putFlag("""
                {"type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off",
                 "rules":[{"segment":"ghost","variant":"on"},
                          {"conditions":[{"attribute":"n","operator":"gt","values":["not a number"]}],"variant":"on"}],
                 "environments":{"moon":{"enabled":false}}}""", "f"));
        assertEquals(List.of("/environments/moon", "/rules/0/segment", "/rules/1/conditions/0/values"),
                e.violations().stream().map(Violation::field).sorted().toList());
    }

    @Test
    void anOperatorThatLeavesServesThroughItsGracePeriodThenGivesErrorResults() throws Exception {
        putFlag("""
                {"type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off",
                 "rules":[{"conditions":[{"attribute":"plan","operator":"equals","values":["pro"]}],"variant":"on"}]}""",
                "f");
        unbindAll("equals");
        assertEquals("on", engine.evaluate("production", "f", ctx("u", Map.of("plan", "pro"))).variant(),
                "within the grace period the departed operator still serves");
        long until = System.currentTimeMillis() + 5_000;
        EvaluationResult r;
        do {
            Thread.sleep(20);
            r = engine.evaluate("production", "f", ctx("u", Map.of("plan", "pro")));
        } while (r.reason() != Reason.ERROR && System.currentTimeMillis() < until);
        assertEquals(Reason.ERROR, r.reason());
        assertEquals(ErrorCode.GENERAL, r.errorCode());
        assertEquals(false, r.value(), "an error serves the default variant's value");
        assertTrue(r.errorDetails().contains("equals"), r.errorDetails());
        assertEquals(List.of("operator/equals"), engine.missingPlugins());

        bindOperator("equals", new EqualsOperator());
        waitFor(() -> engine.missingPlugins().isEmpty());
        assertEquals("on", engine.evaluate("production", "f", ctx("u", Map.of("plan", "pro"))).variant());
    }

    @Test
    void aDepartedPluginIsListedInGraceUntilItsPeriodEndsOrAReplacementArrives() throws Exception {
        engine.configure(config(1_000)); // long enough for the checks below on a loaded machine
        Map<String, Object> coin = Map.of("name", "coin", "version", "2.1.0", "service.id", SERVICE_IDS.incrementAndGet());
        AssignmentStrategy strategy = (salt, unit, weights) -> 0;
        engine.bindStrategy(strategy, coin);
        assertEquals(List.of(), engine.pluginsInGrace(), "a live plugin is not in grace");

        engine.unbindStrategy(strategy, coin);
        unbindAll("equals");
        // Outside a framework no bundle is known.
        assertEquals(List.of(new PluginInGrace("assignment/coin", "2.1.0", null),
                new PluginInGrace("operator/equals", null, null)), engine.pluginsInGrace());

        bindOperator("equals", new EqualsOperator());
        assertEquals(List.of(new PluginInGrace("assignment/coin", "2.1.0", null)), engine.pluginsInGrace(),
                "a replacement ends the grace period at once");
        waitFor(() -> engine.pluginsInGrace().isEmpty());
    }

    @Test
    void anOperatorThatThrowsGivesAnErrorResultNotAnException() {
        bindOperator("boom", values -> v -> {
            throw new IllegalStateException("kaboom");
        });
        putFlag("""
                {"type":"number","variants":{"one":1,"two":2},"defaultVariant":"one",
                 "rules":[{"conditions":[{"attribute":"x","operator":"boom"}],"variant":"two"}]}""", "f");
        EvaluationResult r = engine.evaluate("production", "f", ctx("u", Map.of("x", 1L)));
        assertEquals(Reason.ERROR, r.reason());
        assertEquals(1L, r.value());
        assertTrue(r.errorDetails().contains("kaboom"), r.errorDetails());
    }

    @Test
    void anOperatorThatHangsGivesAnErrorWithinItsBudgetAndIsThenSkipped() {
        bindOperator("hang", values -> v -> {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        });
        putFlag("""
                {"type":"string","variants":{"a":"A","b":"B"},"defaultVariant":"a",
                 "rules":[{"conditions":[{"attribute":"x","operator":"hang"}],"variant":"b"}]}""", "slow");
        putFlag(BOOL, "other");

        long start = System.nanoTime();
        EvaluationResult r = engine.evaluate("production", "slow", ctx("u", Map.of("x", "y")));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Reason.ERROR, r.reason());
        assertEquals("A", r.value());
        assertTrue(r.errorDetails().contains("time budget"), r.errorDetails());
        assertTrue(tookMillis < 2_000, "bounded by the 50 ms budget, took " + tookMillis + " ms");
        assertFalse(Thread.currentThread().isInterrupted(), "the guard's interrupt does not leak");

        start = System.nanoTime();
        r = engine.evaluate("production", "slow", ctx("u", Map.of("x", "y")));
        assertEquals(Reason.ERROR, r.reason());
        assertTrue(r.errorDetails().contains("quarantined"), r.errorDetails());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 20, "a quarantined plugin fails fast");
        assertEquals(Reason.DEFAULT, engine.evaluate("production", "other", ctx("u", Map.of())).reason());
    }

    @Test
    void writesAreVisibleToEvaluationWhenTheyReturn() {
        for (int i = 0; i < 50; i++) {
            putFlag("{\"type\":\"number\",\"variants\":{\"v\":" + i + "},\"defaultVariant\":\"v\"}", "counter");
            assertEquals((long) i, engine.evaluate("production", "counter", ctx("u", Map.of())).value());
        }
    }

    @Test
    void versionsGrowAndIfMatchConflictsChangeNothing() {
        WriteResult<Flag> first = putFlag(BOOL, "f");
        assertTrue(first.created());
        assertEquals(1, first.value().version());
        WriteResult<Flag> second = engine.putFlag(decodeFlag(BOOL, "f"), 1, WRITER);
        assertFalse(second.created());
        assertEquals(2, second.value().version());
        assertThrows(VersionConflictException.class, () -> engine.putFlag(decodeFlag(BOOL, "f"), 1, WRITER));
        assertThrows(VersionConflictException.class,
                () -> engine.putFlag(decodeFlag(BOOL, "f"), Mutation.ABSENT, WRITER));
        assertEquals(2, engine.flag("f").orElseThrow().version());
    }

    @Test
    void createAllWritesEverySegmentAndFlagInOneCommitOrNothing() {
        putFlag(BOOL, "taken");
        long before = store.lastSequence();
        Segment beta = codec.decodeSegment(codec.readTree("{\"included\":[\"u1\"]}"), "beta", 0);
        Flag usesBeta = decodeFlag("""
                {"type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off",
                 "rules":[{"segment":"beta","variant":"on"}]}""", "a");
        Flag badOperator = decodeFlag("""
                {"type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off",
                 "rules":[{"conditions":[{"attribute":"x","operator":"nope","values":["1"]}],"variant":"on"}]}""",
                "b");
        ValidationException refused = assertThrows(ValidationException.class,
                () -> engine.createAll(List.of(beta), List.of(usesBeta, badOperator, decodeFlag(BOOL, "a")), WRITER));
        assertEquals(List.of("/flags/1/rules/0/conditions/0/operator", "/flags/2/key"),
                refused.violations().stream().map(Violation::field).toList());
        assertThrows(VersionConflictException.class,
                () -> engine.createAll(List.of(beta), List.of(usesBeta, decodeFlag(BOOL, "taken")), WRITER));
        assertEquals(before, store.lastSequence(), "a refused batch stores nothing");
        assertTrue(engine.segment("beta").isEmpty());

        var created = engine.createAll(List.of(beta), List.of(usesBeta, decodeFlag(BOOL, "c")), WRITER);
        assertEquals(List.of(1L, 1L), created.flags().stream().map(w -> w.value().version()).toList());
        assertEquals(before + 3, store.lastSequence());
        var records = store.changes(before, 10);
        assertEquals(List.of("beta", "a", "c"), records.stream().map(r -> r.key()).toList());
        assertTrue(records.stream().allMatch(r -> "req-1".equals(r.requestId()) && "create".equals(r.action())));
        assertEquals("on", engine.evaluate("production", "a", ctx("u1", Map.of())).variant(),
                "visible when it returns");
    }

    @Test
    void aSegmentInUseCannotBeDeleted() {
        putSegment("{\"included\":[\"u1\"]}", "s");
        putFlag("""
                {"type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off",
                 "environments":{"staging":{"rules":[{"segment":"s","variant":"on"}]}}}""", "f");
        ValidationException e = assertThrows(ValidationException.class,
                () -> engine.deleteSegment("s", Mutation.ANY_VERSION, WRITER));
        assertTrue(e.violations().get(0).message().contains("f"));
        engine.deleteFlag("f", Mutation.ANY_VERSION, WRITER);
        engine.deleteSegment("s", Mutation.ANY_VERSION, WRITER);
        assertTrue(engine.segment("s").isEmpty());
    }

    @Test
    void validationRulesRefuseOrWarnPerKind() {
        ValidationRule noDescription = change -> change.after() == null
                || ((Map<?, ?>) change.after()).containsKey("description")
                ? List.of() : List.of(new Violation("needs-description", "/description", "say what it is for",
                Violation.Severity.WARNING));
        ValidationRule noDeletes = change -> change.after() == null
                ? List.of(Violation.error("no-deletes", "", "flags are never deleted")) : List.of();
        engine.bindValidationRule(noDescription, Map.of("name", "needs-description", "kinds", "flag",
                "service.id", SERVICE_IDS.incrementAndGet()));
        engine.bindValidationRule(noDeletes, Map.of("name", "no-deletes", "kinds", new String[] {"flag"},
                "service.id", SERVICE_IDS.incrementAndGet()));
        WriteResult<Flag> written = putFlag(BOOL, "f");
        assertEquals(List.of("needs-description"), written.warnings().stream().map(Violation::rule).toList());
        putSegment("{\"included\":[\"u1\"]}", "s");
        ValidationException e = assertThrows(ValidationException.class,
                () -> engine.deleteFlag("f", Mutation.ANY_VERSION, WRITER));
        assertEquals("no-deletes", e.violations().get(0).rule());
        assertTrue(engine.flag("f").isPresent());
    }

    /** What a broken rule plugin throws: a bug, a stack it exhausts, a class its departed bundle took along. */
    static Stream<Throwable> ruleFailures() {
        return Stream.of(new IllegalStateException("broken plugin"), new StackOverflowError(),
                new NoClassDefFoundError("com/example/Gone"), new ExceptionInInitializerError("static init"));
    }

    @ParameterizedTest
    @MethodSource("ruleFailures")
    void aRuleThatThrowsRefusesTheWriteWithAViolationNamingTheRule(Throwable failure) {
        engine.bindValidationRule(change -> {
            throw sneaky(failure);
        }, Map.of("name", "broken", "kinds", "flag", "service.id", SERVICE_IDS.incrementAndGet()));

        ValidationException refused = assertThrows(ValidationException.class, () -> putFlag(BOOL, "f"));

        assertEquals("broken", refused.violations().get(0).rule());
        assertTrue(refused.violations().get(0).message().contains("validation rule 'broken' failed"),
                refused.violations().get(0).message());
        assertTrue(engine.flag("f").isEmpty());
    }

    @Test
    void aRuleThatRunsOutOfMemoryIsTheServersFailureAndPropagates() {
        engine.bindValidationRule(change -> {
            throw new OutOfMemoryError("simulated");
        }, Map.of("name", "hungry", "kinds", "flag", "service.id", SERVICE_IDS.incrementAndGet()));

        assertThrows(OutOfMemoryError.class, () -> putFlag(BOOL, "f"));
    }

    /** Throws any throwable from a lambda whose interface declares none. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable failure) throws T {
        throw (T) failure;
    }

    // ------------------------------------------------------------------ helpers

    private static final String BOOL = """
            {"type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off"}""";

    private final Map<String, List<Map.Entry<EvaluationOperator, Map<String, Object>>>> bound = new HashMap<>();

    private Map<String, Object> bindOperator(String name, EvaluationOperator operator) {
        Map<String, Object> props = props(name);
        engine.bindOperator(operator, props);
        bound.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(Map.entry(operator, props));
        return props;
    }

    private void unbindAll(String name) {
        bound.getOrDefault(name, List.of()).forEach(e -> engine.unbindOperator(e.getKey(), e.getValue()));
        bound.remove(name);
    }

    private static Map<String, Object> props(String name) {
        return Map.of("name", name, "service.id", SERVICE_IDS.incrementAndGet());
    }

    private Flag decodeFlag(String json, String key) {
        return codec.decodeFlag(codec.readTree(json), key, 0);
    }

    private WriteResult<Flag> putFlag(String json, String key) {
        return engine.putFlag(decodeFlag(json, key), Mutation.ANY_VERSION, WRITER);
    }

    private void putSegment(String json, String key) {
        Segment s = codec.decodeSegment(codec.readTree(json), key, 0);
        engine.putSegment(s, Mutation.ANY_VERSION, WRITER);
    }

    private static EvaluationContext ctx(String key, Map<String, Object> attributes) {
        return new EvaluationContext(key, attributes);
    }

    private String outcome(String env, String key, Map<String, Object> attributes) {
        EvaluationResult r = engine.evaluate(env, "f", ctx(key, attributes));
        return r.variant() + "/" + r.reason();
    }

    private static String expect(String variant, Reason reason) {
        return variant + "/" + reason;
    }

    @Test
    void anOperatorWhoseCompileSpinsHoldsNeitherWritesNorSnapshotsAndIsRetriedAfterItsQuarantine() throws Exception {
        engine.configure(config(200, 50, 400));
        AtomicBoolean spin = new AtomicBoolean(true);
        AtomicInteger compiles = new AtomicInteger();
        bindOperator("spin", values -> {
            if (compiles.incrementAndGet() > 1) {
                while (spin.get()) {
                    Thread.onSpinWait(); // deaf to interrupts
                }
            }
            return v -> true;
        });
        // the write's own check compiles once (within budget); the snapshot build's compile spins
        putFlag("""
                {"type":"string","variants":{"a":"A","b":"B"},"defaultVariant":"a",
                 "rules":[{"conditions":[{"attribute":"x","operator":"spin"}],"variant":"b"}]}""", "spun");
        long started = System.nanoTime();
        putFlag(BOOL, "next");
        assertTrue(System.nanoTime() - started < 2_000_000_000L, "snapshots are built on without the stuck thread");
        assertEquals(Reason.DEFAULT, engine.evaluate("production", "next", ctx("u", Map.of())).reason());
        EvaluationResult spun = engine.evaluate("production", "spun", ctx("u", Map.of("x", 1L)));
        assertEquals(Reason.ERROR, spun.reason());
        assertTrue(spun.errorDetails().contains("operator/spin"), spun.errorDetails());

        spin.set(false);
        waitFor(() -> engine.evaluate("production", "spun", ctx("u", Map.of("x", 1L))).reason()
                == Reason.TARGETING_MATCH);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.currentTimeMillis() + 5_000;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < until) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean());
    }

    @Test
    void aConfigurationEditAppliesAtOnceAndAnInvalidOneIsRefusedWholesale() {
        engine.configure(config(700));
        assertEquals(700, engine.graceMillis());

        engine.configure(config(-1));
        assertEquals(700, engine.graceMillis(), "a negative grace period is refused");
        engine.configure(new FlagEngine.Config() {
            @Override
            public long pluginGracePeriodMillis() {
                return 900;
            }

            @Override
            public long writeVisibilityTimeoutMillis() {
                throw new IllegalArgumentException("'soon' is not a number");
            }

            @Override
            public long pluginCallBudgetMillis() {
                return 50;
            }

            @Override
            public long pluginQuarantineMillis() {
                return 50;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return FlagEngine.Config.class;
            }
        });
        assertEquals(700, engine.graceMillis(), "nothing of an edit with an unreadable value applies");
    }

    private static FlagEngine.Config config(long graceMillis) {
        return config(graceMillis, 50, 60_000);
    }

    private static FlagEngine.Config config(long graceMillis, long budgetMillis, long quarantineMillis) {
        return new FlagEngine.Config() {
            @Override
            public long pluginGracePeriodMillis() {
                return graceMillis;
            }

            @Override
            public long writeVisibilityTimeoutMillis() {
                return 5_000;
            }

            @Override
            public long pluginCallBudgetMillis() {
                return budgetMillis;
            }

            @Override
            public long pluginQuarantineMillis() {
                return quarantineMillis;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return FlagEngine.Config.class;
            }
        };
    }
}
