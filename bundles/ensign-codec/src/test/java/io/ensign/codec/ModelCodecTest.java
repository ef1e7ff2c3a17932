package io.ensign.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.ensign.api.model.Environment;
import io.ensign.api.model.Flag;
import io.ensign.api.model.FlagType;
import io.ensign.api.model.Segment;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;
import org.junit.jupiter.api.Test;

class ModelCodecTest {
    private final ModelCodec codec = new ModelCodec();

    private static final String FULL = """
            {"key":"checkout-v2","type":"boolean","description":"new checkout","enabled":true,
             "variants":{"on":true,"off":false},"defaultVariant":"off","overrides":{"user-42":"on"},
             "rules":[{"name":"beta","segment":"beta-testers","variant":"on"},
                      {"conditions":[{"attribute":"country","operator":"in","values":["NL","DE"]}],
                       "rollout":{"strategy":"hash","weights":{"on":20,"off":80},"bucketBy":"targetingKey"}}],
             "environments":{"staging":{"defaultVariant":"on"}}}""";

    @Test
    void decodesTheApiExampleFlag() {
        Flag flag = codec.decodeFlag(codec.readTree(FULL), "checkout-v2", 3);
        assertEquals(FlagType.BOOLEAN, flag.type());
        assertEquals(List.of("on", "off"), List.copyOf(flag.variants().keySet()));
        assertEquals(true, flag.variants().get("on"));
        assertEquals("on", flag.overrides().get("user-42"));
        assertEquals("beta-testers", flag.rules().get(0).segment());
        assertEquals(List.of("NL", "DE"), flag.rules().get(1).conditions().get(0).values());
        assertEquals(List.of("on", "off"), List.copyOf(flag.rules().get(1).rollout().weights().keySet()));
        assertEquals("on", flag.environments().get("staging").defaultVariant());
        assertNull(flag.environments().get("staging").rules(), "absent env rules inherit the global ones");
        assertEquals(3, flag.version());
    }

    @Test
    void encodingThenDecodingGivesTheSameFlag() {
        Flag flag = codec.decodeFlag(codec.readTree(FULL), "checkout-v2", 1);
        String json = codec.write(codec.encodeFlag(flag));
        assertEquals(flag, codec.decodeFlag(codec.readTree(json), "checkout-v2", 1));
    }

    @Test
    void reportsEveryProblemWithItsPointer() {
        String bad = """
                {"key":"other","type":"number","enable":false,"variants":{"a":1,"b":"two"},
                 "defaultVariant":"c","overrides":{"u1":"z"},
                 "rules":[{"variant":"a","rollout":{"weights":{"a":1}}},
                          {"conditions":[{"operator":"eq"}],"variant":"a"},
                          {"rollout":{"weights":{"a":-1}}}]}""";
        ValidationException e = assertThrows(ValidationException.class,
                () -> codec.decodeFlag(codec.readTree(bad), "mine", 0));
        Map<String, String> byField = e.violations().stream()
                .collect(Collectors.toMap(Violation::field, Violation::message, (a, b) -> a + "; " + b));
        assertTrue(byField.containsKey("/key"), byField.toString());
        assertTrue(byField.containsKey("/enable"), byField.toString());
        assertTrue(byField.containsKey("/variants/b"), byField.toString());
        assertTrue(byField.containsKey("/defaultVariant"), byField.toString());
        assertTrue(byField.containsKey("/overrides/u1"), byField.toString());
        assertTrue(byField.containsKey("/rules/0"), byField.toString());
        assertTrue(byField.containsKey("/rules/1/conditions/0/attribute"), byField.toString());
        assertTrue(byField.containsKey("/rules/2/rollout/weights/a"), byField.toString());
        assertTrue(e.violations().stream().allMatch(v -> v.rule().equals("schema")));
    }

    @Test
    void aRuleWithNeitherSegmentNorConditionsIsARolloutToEveryone() {
        Flag flag = codec.decodeFlag(codec.readTree("""
                {"type":"string","variants":{"a":"x","b":"y"},"defaultVariant":"a",
                 "rules":[{"rollout":{"weights":{"a":10,"b":90}}}]}"""), "k", 0);
        assertTrue(flag.rules().get(0).conditions().isEmpty());
        assertEquals("hash", flag.rules().get(0).rollout().strategy());
        assertEquals("targetingKey", flag.rules().get(0).rollout().bucketBy());
        assertNull(flag.rules().get(0).rollout().salt(), "no salt: the strategy hashes with the flag key");
        assertEquals("k", flag.rules().get(0).rollout().saltOr("k"));
    }

    @Test
    void aNegatedConditionIsReadAndWrittenBackAndNegateMustBeABoolean() {
        Flag flag = codec.decodeFlag(codec.readTree("""
                {"type":"string","variants":{"a":"x"},"defaultVariant":"a",
                 "rules":[{"conditions":[{"attribute":"plan","operator":"equals","values":["pro"],"negate":true},
                                         {"attribute":"plan","operator":"exists"}],"variant":"a"}]}"""), "k", 0);
        assertTrue(flag.rules().get(0).conditions().get(0).negate());
        assertFalse(flag.rules().get(0).conditions().get(1).negate(), "absent: not negated");
        assertEquals(flag, codec.decodeFlag(codec.readTree(codec.write(codec.encodeFlag(flag))), "k", 0));
        ValidationException e = assertThrows(ValidationException.class, () -> codec.decodeFlag(codec.readTree("""
                {"type":"string","variants":{"a":"x"},"defaultVariant":"a",
                 "rules":[{"conditions":[{"attribute":"p","operator":"exists","negate":"yes"}],"variant":"a"}]}"""),
                "k", 0));
        assertEquals(List.of("/rules/0/conditions/0/negate"), e.violations().stream().map(Violation::field).toList());
    }

