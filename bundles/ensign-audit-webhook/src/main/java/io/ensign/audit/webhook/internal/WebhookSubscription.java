package io.ensign.audit.webhook.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.audit.AuditRecord;
import io.ensign.api.config.ConfigService;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;

/**
 * A webhook subscription: where the changes of some kinds (and environments) committed after it was made are POSTed,
 * signed with a secret kept as a configuration secret, so the store and the audit trail never hold it in clear.
 *
 * @param id           the subscription's id, also the name of its sink ({@code webhook-<id>})
 * @param url          the http or https URL, without user information
 * @param kinds        the object kinds whose changes are sent, e.g. {@code flag}, {@code config}
 * @param environments when not empty, changes for another environment are not sent (changes for all are)
 * @param secret       the configuration entry whose value is the HMAC key, null to send no signature
 * @param startAfter   the change log's sequence when the subscription was made: earlier changes are not sent
 * @param created      when the subscription was made
 */
public record WebhookSubscription(String id, URI url, List<String> kinds, List<String> environments, SecretEntry secret,
                           long startAfter, Instant created) {
    /** Object kind of subscriptions in the store. */
    public static final String KIND = "webhook";
    private static final String RULE = "webhook";
    private static final Set<String> FIELDS = Set.of("url", "kinds", "environments", "secret");
    private static final Set<String> SECRET_FIELDS = Set.of("namespace", "key");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    private static final Pattern CONFIG_NAME = Pattern.compile(ConfigService.NAME_PATTERN);
    private static final int MAX_URL_LENGTH = 2048;
    private static final int MAX_NAMES = 64;

    public WebhookSubscription {
        kinds = List.copyOf(kinds);
        environments = List.copyOf(environments);
    }

    /** A global configuration entry, by namespace and key. */
    public record SecretEntry(String namespace, String key) {
    }

    /** The sink's name, which also names its delivery cursor. */
    public String sinkName() {
        return "webhook-" + id;
    }

    /** Whether the record is one this subscription sends. */
    boolean wants(AuditRecord record) {
        return record.sequence() > startAfter && kinds.contains(record.kind())
                && (environments.isEmpty() || record.environment() == null
                || environments.contains(record.environment()));
    }

    /** The JSON form, stored and answered alike. */
    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode().put("id", id).put("url", url.toString());
        kinds.forEach(json.putArray("kinds")::add);
        environments.forEach(json.putArray("environments")::add);
        if (secret != null) {
            json.putObject("secret").put("namespace", secret.namespace()).put("key", secret.key());
        }
        return json.put("startAfter", startAfter).put("created", created.toString());
    }

    /** A stored subscription. */
    static WebhookSubscription fromStored(JsonNode json) {
        JsonNode secret = json.path("secret");
        return new WebhookSubscription(json.path("id").asText(), URI.create(json.path("url").asText()),
                texts(json.path("kinds")), texts(json.path("environments")),
                secret.isObject() ? new SecretEntry(secret.path("namespace").asText(), secret.path("key").asText())
                        : null,
                json.path("startAfter").asLong(), Instant.parse(json.path("created").asText()));
    }

    /**
     * A new subscription from a request body, checked field by field.
     *
     * @throws ValidationException naming every field that is wrong
     */
    static WebhookSubscription fromRequest(JsonNode body, String id, long startAfter, Instant created) {
        if (!body.isObject()) {
            throw new ValidationException(List.of(Violation.error(RULE, "", "must be a JSON object")));
        }
        List<Violation> violations = new ArrayList<>();
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                violations.add(Violation.error(RULE, "/" + f, "is not a field of a webhook subscription"));
            }
        });
        URI url = url(body.get("url"), violations);
        List<String> kinds = names(body.get("kinds"), "/kinds", false, violations);
        List<String> environments = names(body.get("environments"), "/environments", true, violations);
        SecretEntry secret = secret(body.get("secret"), violations);
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        return new WebhookSubscription(id, url, kinds, environments, secret, startAfter, created);
    }

    private static URI url(JsonNode node, List<Violation> violations) {
        String text = node != null && node.isTextual() ? node.textValue() : null;
        if (text == null || text.length() > MAX_URL_LENGTH) {
            violations.add(Violation.error(RULE, "/url", "must be an http or https URL of at most "
                    + MAX_URL_LENGTH + " characters"));
            return null;
        }
        try {
            URI url = new URI(text);
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                violations.add(Violation.error(RULE, "/url", "must be an absolute http or https URL"));
            } else if (url.getRawUserInfo() != null) {
                // The subscription is stored and audited as it is: credentials there would be kept in clear.
                violations.add(Violation.error(RULE, "/url", "must not carry user information; "
                        + "authenticate the requests by their signature (secret)"));
            }
            return url;
        } catch (URISyntaxException e) {
            violations.add(Violation.error(RULE, "/url", "is not a URL: " + e.getReason()));
            return null;
        }
    }

    private static List<String> names(JsonNode node, String field, boolean optional, List<Violation> violations) {
        if (node == null && optional) {
            return List.of();
        }
        if (node == null || !node.isArray() || node.size() > MAX_NAMES || !optional && node.isEmpty()) {
            violations.add(Violation.error(RULE, field, "must be an array of " + (optional ? "0" : "1") + " to "
                    + MAX_NAMES + " names"));
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode name = node.get(i);
            if (!name.isTextual() || !NAME.matcher(name.textValue()).matches()) {
                violations.add(Violation.error(RULE, field + "/" + i, "must be a name like " + NAME.pattern()));
            } else if (!names.contains(name.textValue())) {
                names.add(name.textValue());
            }
        }
        return names;
    }

    private static SecretEntry secret(JsonNode node, List<Violation> violations) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject() || !isConfigName(node.path("namespace")) || !isConfigName(node.path("key"))) {
            violations.add(Violation.error(RULE, "/secret", "must be {\"namespace\": ..., \"key\": ...} naming a "
                    + "secret configuration entry"));
            return null;
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!SECRET_FIELDS.contains(f)) {
                violations.add(Violation.error(RULE, "/secret/" + f, "is not a field of a secret reference"));
            }
        });
        return new SecretEntry(node.get("namespace").textValue(), node.get("key").textValue());
    }

    private static boolean isConfigName(JsonNode node) {
        return node.isTextual() && CONFIG_NAME.matcher(node.textValue()).matches();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
