package io.ensign.migration.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class UnleashTranslatorTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private Translation translate(String json) throws Exception {
        return new UnleashTranslator().translate(mapper.readTree(json));
    }

    private static final String EXPORT = """
            {"features": [{"name": "f", "variants": [
                {"name": "a", "weight": 300, "weightType": "variable", "stickiness": "default"},
                {"name": "b", "weight": 700, "weightType": "variable", "stickiness": "default"}]}],
             "featureStrategies": [
                {"name": "default", "featureName": "f", "environment": "development"},
                {"name": "userWithId", "featureName": "f", "environment": "production",
                 "parameters": {"userIds": "u1, u2"}},
                {"name": "flexibleRollout", "featureName": "f", "environment": "production",
                 "parameters": {"rollout": "100", "groupId": "g", "stickiness": "userId"},
                 "constraints": [{"contextName": "country", "operator": "NOT_IN", "values": ["NL"], "inverted": true}],
                 "segments": [7],
                 "variants": [{"name": "c", "weight": 1000, "weightType": "variable", "stickiness": "userId",
                               "payload": {"type": "string", "value": "see"}}]}],
             "featureEnvironments": [{"featureName": "f", "environment": "production", "enabled": true},
                                     {"featureName": "f", "environment": "development", "enabled": false}],
             "segments": [{"id": 7, "constraints": [{"contextName": "v", "operator": "SEMVER_GT", "value": "1.0.0"}]}]}""";

    @Test
    void eachEnvironmentGetsItsStrategiesAsRulesInTheOrderGetVariantPicksThem() throws Exception {
        Translation t = translate(EXPORT);
        assertTrue(t.complete(), t.toString());
        JsonNode flag = t.flags().get(0).flag();
        assertEquals("string", flag.path("type").asText());
        assertEquals(List.of("c", "a", "b", "disabled"), List.copyOf(
                mapper.convertValue(flag.path("variants"), java.util.LinkedHashMap.class).keySet()));
        assertEquals("see", flag.path("variants").path("c").asText());
        JsonNode production = flag.path("environments").path("production");
        assertTrue(production.path("enabled").asBoolean());
        JsonNode rules = production.path("rules");
        assertEquals(2, rules.size(), rules.toString());
        assertEquals(mapper.readTree("""
                [{"attribute": "country", "operator": "in", "values": ["NL"]},
                 {"attribute": "v", "operator": "semver_gt", "values": ["1.0.0"]}]"""), rules.get(0).get("conditions"));
        assertEquals("g", rules.get(0).path("rollout").path("salt").asText(), "a strategy's variants: its group");
        assertEquals("f", rules.get(1).path("rollout").path("salt").asText(), "the feature's: its name");
        assertEquals("targetingKey", rules.get(1).path("conditions").path(0).path("attribute").asText());
        JsonNode development = flag.path("environments").path("development");
        assertFalse(development.path("enabled").asBoolean());
        assertEquals(1, development.path("rules").size());
    }

    @Test
    void aBooleanFeatureSplitsByItsLastRolloutAndWhatEnsignCannotExpressIsReported() throws Exception {
        Translation t = translate("""
                {"version": 2, "features": [
                  {"name": "ok", "enabled": true, "strategies": [
                     {"name": "default", "constraints": [{"contextName": "a", "operator": "STR_CONTAINS",
                                                          "values": ["x"], "caseInsensitive": true}]},
                     {"name": "flexibleRollout", "parameters": {"rollout": "25", "groupId": "grp"}}]},
                  {"name": "bad", "enabled": true, "strategies": [
                     {"name": "flexibleRollout", "parameters": {"rollout": "25"}},
                     {"name": "remoteAddress", "parameters": {"IPs": "10.0.0.1"}},
                     {"name": "default", "constraints": [{"contextName": "a", "operator": "REGEX", "value": "x"}]}]}]}""");
        JsonNode rules = t.flags().get(0).flag().path("rules");
        assertEquals("contains_ci", rules.path(0).path("conditions").path(0).path("operator").asText());
        assertEquals(mapper.readTree("""
                {"strategy": "unleash", "salt": "grp", "bucketBy": "targetingKey", "weights": {"on": 25, "off": 75}}"""),
                mapper.readTree(rules.path(1).path("rollout").toString()));
        assertEquals(List.of("/features/1/strategies/0", "/features/1/strategies/1/name",
                "/features/1/strategies/2/constraints/0/operator"),
                t.flags().get(1).problems().stream().map(Problem::field).toList());
    }
}
