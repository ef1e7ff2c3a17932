package io.ensign.schedules.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.config.ConfigService;
import io.ensign.api.model.Flag;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;

/**
 * A change set to apply at a time, and what became of it.
 *
 * @param id        the schedule's id
 * @param at        when it is due
 * @param action    what it does
 * @param reason    why, as its author gave it; the applied change's audit record carries it
 * @param author    the actor who scheduled it
 * @param created   when it was scheduled
 * @param state     pending, applying (claimed by a node), applied, failed or cancelled
 * @param claimed   when a node claimed it, null unless applying
 * @param applied   when it was applied (or failed), null before
 * @param lateMillis how long after {@code at} it was applied, null before
 * @param error     why it failed, null unless failed
 */
public record ScheduledChange(String id, Instant at, ScheduledAction action, String reason, String author,
                              Instant created, State state, Instant claimed, Instant applied, Long lateMillis,
                              String error) {
    /** Object kind of scheduled changes in the store. */
    public static final String KIND = "schedule";
    private static final Set<String> FIELDS = Set.of("at", "action", "reason");
    private static final Pattern CONFIG_NAME = Pattern.compile(ConfigService.NAME_PATTERN);
    private static final Pattern KEY = Pattern.compile(Flag.KEY_PATTERN);
    private static final int MAX_REASON = 1024;

    /** Where a scheduled change is in its life. */
    public enum State {
        PENDING, APPLYING, APPLIED, FAILED, CANCELLED;

        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static State of(String json) {
            return valueOf(json.toUpperCase(java.util.Locale.ROOT));
        }
    }

    ScheduledChange with(State newState, Instant newClaimed, Instant newApplied, Long late, String newError) {
        return new ScheduledChange(id, at, action, reason, author, created, newState, newClaimed, newApplied, late,
                newError);
    }

    /** The JSON form, stored and answered alike. */
    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode().put("id", id).put("at", at.toString());
        json.set("action", action.toJson(mapper));
        json.put("reason", reason).put("author", author).put("created", created.toString())
                .put("state", state.jsonName());
        json.put("claimed", claimed == null ? null : claimed.toString());
        json.put("applied", applied == null ? null : applied.toString());
        json.put("lateMillis", lateMillis);
        return json.put("error", error);
    }

    /** A stored scheduled change. */
    static ScheduledChange fromStored(JsonNode json) {
        return new ScheduledChange(json.path("id").asText(), Instant.parse(json.path("at").asText()),
                action(json.path("action"), new ArrayList<>()), text(json.path("reason")), json.path("author").asText(),
                Instant.parse(json.path("created").asText()), State.of(json.path("state").asText()),
                instant(json.path("claimed")), instant(json.path("applied")),
                json.path("lateMillis").isNumber() ? json.path("lateMillis").asLong() : null, text(json.path("error")));
    }

    /**
     * A new scheduled change from a request body, checked field by field.
     *
     * @throws ValidationException naming every field that is wrong
     */
    static ScheduledChange fromRequest(JsonNode body, String id, String author, Instant now) {
        if (!body.isObject()) {
            throw new ValidationException(List.of(Violation.error(ScheduledAction.RULE, "", "must be a JSON object")));
        }
        List<Violation> violations = new ArrayList<>();
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                violations.add(Violation.error(ScheduledAction.RULE, "/" + f, "is not a field of a scheduled change"));
            }
        });
        Instant at = null;
        JsonNode atNode = body.get("at");
        try {
            at = atNode != null && atNode.isTextual() ? Instant.parse(atNode.textValue()) : null;
        } catch (DateTimeParseException e) {
            at = null;
        }
        if (at == null) {
            violations.add(Violation.error(ScheduledAction.RULE, "/at", "must be an ISO-8601 UTC time such as "
                    + "2026-12-24T18:00:00Z"));
        }
        JsonNode reasonNode = body.get("reason");
        if (reasonNode != null && !reasonNode.isNull()
                && (!reasonNode.isTextual() || reasonNode.textValue().length() > MAX_REASON)) {
            violations.add(Violation.error(ScheduledAction.RULE, "/reason", "must be a string of at most "
                    + MAX_REASON + " characters"));
        }
        JsonNode actionNode = body.get("action");
        ScheduledAction action = null;
        if (actionNode == null || !actionNode.isObject()) {
            violations.add(Violation.error(ScheduledAction.RULE, "/action", "must be an object with a type: "
                    + "flag-enabled, rollout-weights or config-value"));
        } else {
            action = action(actionNode, violations);
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        return new ScheduledChange(id, at, action, text(reasonNode), author, now, State.PENDING, null, null, null,
                null);
    }

    /** The action of a JSON object; with violations added, null. */
    private static ScheduledAction action(JsonNode node, List<Violation> violations) {
        String type = node.path("type").asText("");
        int before = violations.size();
        String environment = optionalName(node, "environment", KEY, violations);
        ScheduledAction action = switch (type) {
            case "flag-enabled" -> {
                allowOnly(node, violations, "type", "flag", "environment", "enabled");
                if (!node.path("enabled").isBoolean()) {
                    violations.add(Violation.error(ScheduledAction.RULE, "/action/enabled", "must be true or false"));
                }
                yield new ScheduledAction.FlagEnabled(name(node, "flag", KEY, violations), environment,
                        node.path("enabled").asBoolean());
            }
            case "rollout-weights" -> {
                allowOnly(node, violations, "type", "flag", "environment", "rule", "weights");
                if (!node.path("rule").canConvertToExactIntegral() || node.path("rule").asInt(-1) < 0) {
                    violations.add(Violation.error(ScheduledAction.RULE, "/action/rule",
                            "must be the index of a rule, from 0"));
                }
                yield new ScheduledAction.RolloutWeights(name(node, "flag", KEY, violations), environment,
                        node.path("rule").asInt(), weights(node.path("weights"), violations));
            }
            case "config-value" -> {
                allowOnly(node, violations, "type", "namespace", "key", "environment", "value");
                if (!node.has("value")) {
                    violations.add(Violation.error(ScheduledAction.RULE, "/action/value", "is required"));
                }
                yield new ScheduledAction.ConfigValue(name(node, "namespace", CONFIG_NAME, violations),
                        name(node, "key", CONFIG_NAME, violations), environment, node.path("value"));
            }
            default -> {
                violations.add(Violation.error(ScheduledAction.RULE, "/action/type",
                        "must be flag-enabled, rollout-weights or config-value"));
                yield null;
            }
        };
        return violations.size() > before ? null : action;
    }

    private static void allowOnly(JsonNode node, List<Violation> violations, String... fields) {
        Set<String> allowed = Set.of(fields);
        node.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                violations.add(Violation.error(ScheduledAction.RULE, "/action/" + f, "is not a field of this action"));
            }
        });
    }

    private static Map<String, Double> weights(JsonNode node, List<Violation> violations) {
        Map<String, Double> weights = new LinkedHashMap<>();
        if (!node.isObject() || node.isEmpty()) {
            violations.add(Violation.error(ScheduledAction.RULE, "/action/weights",
                    "must be an object of variant to weight"));
            return weights;
        }
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isNumber() || e.getValue().asDouble() < 0 || !Double.isFinite(e.getValue().asDouble())) {
                violations.add(Violation.error(ScheduledAction.RULE, "/action/weights/" + e.getKey(),
                        "must be a number of 0 or more"));
            } else {
                weights.put(e.getKey(), e.getValue().asDouble());
            }
        });
        return weights;
    }

    private static String name(JsonNode node, String field, Pattern pattern, List<Violation> violations) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || !pattern.matcher(value.textValue()).matches()) {
            violations.add(Violation.error(ScheduledAction.RULE, "/action/" + field, "must be a name like "
                    + pattern.pattern()));
            return null;
        }
        return value.textValue();
    }

    private static String optionalName(JsonNode node, String field, Pattern pattern, List<Violation> violations) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : name(node, field, pattern, violations);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    private static Instant instant(JsonNode node) {
        return node.isTextual() ? Instant.parse(node.textValue()) : null;
    }
}
