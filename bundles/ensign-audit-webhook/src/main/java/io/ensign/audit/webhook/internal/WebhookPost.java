package io.ensign.audit.webhook.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ensign.api.audit.AuditRecord;

/**
 * One audit record POSTed as JSON, the way both the audit webhook and the webhook subscriptions send it: the header
 * {@value #SEQUENCE_HEADER} lets the receiver drop redeliveries; with a key, {@value #SIGNATURE_HEADER} carries
 * {@code sha256=<hex HMAC-SHA256 of the body>}. Any answer but 2xx fails the delivery.
 */
final class WebhookPost {
    static final String SEQUENCE_HEADER = "X-Ensign-Sequence";
    static final String SIGNATURE_HEADER = "X-Ensign-Signature";
    private static final String HMAC = "HmacSHA256";
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private WebhookPost() {
    }

    /** The HMAC key of a secret. */
    static SecretKeySpec key(String secret) {
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
    }

    /**
     * Sends the record; throws when it was not taken.
     *
     * @param key  the signing key, null to send no signature
     * @param what names the receiver in the failure's message, which never names the URL: it may carry credentials
     */
    static void send(HttpClient client, URI url, Duration timeout, SecretKeySpec key, AuditRecord record, String what)
            throws IOException, InterruptedException {
        byte[] body = body(record);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header(SEQUENCE_HEADER, Long.toString(record.sequence()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            request.header(SIGNATURE_HEADER, "sha256=" + signature(key, body));
        }
        int status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status < 200 || status > 299) {
            throw new IOException(what + " answered " + status + " to record " + record.sequence());
        }
    }

    /** The record as a JSON object; before and after are embedded as JSON when they parse, else sent as text. */
    static byte[] body(AuditRecord record) throws IOException {
        ObjectNode json = JSON.createObjectNode()
                .put("sequence", record.sequence())
                .put("time", record.time().toString())
                .put("actor", record.actor())
                .put("action", record.action())
                .put("kind", record.kind())
                .put("key", record.key())
                .put("environment", record.environment())
                .put("version", record.version());
        json.set("before", document(record.before()));
        json.set("after", document(record.after()));
        json.put("reason", record.reason()).put("requestId", record.requestId());
        return JSON.writeValueAsBytes(json);
    }

    private static JsonNode document(String text) {
        if (text == null) {
            return NullNode.getInstance();
        }
        try {
            JsonNode parsed = JSON.readTree(text);
            return parsed == null || parsed.isMissingNode() ? TextNode.valueOf(text) : parsed;
        } catch (IOException e) {
            return TextNode.valueOf(text);
        }
    }

    static String signature(SecretKeySpec key, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has " + HMAC, e);
        }
    }
}
