package io.ensign.schedules.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.config.ConfigEntry;
import io.ensign.api.config.ConfigService;
import io.ensign.api.model.Flag;
import io.ensign.api.model.FlagEnvironment;
import io.ensign.api.model.Rollout;
import io.ensign.api.model.Rule;
import io.ensign.api.store.Mutation;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;

/**
 * What a scheduled change does when it is due. Each action knows whether its target already is as it would make it,
 * so that a change interrupted between being claimed and being marked applied is finished without a second write.
 */
public sealed interface ScheduledAction {
    String RULE = "schedule";

    /** The JSON form, stored and answered alike. */
    ObjectNode toJson(ObjectMapper mapper);

    /** Whether the target already is as this action makes it. */
    boolean done(FlagCatalog catalog, ConfigService config);

    /** Makes the change; throws the catalog's or the configuration's exceptions when it cannot. */
    void apply(FlagCatalog catalog, ConfigService config, WriteContext writer);

    /** Checks that the target exists now, so that a schedule is refused rather than bound to fail. */
    void check(FlagCatalog catalog, ConfigService config);

    /** The kill switch of a flag, globally or in one environment. */
    record FlagEnabled(String flag, String environment, boolean enabled) implements ScheduledAction {
        @Override
        public ObjectNode toJson(ObjectMapper mapper) {
            ObjectNode json = mapper.createObjectNode().put("type", "flag-enabled").put("flag", flag);
            if (environment != null) {
                json.put("environment", environment);
            }
            return json.put("enabled", enabled);
        }

        @Override
        public boolean done(FlagCatalog catalog, ConfigService config) {
            Flag current = flagOf(catalog, flag);
            if (environment == null) {
                return current.enabled() == enabled;
            }
            FlagEnvironment override = current.environments().get(environment);
            return override != null && Objects.equals(override.enabled(), enabled);
        }

        @Override
        public void apply(FlagCatalog catalog, ConfigService config, WriteContext writer) {
            Flag f = flagOf(catalog, flag);
            Flag changed = environment == null ? copy(f, enabled, f.rules(), f.environments())
                    : inEnvironment(f, environment, e -> e == null ? new FlagEnvironment(enabled, null, null, null)
                    : new FlagEnvironment(enabled, e.defaultVariant(), e.rules(), e.overrides()));
            catalog.putFlag(changed, f.version(), writer);
        }

        @Override
        public void check(FlagCatalog catalog, ConfigService config) {
            checkFlag(catalog, flag, environment);
        }
    }

    /** The weights of the rollout of one rule of a flag, of the global rules or of one environment's. */
    record RolloutWeights(String flag, String environment, int rule, Map<String, Double> weights)
            implements ScheduledAction {
        public RolloutWeights {
            weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        }

        @Override
        public ObjectNode toJson(ObjectMapper mapper) {
            ObjectNode json = mapper.createObjectNode().put("type", "rollout-weights").put("flag", flag);
            if (environment != null) {
                json.put("environment", environment);
            }
            json.put("rule", rule);
            ObjectNode w = json.putObject("weights");
            weights.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> w.put(e.getKey(), e.getValue()));
            return json;
        }

        private List<Rule> rules(Flag f) {
            List<Rule> rules = environment == null ? f.rules()
                    : Optional.ofNullable(f.environments().get(environment)).map(FlagEnvironment::rules).orElse(null);
            if (rules == null || rule >= rules.size() || rules.get(rule).rollout() == null) {
                throw new ValidationException(List.of(Violation.error(RULE, "/action/rule", "flag '" + flag + "' has "
                        + "no rule " + rule + " with a rollout" + (environment == null ? "" : " in " + environment))));
            }
            return rules;
        }

        @Override
        public boolean done(FlagCatalog catalog, ConfigService config) {
            Flag f = flagOf(catalog, flag);
            return rules(f).get(rule).rollout().weights().equals(weights);
        }

