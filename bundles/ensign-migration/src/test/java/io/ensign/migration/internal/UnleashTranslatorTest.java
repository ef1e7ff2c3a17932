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
        assertEquals(3, rules.size(), rules.toString());
        assertEquals(mapper.readTree("""
                [{"attribute": "country", "operator": "in", "values": ["NL"]},
                 {"attribute": "v", "operator": "semver_gt", "values": ["1.0.0"]},
                 {"attribute": "targetingKey", "operator": "exists", "values": []}]"""),
                rules.get(0).get("conditions"));
        assertEquals("c", rules.get(0).path("variant").asText(), "one variant with weight: no split");
        assertEquals("f", rules.get(1).path("rollout").path("salt").asText(), "the feature's: its name");
        assertEquals("targetingKey", rules.get(1).path("conditions").path(0).path("attribute").asText());
        assertEquals("sessionId", rules.get(2).path("rollout").path("bucketBy").asText(),
                "stickiness default: the session id without a user id");
        JsonNode development = flag.path("environments").path("development");
        assertFalse(development.path("enabled").asBoolean());
        assertEquals(2, development.path("rules").size(), "by the user id, else the session id");
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
                     {"name": "applicationHostname", "parameters": {"hostNames": "h1"}},
                     {"name": "default", "constraints": [{"contextName": "a", "operator": "NOT_A_VALID_OPERATOR",
                                                          "value": "x"}]}]}]}""");
        JsonNode rules = t.flags().get(0).flag().path("rules");
        assertEquals("contains_ci", rules.path(0).path("conditions").path(0).path("operator").asText());
        assertEquals(mapper.readTree("""
                {"strategy": "unleash", "salt": "grp", "bucketBy": "targetingKey", "weights": {"on": 25, "off": 75}}"""),
                mapper.readTree(rules.path(1).path("rollout").toString()));
        assertEquals(List.of("/features/1/strategies/0", "/features/1/strategies/1/name",
                "/features/1/strategies/2/constraints/0/operator"),
                t.flags().get(1).problems().stream().map(Problem::field).toList());
    }

    @Test
    void rolloutsNeedTheirStickinessFieldAndConstraintsThatAlwaysOrNeverHoldAreDecidedAtImport() throws Exception {
        Translation t = translate("""
                {"features": [
                  {"name": "rollouts", "strategies": [
                     {"name": "gradualRolloutRandom", "parameters": {"percentage": "0"}},
                     {"name": "gradualRolloutSessionId", "parameters": {"percentage": "100"}},
                     {"name": "flexibleRollout", "parameters": {"rollout": "40", "groupId": "g"}}]},
                  {"name": "constant", "strategies": [
                     {"name": "default", "constraints": [{"contextName": "e", "operator": "IN", "values": []}]},
                     {"name": "default", "segments": [404]},
                     {"name": "default", "constraints": [{"contextName": "v", "operator": "SEMVER_GTE",
                                                          "value": "v2.0.0"}]},
                     {"name": "default", "constraints": [
                        {"contextName": "e", "operator": "NOT_IN", "values": []},
                        {"contextName": "v", "operator": "SEMVER_LTE", "value": "v2.0.0", "inverted": true},
                        {"contextName": "userId", "operator": "REGEX", "value": "^a\\\\d$", "caseInsensitive": true},
                        {"contextName": "v", "operator": "SEMVER_GTE", "value": "2.0.0"}]}]},
                  {"name": "unreadable", "strategies": [
                     {"name": "default", "constraints": [{"contextName": "a", "operator": "REGEX",
                                                          "value": "^(?=a)b$"}]}]}]}""");
        JsonNode rollouts = t.flags().get(0).flag().path("rules");
        assertEquals(mapper.readTree("""
                [{"conditions": [{"attribute": "sessionId", "operator": "exists", "values": []}], "variant": "on"},
                 {"conditions": [{"attribute": "targetingKey", "operator": "exists", "values": []}],
                  "rollout": {"strategy": "unleash", "salt": "g", "bucketBy": "targetingKey",
                              "weights": {"on": 40, "off": 60}}},
                 {"conditions": [{"attribute": "targetingKey", "operator": "exists", "values": [], "negate": true},
                                 {"attribute": "sessionId", "operator": "exists", "values": []}],
                  "rollout": {"strategy": "unleash", "salt": "g", "bucketBy": "sessionId",
                              "weights": {"on": 40, "off": 60}}}]"""), rollouts,
                "0 %: no rule; 100 % by the session: only with one; default: the user id, else the session id");
        FlagTranslation constant = t.flags().get(1);
        assertTrue(constant.problems().isEmpty(), constant.problems().toString());
        assertEquals(mapper.readTree("""
                [{"conditions": [{"attribute": "targetingKey", "operator": "matches", "values": ["(?i)^a\\\\d$"]},
                                 {"attribute": "v", "operator": "semver_gte", "values": ["2.0.0"]}],
                  "variant": "on"}]"""), constant.flag().path("rules"),
                "IN of nothing, a missing segment and a version with a v never hold: no rule; NOT_IN of nothing and"
                        + " an inverted test of a v-version always hold: no condition");
        assertTrue(constant.notes().stream().anyMatch(n -> n.contains("no segment 404")), constant.notes().toString());
        assertTrue(constant.notes().stream().anyMatch(n -> n.contains("Unicode")), constant.notes().toString());
        assertEquals(List.of("/features/2/strategies/0/constraints/0/value"),
                t.flags().get(2).problems().stream().map(Problem::field).toList(), "RE2 cannot read a look-ahead");
    }

    @Test
    void remoteAddressAndInCidrTestTheRemoteAddressByTheirAddressesAndBlocksLeavingOutWhatIsNeither()
            throws Exception {
        Translation t = translate("""
                {"features": [{"name": "ips", "strategies": [
                   {"name": "remoteAddress", "parameters": {"IPs": "10.0.0.1, 192.invalid, 10.1.0.0/16"}},
                   {"name": "remoteAddress", "parameters": {"IPs": "nothing"}},
                   {"name": "default", "constraints": [{"contextName": "remoteAddress", "operator": "IN_CIDR",
                                                        "values": ["bad::cidr", "2001:db8::/32"]}]},
                   {"name": "default", "constraints": [{"contextName": "remoteAddress", "operator": "IN_CIDR",
                                                        "values": ["127.invalid"], "inverted": true}]}]}]}""");
        FlagTranslation ips = t.flags().get(0);
        assertTrue(ips.problems().isEmpty(), ips.problems().toString());
        assertEquals(mapper.readTree("""
                [{"conditions": [{"attribute": "remoteAddress", "operator": "in_cidr",
                                  "values": ["10.0.0.1", "10.1.0.0/16"]}], "variant": "on"},
                 {"conditions": [{"attribute": "remoteAddress", "operator": "in_cidr", "values": ["2001:db8::/32"]}],
                  "variant": "on"},
                 {"conditions": [], "variant": "on"}]"""), ips.flag().path("rules"),
                "no address left: the strategy never holds, the inverted constraint always");
        assertEquals(4, ips.notes().stream().filter(n -> n.contains("is no IP address")).count(),
                ips.notes().toString());
    }

    @Test
    void featureVariantOverridesServeTheirVariantBeforeTheSplitUnderTheStrategysConditions() throws Exception {
        Translation t = translate("""
                {"features": [{"name": "o", "strategies": [{"name": "default", "constraints": [
                    {"contextName": "plan", "operator": "IN", "values": ["pro"]}]}],
                  "variants": [
                    {"name": "a", "weight": 50, "stickiness": "tenant",
                     "overrides": [{"contextName": "userId", "values": ["u1", "u2"]}]},
                    {"name": "b", "weight": 50, "overrides": [{"contextName": "country", "values": ["NL"]}]}]},
                 {"name": "ignored", "strategies": [{"name": "default", "variants": [
                    {"name": "a", "weight": 1, "overrides": [{"contextName": "userId", "values": ["u1"]}]}]}]}]}""");
        FlagTranslation o = t.flags().get(0);
        assertTrue(o.problems().isEmpty(), o.problems().toString());
        assertEquals(mapper.readTree("""
                [{"conditions": [{"attribute": "plan", "operator": "in", "values": ["pro"]},
                                 {"attribute": "targetingKey", "operator": "in", "values": ["u1", "u2"]}],
                  "variant": "a"},
                 {"conditions": [{"attribute": "plan", "operator": "in", "values": ["pro"]},
                                 {"attribute": "country", "operator": "in", "values": ["NL"]}], "variant": "b"},
                 {"conditions": [{"attribute": "plan", "operator": "in", "values": ["pro"]}],
                  "rollout": {"strategy": "unleash-variant", "salt": "o", "bucketBy": "tenant",
                              "weights": {"a": 50, "b": 50}}}]"""), mapper.readTree(o.flag().path("rules").toString()));
        FlagTranslation ignored = t.flags().get(1);
        assertEquals(1, ignored.flag().path("rules").size(), "Unleash ignores a strategy's variants' overrides");
        assertTrue(ignored.notes().stream().anyMatch(n -> n.contains("ignores the overrides")),
                ignored.notes().toString());
    }
}
