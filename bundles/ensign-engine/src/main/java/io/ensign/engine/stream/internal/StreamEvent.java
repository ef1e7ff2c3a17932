package io.ensign.engine.stream.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.ensign.api.audit.AuditRecord;
import io.ensign.api.config.ConfigService;

/**
 * One committed change as streams announce it: what changed, never its content (so no secret value can travel).
 *
 * @param sequence    the change log's sequence, the event's id
 * @param kind        {@code flag}, {@code segment}, {@code experiment} or {@code config}
 * @param key         the object's key; for config {@code namespace/key}
 * @param environment the environment the change is for, null when it concerns every environment
 * @param version     the object's version after the change
 * @param action      {@code create}, {@code update}, {@code delete} or a kind-specific verb
 * @param time        when the change committed
 */
record StreamEvent(long sequence, String kind, String key, String environment, long version, String action,
                   Instant time) {
    /** The kinds whose changes are streamed; tokens, environments and the like are not. */
    static final Set<String> KINDS = Set.of("flag", "segment", "experiment", ConfigService.KIND);

    /** The event for a change, or null when its kind is not streamed. */
    static StreamEvent of(AuditRecord record) {
        if (!KINDS.contains(record.kind())) {
            return null;
        }
        String key = record.key();
        if (ConfigService.KIND.equals(record.kind()) && key.indexOf('@') > 0) {
            // The store key names the environment too ("ns/key@env"); the event carries it apart.
            key = key.substring(0, key.indexOf('@'));
        }
        return new StreamEvent(record.sequence(), record.kind(), key, record.environment(), record.version(),
                record.action(), record.time());
    }

    /** Whether a stream of this environment (null: every environment) shows the event. */
    boolean visibleIn(String streamEnvironment) {
        return streamEnvironment == null || environment == null || environment.equals(streamEnvironment);
    }

    /**
     * The server-sent event: {@code id}, {@code event} (the kind) and one line of JSON data, whose {@code time} is
     * the commit's (ISO-8601, UTC), so a client can tell how long a change took to reach it.
     */
    byte[] frame() {
        StringBuilder data = new StringBuilder(160)
                .append("{\"kind\":").append(quoted(kind))
                .append(",\"key\":").append(quoted(key))
                .append(",\"environment\":").append(environment == null ? "null" : quoted(environment))
                .append(",\"version\":").append(version)
                .append(",\"action\":").append(action == null ? "null" : quoted(action))
                .append(",\"sequence\":").append(sequence)
                .append(",\"time\":\"").append(time).append("\"}");
        return ("id: " + sequence + "\nevent: " + kind + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The OFREP change notification (open-feature/protocol, ADR 0008): the event {@code message} with data
     * {@code {"type":"refetchEvaluation","lastModified":<commit time, Unix seconds>}}, for changes that can alter
     * an evaluation; null for the others (configuration).
     */
    byte[] ofrepFrame() {
        if (ConfigService.KIND.equals(kind)) {
            return null;
        }
        return ("id: " + sequence + "\nevent: message\ndata: {\"type\":\"refetchEvaluation\",\"lastModified\":"
                + time.getEpochSecond() + "}\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON string; JSON escapes line breaks, so the data stays on one line as SSE requires. */
    private static String quoted(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}
