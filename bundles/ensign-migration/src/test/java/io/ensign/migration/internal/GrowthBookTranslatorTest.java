package io.ensign.migration.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.model.Flag;
import io.ensign.codec.ModelCodec;
import org.junit.jupiter.api.Test;

class GrowthBookTranslatorTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private Translation translate(String json) throws Exception {
        return new GrowthBookTranslator().translate(mapper.readTree(json));
    }

    private JsonNode rules(String feature) throws Exception {
        Translation t = translate("{\"features\": {\"f\": " + feature + "}}");
        assertTrue(t.complete(), t.toString());
        return t.flags().get(0).flag().get("rules");
    }

    private JsonNode json(String text) throws Exception {
        return mapper.readTree(text);
    }

    @Test
    void forceRulesServeTheirValueAndACoverageIsAOneWeightGrowthBookRollout() throws Exception {
        Translation t = translate("""
                {"features": {"f": {"defaultValue": false, "rules": [
                  {"condition": {"country": "NL"}, "force": true},
                  {"force": true, "coverage": 0.25, "hashAttribute": "company", "seed": "s1", "hashVersion": 2},
                  {"force": true, "coverage": 0.5}]}}}""");
        assertTrue(t.complete(), t.toString());
        JsonNode flag = t.flags().get(0).flag();
        assertEquals("boolean", flag.get("type").asText());
        assertEquals(json("{\"off\": false, \"on\": true}"), flag.get("variants"));
        assertEquals("off", flag.get("defaultVariant").asText());
        JsonNode rules = flag.get("rules");
        assertEquals(json("""
                {"conditions": [{"attribute": "country", "operator": "equals", "values": ["NL"]}], "variant": "on"}"""),
                rules.get(0));
        assertEquals(json("""
                {"strategy": "growthbook", "salt": "s1", "bucketBy": "company", "weights": {"on": 1},
                 "coverage": 0.25}"""), rules.get(1).get("rollout"));
        assertEquals(json("""
                {"strategy": "growthbook-v1", "salt": "f", "bucketBy": "targetingKey", "weights": {"on": 1},
                 "coverage": 0.5}"""), rules.get(2).get("rollout"));
        Flag decoded = new ModelCodec().decodeFlag(flag, "f", 0);
        assertEquals(3, decoded.rules().size());
    }

    @Test
    void anExperimentIsASplitWithGrowthBooksWeightsCoverageAndSeedTheKeyOrTheFeatureKeyByDefault() throws Exception {
        JsonNode rules = rules("""
                {"defaultValue": "control", "rules": [
                  {"key": "exp-1", "variations": ["control", "blue", "green"], "weights": [0.5, 0.25, 0.25],
                   "coverage": 0.8, "hashVersion": 2},
                  {"variations": ["control", "blue"], "seed": "s2", "hashAttribute": "device"},
                  {"variations": ["control", "green"], "weights": [0.3, 0.3]}]}""");
        assertEquals(json("""
                {"strategy": "growthbook", "salt": "exp-1", "bucketBy": "targetingKey",
                 "weights": {"control": 0.5, "blue": 0.25, "green": 0.25}, "coverage": 0.8}"""),
                rules.get(0).get("rollout"));
        assertEquals(json("""
                {"strategy": "growthbook-v1", "salt": "s2", "bucketBy": "device",
                 "weights": {"control": 0.5, "blue": 0.5}}"""), rules.get(1).get("rollout"));
        // weights adding up to 0.6 are invalid to GrowthBook, which splits equally instead
        assertEquals(json("{\"control\": 0.5, \"green\": 0.5}"), rules.get(2).get("rollout").get("weights"));
        assertEquals("f", rules.get(2).get("rollout").get("salt").asText());
    }

    @Test
    void coveragesAndRangesAreReadAsGrowthBookReadsThem() throws Exception {
        Translation t = translate("""
                {"f": {"defaultValue": "a", "rules": [
                  {"force": "b", "coverage": 0},
                  {"force": "b", "coverage": 1.5, "hashVersion": 2},
                  {"variations": ["a", "b"], "weights": [0.4, 0.6], "coverage": 0.5, "ranges": [[0, 0.2], [0.4, 0.7]]},
                  {"variations": ["a"]}]},
                 "g": {"defaultValue": "a", "rules": [
                  {"variations": ["a", "b"], "ranges": [[0, 0.5], [0.6, 1]]}, {"force": "b", "hashVersion": 3,
                   "coverage": 0.5}]}}""");
        FlagTranslation f = t.flags().get(0);
        assertTrue(f.translated(), f.toString());
        JsonNode rules = f.flag().get("rules");
        // coverage 0: GrowthBook serves no one, so no rule; above 1: everyone with a unit; one variation: skipped
        assertEquals(2, rules.size());
        assertEquals(1.0, rules.at("/0/rollout/coverage").asDouble());
        assertEquals(0.5, rules.at("/1/rollout/coverage").asDouble());
        assertEquals(2, f.notes().size(), f.notes().toString());
        FlagTranslation g = t.flags().get(1);
        assertEquals(List.of("/g/rules/0/ranges", "/g/rules/1/hashVersion"),
                g.problems().stream().map(Problem::field).toList());
    }

    @Test
    void variationsOfTheSameValueAreVariantsOfTheirOwnSoTheBucketsKeepTheirOrder() throws Exception {
        Translation t = translate("""
                {"f": {"defaultValue": 0, "rules": [{"variations": [1, 2, 1], "weights": [0.2, 0.3, 0.5]}]}}""");
        assertTrue(t.complete(), t.toString());
        JsonNode flag = t.flags().get(0).flag();
        assertEquals("number", flag.get("type").asText());
        JsonNode weights = flag.at("/rules/0/rollout/weights");
        List<String> names = List.copyOf(mapper.convertValue(weights, java.util.Map.class).keySet());
        assertEquals(3, names.size());
        assertEquals(List.of(1, 2, 1), names.stream().map(n -> flag.get("variants").get(n).asInt()).toList());
        assertEquals(0.5, weights.get(names.get(2)).asDouble());
    }

    @Test
    void conditionsOfEveryTranslatedKindBecomeConditionsAndAlternativesBecomeRules() throws Exception {
        JsonNode rules = rules("""
                {"defaultValue": "a", "rules": [{"force": "b", "condition": {
                  "id": {"$in": ["u1", "u2"]}, "plan": {"$ne": "free"}, "email": {"$regex": "@x\\\\.com$"},
                  "age": {"$gte": 18}, "beta": {"$exists": true},
                  "$or": [{"country": {"$nin": ["NL"]}}, {"v": {"$vgt": "1.2.0"}}]}}]}""");
        assertEquals(2, rules.size());
        assertEquals(json("""
                [{"attribute": "targetingKey", "operator": "in", "values": ["u1", "u2"]},
                 {"attribute": "plan", "operator": "equals", "values": ["free"], "negate": true},
                 {"attribute": "email", "operator": "matches", "values": ["@x\\\\.com$"]},
                 {"attribute": "age", "operator": "num_gte", "values": [18]},
                 {"attribute": "beta", "operator": "exists", "values": []},
                 {"attribute": "country", "operator": "in", "values": ["NL"], "negate": true}]"""),
                rules.get(0).get("conditions"));
        assertEquals(json("{\"attribute\": \"v\", \"operator\": \"version_gt\", \"values\": [\"1.2.0\"]}"),
                rules.get(1).get("conditions").get(5));
    }

    @Test
    void whereGrowthBookGivesAMissingAttributeAStandInThatPassesAMissingAttributeIsAnAlternative()
            throws Exception {
        // a missing attribute is version 0 (0 < 1.0.0), the number 0 (0 <= 5) and the text "null" (/nu/)
        for (String condition : List.of("{\"v\": {\"$vlt\": \"1.0.0\"}}", "{\"n\": {\"$lte\": 5}}",
                "{\"s\": {\"$regex\": \"nu\"}}", "{\"n\": 0}")) {
            JsonNode rules = rules("{\"defaultValue\": 1, \"rules\": [{\"force\": 2, \"condition\": " + condition
                    + "}]}");
            assertEquals(2, rules.size(), condition);
            JsonNode missing = rules.get(1).get("conditions").get(0);
            assertEquals("exists", missing.get("operator").asText(), condition);
            assertTrue(missing.get("negate").asBoolean(), condition);
        }
        assertEquals(1, rules("{\"defaultValue\": 1, \"rules\": [{\"force\": 2, \"condition\": "
                + "{\"v\": {\"$vgt\": \"1.0.0\"}, \"n\": {\"$gt\": 5}}}]}").size());
    }

    @Test
    void notAndNorNegateByDeMorgan() throws Exception {
        JsonNode rules = rules("""
                {"defaultValue": "a", "rules": [{"force": "b", "condition": {
                  "$not": {"x": "1", "y": "2"}, "$nor": [{"z": "3"}]}}]}""");
        assertEquals(2, rules.size());
        for (JsonNode rule : rules) {
            JsonNode conditions = rule.get("conditions");
            assertEquals(2, conditions.size());
            conditions.forEach(c -> assertTrue(c.get("negate").asBoolean(), c.toString()));
            assertEquals("z", conditions.get(1).get("attribute").asText());
        }
        assertEquals(List.of("x", "y"), List.of(rules.get(0).at("/conditions/0/attribute").asText(),
                rules.get(1).at("/conditions/0/attribute").asText()));
    }

    @Test
    void whatEnsignCannotExpressIsAProblemOfItsFeatureByPointer() throws Exception {
        Translation t = translate("""
                {"features": {
                  "ok": {"defaultValue": true},
                  "pre": {"defaultValue": true, "rules": [{"force": false, "parentConditions": [{"id": "ok"}]}]},
                  "ns": {"defaultValue": "a", "rules": [{"variations": ["a", "b"], "namespace": ["n", 0, 0.5]}]},
                  "elem": {"defaultValue": 1, "rules": [{"force": 2,
                           "condition": {"tags": {"$elemMatch": {"$eq": "x"}}}}]},
                  "nested": {"defaultValue": 1, "rules": [{"force": 2, "condition": {"a.b": "x"}}]},
                  "size": {"defaultValue": 1, "rules": [{"force": 2, "condition": {"tags": {"$size": 2}}}]},
                  "tracked": {"defaultValue": 1, "rules": [{"force": 2, "tracks": [{}]}]},
                  "loose": {"defaultValue": 1, "rules": [{"force": 2, "condition": {"name": {"$gt": "m"}}}]},
                  "mixed": {"defaultValue": 1, "rules": [{"force": "two"}]},
                  "none": {"rules": []},
                  "bad:key": {"defaultValue": 1}}}""");
        assertFalse(t.complete());
        assertTrue(t.flags().get(0).translated(), t.flags().get(0).toString());
        String[][] expected = {
            {"pre", "/features/pre/rules/0/parentConditions", "prerequisites"},
            {"ns", "/features/ns/rules/0/namespace", "hash the unit a second time"},
            {"elem", "/features/elem/rules/0/condition/tags/$elemMatch", "$elemMatch"},
            {"nested", "/features/nested/rules/0/condition/a.b", "nested attribute"},
            {"size", "/features/size/rules/0/condition/tags/$size", "$size"},
            {"tracked", "/features/tracked/rules/0/tracks", "tracking callback"},
            {"loose", "/features/loose/rules/0/condition/name/$gt", "loosely"},
            {"mixed", "/features/mixed", "all booleans"},
            {"none", "/features/none/defaultValue", "null"},
            {"bad:key", "/features/bad:key", "flag key"}};
        for (int i = 0; i < expected.length; i++) {
            FlagTranslation f = t.flags().get(i + 1);
            assertEquals(expected[i][0], f.key());
            assertNull(f.flag(), f.toString());
            assertEquals(expected[i][1], f.problems().get(0).field(), f.toString());
            assertTrue(f.problems().get(0).message().contains(expected[i][2]), f.toString());
        }
    }

    @Test
    void savedGroupsOfThePayloadAreInlinedAsGrowthBookReadsThem() throws Exception {
        Translation t = translate("""
                {"savedGroups": {"staff": ["u1", "u2"], "nl": {"type": "condition", "condition": {"country": "NL"}},
                                 "beta": {"type": "list", "attributeKey": "email", "values": ["a@x"]}},
                 "features": {"f": {"defaultValue": false, "rules": [
                   {"force": true, "condition": {"id": {"$inGroup": "staff"}, "$savedGroup": {"id": "nl"}}},
                   {"force": true, "condition": {"$savedGroup": {"id": "beta"}, "plan": {"$notInGroup": "gone"}}},
                   {"force": true, "condition": {"plan": {"$inGroup": "gone"}}}]}}}""");
        assertTrue(t.complete(), t.toString());
        JsonNode rules = t.flags().get(0).flag().get("rules");
        assertEquals(json("""
                [{"attribute": "targetingKey", "operator": "in", "values": ["u1", "u2"]},
                 {"attribute": "country", "operator": "equals", "values": ["NL"]}]"""), rules.get(0).get("conditions"));
        // a group the payload lacks is an empty list to GrowthBook: everyone is not in it, no one in it
        assertEquals(json("""
                [{"attribute": "email", "operator": "in", "values": ["a@x"]}]"""), rules.get(1).get("conditions"));
        assertEquals(2, rules.size());
        assertFalse(t.flags().get(0).notes().isEmpty());
    }

    @Test
    void aFileWithoutAFeaturesObjectOrEncryptedIsAProblemOfTheFile() throws Exception {
        assertEquals("/features", translate("{\"features\": [{\"id\": \"f\"}]}").problems().get(0).field());
        assertEquals("/encryptedFeatures", translate("{\"encryptedFeatures\": \"x\"}").problems().get(0).field());
        assertEquals("/features", translate("{}").problems().get(0).field());
        assertEquals("/f/rules", translate("{\"f\": {\"defaultValue\": 1, \"rules\": {\"a\": 1}}}").flags().get(0)
                .problems().get(0).field());
    }

    @Test
    void versionsAreOrderedAsGrowthBookPadsThem() {
        assertTrue(GrowthBookTranslator.versionHolds("$vlt", "1.2.0-beta", "1.2.0"));
        assertTrue(GrowthBookTranslator.versionHolds("$vgt", "v1.10.0", "1.9.0+build"));
        assertTrue(GrowthBookTranslator.versionHolds("$vlt", "0", "0.0.1"));
        assertFalse(GrowthBookTranslator.versionHolds("$veq", "1.0", "1.0.0"));
    }
}
