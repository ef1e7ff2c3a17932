package io.ensign.config.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.config.ConfigService;
import io.ensign.api.store.Document;
import io.ensign.codec.PlainValues;

/**
 * Turns entries into store documents and back. A secret value is stored as {@code {"$encrypted": "v1:..."}} so
 * neither the store nor the audit trail, which copies documents verbatim, ever holds it in clear.
 */
final class EntryCodec {
    static final String ENCRYPTED = "$encrypted";

    private final ObjectMapper mapper = new ObjectMapper();
    private final SecretCipher cipher;

    EntryCodec(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /** A JSON value as canonical plain Java, so that equal JSON compares equal (integers as Long). */
    static Object plain(Object value) {
        return PlainValues.toJava(PlainValues.toJson(value));
    }

    String encode(StoredEntry entry) {
        Object stored = entry.secret()
                ? Map.of(ENCRYPTED, cipher.seal(write(PlainValues.toJson(entry.value())), entry.storeKey()))
                : entry.value();
        return write(PlainValues.toJson(entry.document(stored)));
    }

    /**
     * The entry a live revision holds; its value decrypted when {@code reveal}, else a secret value reads as
     * {@link ConfigService#REDACTED} without touching the key.
     */
    @SuppressWarnings("unchecked")
    StoredEntry decode(Document revision, boolean reveal) {
        JsonNode node = read(revision.json());
        boolean secret = node.path("secret").asBoolean(false);
        JsonNode storedValue = node.get("value");
        Object value;
        if (!secret) {
            value = PlainValues.toJava(storedValue);
        } else if (reveal) {
            value = PlainValues.toJava(read(cipher.open(storedValue.path(ENCRYPTED).textValue(), revision.key())));
        } else {
            value = ConfigService.REDACTED;
        }
        Object schema = PlainValues.toJava(node.get("schema"));
        return new StoredEntry(node.path("namespace").asText(), node.path("key").asText(), text(node, "environment"),
                value, (Map<String, Object>) schema, secret, text(node, "actor"), text(node, "reason"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a configuration document", e);
        }
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored configuration document is not JSON", e);
        }
    }
}
