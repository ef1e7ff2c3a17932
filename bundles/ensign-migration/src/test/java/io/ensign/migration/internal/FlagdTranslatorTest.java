package io.ensign.migration.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class FlagdTranslatorTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private Translation translate(String json) throws Exception {
        return new FlagdTranslator().translate(mapper.readTree(json));
    }

    private static String flag(String targeting) {
        return """
                {"flags": {"f": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                 "targeting": %s}},
                 "$evaluators": {"beta": {"in": [{"var": "email"}, ["a@x", "b@x"]]},
                                 "loop": {"$ref": "loop"}}}""".formatted(targeting);
    }

    @Test
    void anIfChainBecomesRulesInOrderWithAndAsConditionsOrAsOneRuleEachAndNotAsNegation() throws Exception {
        Translation t = translate(flag("""
                {"if": [{"and": [{"starts_with": [{"var": "email"}, "ad"]},
                                 {"or": [{"sem_ver": [{"var": "v"}, ">=", "1.2.0"]}, {"!": {"in": ["x", {"var": "n"}]}}]}]},
                        "on",
                        {"$ref": "beta"}, "on",
                        "off"]}"""));
        assertTrue(t.complete(), t.toString());
        JsonNode rules = t.flags().get(0).flag().get("rules");
        assertEquals(4, rules.size());
        assertEquals(mapper.readTree("""
                {"conditions": [{"attribute": "email", "operator": "starts_with", "values": ["ad"]},
                                {"attribute": "v", "operator": "semver_gte", "values": ["1.2.0"]}], "variant": "on"}"""),
                rules.get(0));
        assertEquals(mapper.readTree("""
                {"attribute": "n", "operator": "contains", "values": ["x"], "negate": true}"""),
                rules.get(1).get("conditions").get(1));
        assertEquals(mapper.readTree("""
                {"conditions": [{"attribute": "email", "operator": "in", "values": ["a@x", "b@x"]}], "variant": "on"}"""),
                rules.get(2));
        assertEquals(mapper.readTree("{\"conditions\": [], \"variant\": \"off\"}"), rules.get(3));
    }

    @Test
    void aNestedIfWithoutElseServesTheDefaultWhereFlagdWould() throws Exception {
        Translation t = translate(flag("""
                {"if": [{"==": [{"var": "tier"}, "gold"]}, {"if": [{"ends_with": [{"var": "email"}, "@x"]}, "on"]},
                        "on"]}"""));
        JsonNode rules = t.flags().get(0).flag().get("rules");
        assertEquals(List.of("on", "off", "on"), rules.findValuesAsText("variant"));
        assertEquals(2, rules.get(0).get("conditions").size());
        assertEquals(1, rules.get(1).get("conditions").size(), "tier = gold and no match inside: the default");
        assertEquals(0, rules.get(2).get("conditions").size());
    }

    @Test
    void fractionalBecomesAFlagdFractionalRolloutWithItsBucketingKey() throws Exception {
        Translation t = translate("""
                {"flags": {"f": {"variants": {"a": "A", "b": "B", "c": "C"}, "defaultVariant": "a",
                 "targeting": {"if": [{"in": [{"var": "c"}, ["NL"]]},
                     {"fractional": [{"cat": [{"var": "$flagd.flagKey"}, {"var": "email"}]}, ["a", 10], ["b"]]},
                     {"fractional": [{"var": "org"}, ["b", 1], ["c", 3]]}]}}}}""");
        JsonNode rules = t.flags().get(0).flag().get("rules");
        assertEquals(mapper.readTree("""
                {"strategy": "flagd-fractional", "bucketBy": "email", "weights": {"a": 10, "b": 1}}"""),
                mapper.readTree(rules.get(0).get("rollout").toString()));
        assertEquals(mapper.readTree("""
                {"strategy": "flagd-fractional", "bucketBy": "org", "salt": "", "weights": {"b": 1, "c": 3}}"""),
                mapper.readTree(rules.get(1).get("rollout").toString()));
        assertEquals("string", t.flags().get(0).flag().get("type").asText());
    }

    @Test
    void whatEnsignCannotExpressIsAProblemWithThePointerToItAndNoFlag() throws Exception {
        Translation t = translate(flag("""
                {"if": [{"<": [{"var": "age"}, 18]}, "off", {"!": {"and": [{"$ref": "beta"}, {"$ref": "beta"}]}}, "on",
                        {"$ref": "loop"}, "on", {"in": [{"var": "$flagd.timestamp"}, ["1"]]}, "nope"]}"""));
        FlagTranslation f = t.flags().get(0);
        assertFalse(f.translated());
        assertNull(f.flag());
        assertEquals(List.of("/flags/f/targeting/if/0/<", "/flags/f/targeting/if/2/!",
                "/$evaluators/loop", "/flags/f/targeting/if/6/in", "/flags/f/targeting/if/7"),
                f.problems().stream().map(Problem::field).toList());
        assertTrue(f.problems().get(0).message().contains("'<' has no Ensign condition"), f.problems().toString());
        FlagTranslation unwrapped = translate(flag("{\"if\": [{\"!\": {\"or\": [{\"var\": \"b\"}]}}, \"on\"]}"))
                .flags().get(0);
        assertEquals("/flags/f/targeting/if/0/!/or/0/var", unwrapped.problems().get(0).field());
    }

    @Test
    void aDisabledFlagIsNotedMixedVariantsAndAMissingDefaultAreProblems() throws Exception {
        Translation t = translate("""
                {"flags": {"d": {"state": "DISABLED", "variants": {"x": 1, "y": 2.5}, "defaultVariant": "x"},
                           "m": {"variants": {"x": 1, "y": "two"}},
                           "bad key!": {"variants": {"x": 1}, "defaultVariant": "x"}}}""");
        assertTrue(t.flags().get(0).translated());
        assertFalse(t.flags().get(0).flag().get("enabled").asBoolean());
        assertEquals(1, t.flags().get(0).notes().size());
        assertEquals(List.of("/flags/m/variants", "/flags/m/defaultVariant"),
                t.flags().get(1).problems().stream().map(Problem::field).toList());
        assertEquals("/flags/bad key!", t.flags().get(2).problems().get(0).field());
        assertFalse(translate("{\"flag\": {}}").complete());
    }
}
