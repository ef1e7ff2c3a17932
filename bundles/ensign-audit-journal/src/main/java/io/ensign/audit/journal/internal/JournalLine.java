package io.ensign.audit.journal.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.audit.AuditRecord;

/**
 * One line of the journal: the record's canonical JSON with {@code prev} and {@code hash} added at the end.
 *
 * <p>The canonical JSON of a record is one object with exactly the fields sequence, time, actor, action, kind, key,
 * environment, version, before, after, reason, requestId in that order, absent values as {@code null}, no
 * whitespace outside strings, {@code time} as an ISO-8601 UTC instant, and {@code before}/{@code after} embedded
 * as JSON (compact, members in their stored order) when the stored text parses as one JSON value, else as
 * strings. {@code hash} is the lowercase hex SHA-256 of the UTF-8 bytes of {@code prev + "\n" + canonical}, and
 * {@code prev} is the previous line's hash, 64 zeros for the first line. Because the line is the canonical JSON
 * with its closing brace replaced by {@code ,"prev":"…","hash":"…"}}, the hashed text can be cut back out of
 * the line byte for byte, with no JSON library needed to check the chain.
 *
 * @param sequence  the record's sequence
 * @param canonical the record's canonical JSON
 * @param prev      the hash of the line before
 * @param hash      this line's hash as written
 */
record JournalLine(long sequence, String canonical, String prev, String hash) {
    /** The {@code prev} of the first line. */
    static final String GENESIS = "0".repeat(64);
    /** The fields of a record's canonical JSON, in their order. */
    static final List<String> FIELDS = List.of("sequence", "time", "actor", "action", "kind", "key", "environment",
            "version", "before", "after", "reason", "requestId");
    private static final Pattern LINE = Pattern.compile("(\\{.*),\"prev\":\"([0-9a-f]{64})\",\"hash\":\"([0-9a-f]{64})\"}");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    /** The line that appends {@code record} after the line whose hash is {@code prev}. */
    static JournalLine append(AuditRecord record, String prev) {
        String canonical = canonical(record);
        return new JournalLine(record.sequence(), canonical, prev, hash(prev, canonical));
    }

    /** Reads a line back; empty when it is not shaped like a journal line or its sequence is unreadable. */
    static Optional<JournalLine> parse(String text) {
        Matcher m = LINE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        String canonical = m.group(1) + "}";
        long leading = leadingSequence(canonical);
        if (leading >= 0) {
            return Optional.of(new JournalLine(leading, canonical, m.group(2), m.group(3)));
        }
        try {
            JsonNode sequence = JSON.readTree(canonical).get("sequence");
            if (sequence == null || !sequence.canConvertToExactIntegral() || !sequence.canConvertToLong()) {
                return Optional.empty();
            }
            return Optional.of(new JournalLine(sequence.asLong(), canonical, m.group(2), m.group(3)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The sequence of a record that begins as canonical records do, {@code {"sequence":N,} with N written without
     * leading zeros, read without a JSON parser (what JSON reads there too); -1 for any other text.
     */
    private static long leadingSequence(String canonical) {
        String prefix = "{\"sequence\":";
        if (!canonical.startsWith(prefix)) {
            return -1;
        }
        int end = prefix.length();
        while (end < canonical.length() && end - prefix.length() < 18 && canonical.charAt(end) >= '0'
                && canonical.charAt(end) <= '9') {
            end++;
        }
        int digits = end - prefix.length();
        if (digits == 0 || end >= canonical.length() || canonical.charAt(end) != ','
                || digits > 1 && canonical.charAt(prefix.length()) == '0') {
            return -1;
        }
        return Long.parseLong(canonical, prefix.length(), end, 10);
    }

    /** The text written to the file, without the line break. */
    String text() {
        return canonical.substring(0, canonical.length() - 1) + ",\"prev\":\"" + prev + "\",\"hash\":\"" + hash + "\"}";
    }

    /** Whether {@link #hash} is what the canonical JSON and {@link #prev} hash to. */
    boolean hashMatches() {
        return hash.equals(hash(prev, canonical));
    }

    static String canonical(AuditRecord record) {
        ObjectNode json = JSON.createObjectNode();
        json.put("sequence", record.sequence());
        json.put("time", record.time().toString());
        json.put("actor", record.actor());
        json.put("action", record.action());
        json.put("kind", record.kind());
        json.put("key", record.key());
        json.put("environment", record.environment());
        json.put("version", record.version());
        json.set("before", document(record.before()));
        json.set("after", document(record.after()));
        json.put("reason", record.reason());
        json.put("requestId", record.requestId());
        return write(json);
    }

    /**
     * Why this line's record is not written exactly as {@link #canonical(AuditRecord)} writes it (another escape
     * of the same string, re-ordered or extra fields, white space, another spelling of a number or instant);
     * empty when it is. Two texts of the same JSON hash differently, so only the canonical one is the record.
     */
    Optional<String> formProblem() {
        JsonNode json;
        try {
            json = JSON.readTree(canonical);
        } catch (IOException e) {
            return Optional.of("it is not JSON");
        }
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        if (!names.equals(FIELDS)) {
            return Optional.of("its fields are not exactly " + String.join(", ", FIELDS) + " in that order");
        }
        for (String field : List.of("sequence", "version")) {
            if (!json.get(field).isIntegralNumber()) {
                return Optional.of(field + " is not an integer");
            }
        }
        for (String field : List.of("time", "actor", "action", "kind", "key", "environment", "reason", "requestId")) {
            if (!json.get(field).isTextual() && !json.get(field).isNull()) {
                return Optional.of(field + " is not a string");
            }
        }
        if (!json.get("time").isTextual() || !isCanonicalInstant(json.get("time").textValue())) {
            return Optional.of("time is not an ISO-8601 UTC instant as Instant.toString() writes it");
        }
        if (!write(json).equals(canonical)) {
            return Optional.of("it is not written in canonical form (escapes, white space or number format differ)");
        }
        return Optional.empty();
    }

    private static boolean isCanonicalInstant(String text) {
        try {
            return Instant.parse(text).toString().equals(text);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String write(JsonNode json) {
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a JSON tree always serializes", e);
        }
    }

    /** A stored document as embedded JSON when its text parses as one JSON value, else as a string. */
    private static JsonNode document(String text) {
        if (text == null) {
            return JSON.getNodeFactory().nullNode();
        }
        JsonNode parsed = parseOrNull(text);
        return parsed != null ? parsed : JSON.getNodeFactory().textNode(text);
    }

    private static JsonNode parseOrNull(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    static String hash(String prev, String canonical) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest((prev + "\n" + canonical).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
