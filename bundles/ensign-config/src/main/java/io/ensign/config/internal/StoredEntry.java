package io.ensign.config.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import io.ensign.api.config.ConfigEntry;
import io.ensign.api.store.Document;

/**
 * The content of one revision of a configuration entry with its value in clear (or redacted), as the store's
 * document holds it apart from encryption.
 *
 * <p>Store key scheme: {@code namespace + "/" + key + "@" + (environment or "*")}, e.g. {@code checkout/timeout@*}
 * for the global entry and {@code checkout/timeout@production} for production's. Namespace and key names cannot
 * contain {@code /} or {@code @}, so the scheme is unambiguous, and all entries of a namespace share the prefix
 * {@code namespace + "/"}.
 */
record StoredEntry(String namespace, String key, String environment, Object value, Map<String, Object> schema,
                   boolean secret, String actor, String reason) {
    static final String GLOBAL_MARK = "*";

    static String storeKey(String namespace, String key, String environment) {
        return namespace + "/" + key + "@" + (environment == null ? GLOBAL_MARK : environment);
    }

    static String namespacePrefix(String namespace) {
        return namespace + "/";
    }

    String storeKey() {
        return storeKey(namespace, key, environment);
    }

    /** The document as a validation rule sees it; {@code value} as given (clear for rules). */
    Map<String, Object> document(Object storedValue) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("namespace", namespace);
        document.put("key", key);
        document.put("environment", environment);
        document.put("value", storedValue);
        if (schema != null) {
            document.put("schema", schema);
        }
        document.put("secret", secret);
        document.put("actor", actor);
        document.put("reason", reason);
        return document;
    }

    /** What a diff compares: the value, the schema when there is one and the secret flag. */
    Map<String, Object> content() {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("value", value);
        if (schema != null) {
            content.put("schema", schema);
        }
        content.put("secret", secret);
        return content;
    }

    ConfigEntry toEntry(Document revision) {
        return new ConfigEntry(namespace, key, environment, value, schema, secret, revision.version(),
                revision.updated(), actor, reason);
    }
}
