package io.ensign.validation.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Walks a JSON-shaped value and finds every string that looks like a secret, with the JSON pointer of
 * each. Knows three shapes beyond single strings: credential-named members ({@code "password": "..."}),
 * GCP service account keys ({@code type} {@code service_account} with a {@code private_key}) and AWS key
 * pairs, where a 40-character base64 string beside an access key id is the secret key.
 */
final class SecretScanner {
    /** Deeper nesting than this is not scanned; the HTTP layer limits JSON depth well below it. */
    static final int MAX_DEPTH = 64;

    private SecretScanner() {
    }

    /** Where a secret-looking value sits, and what it looks like. */
    record Finding(JsonPointer at, String kind) {
    }

    /** Every secret-looking value inside {@code value}, which sits at {@code at}; one finding per value. */
    static List<Finding> scan(Object value, JsonPointer at) {
        Map<String, Finding> found = new LinkedHashMap<>();
        walk(value, at, false, 0, found);
        return List.copyOf(found.values());
    }

    private static void walk(Object value, JsonPointer at, boolean nearAwsKeyId, int depth,
                             Map<String, Finding> found) {
        if (depth > MAX_DEPTH) {
            return;
        }
        if (value instanceof String text) {
            SecretPatterns.kindOf(text, nearAwsKeyId).ifPresent(kind -> report(at, kind, found));
        } else if (value instanceof List<?> list) {
            boolean awsPair = list.stream().anyMatch(SecretScanner::isAwsKeyId);
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), at.child(i), awsPair, depth + 1, found);
            }
        } else {
            JsonShapes.asObject(value).ifPresent(object -> walkObject(object, at, depth, found));
        }
    }

    private static void walkObject(Map<String, Object> object, JsonPointer at, int depth,
                                   Map<String, Finding> found) {
        if ("service_account".equals(object.get("type")) && object.get("private_key") instanceof String key
                && SecretPatterns.isRealValue(key)) {
            report(at.child("private_key"), SecretPatterns.GCP_SERVICE_ACCOUNT, found);
        }
        boolean awsPair = object.values().stream().anyMatch(SecretScanner::isAwsKeyId);
        for (Map.Entry<String, Object> member : object.entrySet()) {
            JsonPointer memberAt = at.child(String.valueOf(member.getKey()));
            Optional<String> credential = credentialKind(String.valueOf(member.getKey()), member.getValue());
            if (credential.isPresent()) {
                report(memberAt, credential.get(), found);
            } else {
                walk(member.getValue(), memberAt, awsPair, depth + 1, found);
            }
        }
    }

    /** A non-placeholder string under a credential-like name: what it looks like, or that it is a password. */
    private static Optional<String> credentialKind(String name, Object value) {
        if (!(value instanceof String text) || !SecretPatterns.isCredentialName(name)
                || !SecretPatterns.isRealValue(text)) {
            return Optional.empty();
        }
        return Optional.of(SecretPatterns.kindOf(text, false).orElse(SecretPatterns.PASSWORD));
    }

    private static boolean isAwsKeyId(Object value) {
        return value instanceof String text && SecretPatterns.hasAwsKeyId(text);
    }

    private static void report(JsonPointer at, String kind, Map<String, Finding> found) {
        found.putIfAbsent(at.text(), new Finding(at, kind));
    }
}