        @Override
        public void apply(FlagCatalog catalog, ConfigService config, WriteContext writer) {
            Flag f = flagOf(catalog, flag);
            List<Rule> rules = new ArrayList<>(rules(f));
            Rule r = rules.get(rule);
            Rollout o = r.rollout();
            // The rollout keeps its variants' order (bucket ranges follow it): weights are put in that order.
            Map<String, Double> ordered = new LinkedHashMap<>();
            o.weights().keySet().forEach(variant -> ordered.put(variant, weights.getOrDefault(variant, 0.0)));
            weights.forEach(ordered::putIfAbsent);
            rules.set(rule, new Rule(r.name(), r.segment(), r.conditions(), r.variant(),
                    new Rollout(o.strategy(), ordered, o.bucketBy(), o.salt(), o.coverage())));
            Flag changed = environment == null ? copy(f, f.enabled(), rules, f.environments())
                    : inEnvironment(f, environment, e -> new FlagEnvironment(e.enabled(), e.defaultVariant(), rules,
                    e.overrides()));
            catalog.putFlag(changed, f.version(), writer);
        }

        @Override
        public void check(FlagCatalog catalog, ConfigService config) {
            checkFlag(catalog, flag, environment);
            rules(catalog.flag(flag).orElseThrow());
        }
    }

    /** The value of a configuration entry, global or of one environment. */
    record ConfigValue(String namespace, String key, String environment, JsonNode value) implements ScheduledAction {
        @Override
        public ObjectNode toJson(ObjectMapper mapper) {
            ObjectNode json = mapper.createObjectNode().put("type", "config-value").put("namespace", namespace)
                    .put("key", key);
            if (environment != null) {
                json.put("environment", environment);
            }
            json.set("value", value);
            return json;
        }

        @Override
        public boolean done(FlagCatalog catalog, ConfigService config) {
            ObjectMapper mapper = new ObjectMapper();
            return config.get(namespace, key, environment, true)
                    .map(entry -> mapper.valueToTree(entry.value()).equals(value)).orElse(false);
        }

        @Override
        public void apply(FlagCatalog catalog, ConfigService config, WriteContext writer) {
            Object plain = new ObjectMapper().convertValue(value, Object.class);
            long version = config.get(namespace, key, environment, false).map(ConfigEntry::version)
                    .orElse(Mutation.ABSENT);
            config.put(namespace, key, environment, plain, null, null, version, writer);
        }

        @Override
        public void check(FlagCatalog catalog, ConfigService config) {
            checkEnvironment(catalog, environment);
        }
    }

    private static Flag flagOf(FlagCatalog catalog, String flag) {
        return catalog.flag(flag).orElseThrow(() -> new NotFoundException(FlagCatalog.FLAG, flag));
    }

    /** The flag with another kill switch, rules and environments, the rest as it is. */
    private static Flag copy(Flag f, boolean enabled, List<Rule> rules, Map<String, FlagEnvironment> environments) {
        return new Flag(f.key(), f.type(), f.description(), enabled, f.variants(), f.defaultVariant(), f.overrides(),
                rules, environments, f.version());
    }

    /** The flag with one environment's part changed (the function gets null when there is none yet). */
    private static Flag inEnvironment(Flag f, String environment, UnaryOperator<FlagEnvironment> change) {
        Map<String, FlagEnvironment> environments = new LinkedHashMap<>(f.environments());
        environments.put(environment, change.apply(environments.get(environment)));
        return copy(f, f.enabled(), f.rules(), environments);
    }

    private static void checkFlag(FlagCatalog catalog, String flag, String environment) {
        if (catalog.flag(flag).isEmpty()) {
            throw new ValidationException(List.of(Violation.error(RULE, "/action/flag",
                    "flag '" + flag + "' does not exist")));
        }
        checkEnvironment(catalog, environment);
    }

    private static void checkEnvironment(FlagCatalog catalog, String environment) {
        if (environment != null && catalog.environment(environment).isEmpty()) {
            throw new ValidationException(List.of(Violation.error(RULE, "/action/environment",
                    "environment '" + environment + "' does not exist")));
        }
    }
}