    @Test
    void aRolloutSaltAndCoverageAreReadWrittenBackAndChecked() {
        Flag flag = codec.decodeFlag(codec.readTree("""
                {"type":"string","variants":{"a":"x","b":"y"},"defaultVariant":"a",
                 "rules":[{"rollout":{"strategy":"growthbook","weights":{"a":10,"b":90},"salt":"group-7",
                           "coverage":0.4}}]}"""), "k", 0);
        assertEquals("group-7", flag.rules().get(0).rollout().saltOr("k"));
        assertEquals(0.4, flag.rules().get(0).rollout().coverage());
        String json = codec.write(codec.encodeFlag(flag));
        assertEquals(flag, codec.decodeFlag(codec.readTree(json), "k", 0));
        ValidationException e = assertThrows(ValidationException.class, () -> codec.decodeFlag(codec.readTree("""
                {"type":"string","variants":{"a":"x"},"defaultVariant":"a",
                 "rules":[{"rollout":{"weights":{"a":1},"salt":7,"coverage":1.5}}]}"""), "k", 0));
        assertEquals(List.of("/rules/0/rollout/salt", "/rules/0/rollout/coverage"),
                e.violations().stream().map(Violation::field).toList());
    }

    @Test
    void objectFlagsTakeObjectsAndArraysOnly() {
        ValidationException e = assertThrows(ValidationException.class, () -> codec.decodeFlag(codec.readTree("""
                {"type":"object","variants":{"a":{"x":1},"b":[1,2],"c":3},"defaultVariant":"a"}"""), "k", 0));
        assertEquals(List.of("/variants/c"), e.violations().stream().map(Violation::field).toList());
    }

    @Test
    void keysOutsideThePatternAreRefused() {
        assertFalse(ModelCodec.isValidKey("has space"));
        assertFalse(ModelCodec.isValidKey("x".repeat(129)));
        assertTrue(ModelCodec.isValidKey("a.b-c_D9"));
    }

    @Test
    void allowedOriginsAreOriginsOrTheWildcardAndRoundTrip() {
        Environment e = codec.decodeEnvironment(codec.readTree(
                "{\"allowedOrigins\":[\"https://App.Example.com\",\"http://localhost:5173\",\"*\"]}"), "web", 3);
        assertEquals(List.of("https://app.example.com", "http://localhost:5173", "*"), e.allowedOrigins());
        assertEquals(e, codec.decodeEnvironment(codec.encodeEnvironment(e), "web", 3));
        assertTrue(e.allowsOrigin("https://elsewhere.example"), "* allows any origin");
        Environment one = codec.decodeEnvironment(codec.readTree("{\"allowedOrigins\":[\"https://a.example\"]}"), "w", 1);
        assertTrue(one.allowsOrigin("https://A.example"));
        assertFalse(one.allowsOrigin("https://a.example:8443"));
        assertFalse(one.allowsOrigin("null"));
        assertFalse(codec.encodeEnvironment(codec.decodeEnvironment(null, "w", 1)).has("allowedOrigins"),
                "none by default, and nothing written for none");
        for (String bad : new String[] {"\"https://a.example/\"", "\"https://a.example/app\"", "\"a.example\"",
                "\"ftp://a.example\"", "7", "\"https://a.example?x=1\"", "\"null\""}) {
            ValidationException refused = assertThrows(ValidationException.class, () -> codec.decodeEnvironment(
                    codec.readTree("{\"allowedOrigins\":[\"https://ok.example\"," + bad + "]}"), "w", 1), bad);
            assertEquals("/allowedOrigins/1", refused.violations().get(0).field(), bad);
        }
        assertThrows(ValidationException.class,
                () -> codec.decodeEnvironment(codec.readTree("{\"allowedOrigins\":\"*\"}"), "w", 1));
    }

    @Test
    void anEnvironmentsNameFromThePathIsCheckedWithOrWithoutABody() {
        for (var body : java.util.Arrays.asList(null, codec.readTree("null"), codec.readTree("{}"))) {
            ValidationException e = assertThrows(ValidationException.class,
                    () -> codec.decodeEnvironment(body, "9<,..-", 0));
            assertEquals(List.of("/name"), e.violations().stream().map(Violation::field).toList());
        }
        assertEquals("qa", codec.decodeEnvironment(null, "qa", 0).name());
    }

    @Test
    void segmentsRoundTrip() {
        Segment s = codec.decodeSegment(codec.readTree("""
                {"conditions":[{"attribute":"plan","operator":"equals","values":["pro"]}],
                 "included":["u1"],"excluded":["u9"]}"""), "beta", 2);
        assertEquals(s, codec.decodeSegment(codec.readTree(codec.write(codec.encodeSegment(s))), "beta", 2));
        assertTrue(s.included().contains("u1"));
        assertTrue(s.excluded().contains("u9"));
    }

    @Test
    void integralNumbersBecomeLongsAndOthersDoubles() {
        assertEquals(3L, PlainValues.toJava(codec.readTree("3")));
        assertEquals(2.5, PlainValues.toJava(codec.readTree("2.5")));
        String json = "{\"a\":[1,true,null,\"s\",{\"b\":0.5}]}";
        assertEquals(json, codec.write(PlainValues.toJson(PlainValues.toJava(codec.readTree(json)))));
    }
}
