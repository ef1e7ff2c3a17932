package io.ensign.engine.stream.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.ensign.api.audit.AuditRecord;
import io.ensign.api.config.ConfigService;

/**
 * One committed change as streams announce it: what changed and, for the streams that ask and the kinds that hold
 * no secret (flags, segments, experiments), the object as it is after the change. Configuration values never
 * travel, so no secret can. Each frame is built once and shared by every stream that sends it.
 */
final class StreamEvent {
    /** The kinds whose changes are streamed; tokens, environments and the like are not. */
    static final Set<String> KINDS = Set.of("flag", "segment", "experiment", ConfigService.KIND);
    /** The kinds whose object an {@code objects=true} stream carries; their JSON holds nothing secret. */
    static final Set<String> OBJECT_KINDS = Set.of("flag", "segment", "experiment");

    private final long sequence;
    private final String kind;
    private final String key;
    private final String environment;
    private final long version;
    private final String action;
    private final Instant time;
    /** When this server handed the event to its streams: right after the commit returned, or the change was heard. */
    private final Instant published;
    /** The object's JSON after the change, null when deleted or of a kind whose object does not travel. */
    private final String object;
    // Built on first use by whichever thread sends first; the bytes are the same whoever builds them.
    private volatile byte[] frame;
    private volatile byte[] objectFrame;
    private volatile byte[] ofrepFrame;

    private StreamEvent(AuditRecord record, String key, Instant published) {
        this.sequence = record.sequence();
        this.kind = record.kind();
        this.key = key;
        this.environment = record.environment();
        this.version = record.version();
        this.action = record.action();
        this.time = record.time();
        this.published = published;
        String after = OBJECT_KINDS.contains(kind) ? record.after() : null;
        // Line breaks in JSON are whitespace outside strings (inside they are escaped): one data line, same object.
        this.object = after == null ? null : after.replace('\n', ' ').replace('\r', ' ');
    }

    /** The event for a change published now, or null when its kind is not streamed. */
    static StreamEvent of(AuditRecord record) {
        if (!KINDS.contains(record.kind())) {
            return null;
        }
        String key = record.key();
        if (ConfigService.KIND.equals(record.kind()) && key.indexOf('@') > 0) {
            // The store key names the environment too ("ns/key@env"); the event carries it apart.
            key = key.substring(0, key.indexOf('@'));
        }
        return new StreamEvent(record, key, Instant.now());
    }

    /** The change log's sequence, the event's id. */
    long sequence() {
        return sequence;
    }

    /** Whether a stream of this environment (null: every environment) shows the event. */
    boolean visibleIn(String streamEnvironment) {
        return streamEnvironment == null || environment == null || environment.equals(streamEnvironment);
    }

    /**
     * The server-sent event: {@code id}, {@code event} (the kind) and one line of JSON data — kind, key,
     * environment, version, action, sequence, {@code time} (the commit's, as the audit record has it: taken when
     * the transaction was built, before it was forced to disk) and {@code published} (when this server handed the
     * event to its streams), both ISO-8601 UTC, so a client can tell how long a change took to reach it.
     */
    byte[] frame() {
        byte[] built = frame;
        if (built == null) {
            built = sse(data().append('}'));
            frame = built;
        }
        return built;
    }

    /**
     * {@link #frame()} whose data also holds {@code object}: for a flag, segment or experiment the object as
     * {@code GET} answers it without its {@code version} (the event's), null when deleted; absent for config.
     */
    byte[] frameWithObject() {
        byte[] built = objectFrame;
        if (built == null) {
            StringBuilder data = data();
            if (OBJECT_KINDS.contains(kind)) {
                data.append(",\"object\":").append(object == null ? "null" : object);
            }
            built = sse(data.append('}'));
            objectFrame = built;
        }
        return built;
    }

    private StringBuilder data() {
        return new StringBuilder(160 + (object == null ? 0 : object.length()))
                .append("{\"kind\":").append(quoted(kind))
                .append(",\"key\":").append(quoted(key))
                .append(",\"environment\":").append(environment == null ? "null" : quoted(environment))
                .append(",\"version\":").append(version)
                .append(",\"action\":").append(action == null ? "null" : quoted(action))
                .append(",\"sequence\":").append(sequence)
                .append(",\"time\":\"").append(time).append('"')
                .append(",\"published\":\"").append(published).append('"');
    }

    private byte[] sse(StringBuilder data) {
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
        byte[] built = ofrepFrame;
        if (built == null) {
            built = ("id: " + sequence + "\nevent: message\ndata: {\"type\":\"refetchEvaluation\",\"lastModified\":"
                    + time.getEpochSecond() + "}\n\n").getBytes(StandardCharsets.UTF_8);
            ofrepFrame = built;
        }
        return built;
    }

    /** A JSON string; JSON escapes line breaks, so the data stays on one line as SSE requires. */
    private static String quoted(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}
