package io.ensign.client.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.model.Flag;
import io.ensign.api.model.FlagEnvironment;
import io.ensign.api.model.Rule;
import io.ensign.api.model.Segment;
import io.ensign.codec.ModelCodec;
import io.ensign.evaluation.RunningExperiment;
import io.ensign.evaluation.Snapshot;
import io.ensign.evaluation.SnapshotCompiler;

/**
 * One sync document, compiled: the snapshot evaluations read, the resolved configuration, what tracking needs of
 * the running experiments, and the document's bytes (for the backup file). Immutable; replaced as a whole.
 */
public final class SyncState {
    /** Before any document: evaluations are {@code PROVIDER_NOT_READY}, configuration reads their defaults. */
    public static final SyncState EMPTY = new SyncState(-1, null, Snapshot.EMPTY, Map.of(), Map.of(), Map.of(),
            null);
    private static final System.Logger LOG = System.getLogger(SyncState.class.getName());
    /** The document's array of each kind whose changes a stream event can carry. */
    private static final Map<String, String> ARRAYS = Map.of("flag", "flags", "segment", "segments",
            "experiment", "experiments");

    private final long version;
    private final String environment;
    private final Snapshot snapshot;
    /** A fingerprint of what decides each flag's results: its version, its segments' versions, its experiment. */
    private final Map<String, String> flagFingerprints;
    private final Map<String, Map<String, JsonNode>> config;
    /** Running experiment key to the metric names it takes. */
    private final Map<String, Set<String>> experimentMetrics;
    private final byte[] document;

    private SyncState(long version, String environment, Snapshot snapshot, Map<String, String> flagFingerprints,
                      Map<String, Map<String, JsonNode>> config, Map<String, Set<String>> experimentMetrics,
                      byte[] document) {
        this.version = version;
        this.environment = environment;
        this.snapshot = snapshot;
        this.flagFingerprints = flagFingerprints;
        this.config = config;
        this.experimentMetrics = experimentMetrics;
        this.document = document;
    }

    /**
     * Compiles a sync document. A flag or segment this client cannot decode (a newer server's form) is left out
     * with a warning rather than failing the document; a document that is not one fails.
     *
     * @throws IOException when the bytes are not a sync document
     */
    public static SyncState parse(byte[] document, ObjectMapper mapper, ModelCodec codec, SnapshotCompiler compiler,
                                  long snapshotVersion) throws IOException {
        return compile(mapper.readTree(document), document.clone(), codec, compiler, snapshotVersion);
    }

    /**
     * This state with one streamed change applied (an event of a stream opened with {@code objects=true}), as the
     * sync document at the event's sequence holds it: the flag, segment or experiment replaced by the event's
     * object, or removed when deleted (an experiment also when it no longer runs here). An object this state holds
     * at a newer version is kept (a document read under a write storm may be ahead of its sequence). Null when the
     * event cannot be applied this way — configuration, or an event without its object — and the document must be
     * fetched.
     *
     * @throws IOException when the held document or the event cannot be read
     */
    public SyncState patched(long sequence, JsonNode event, ObjectMapper mapper, ModelCodec codec,
                             SnapshotCompiler compiler, long snapshotVersion) throws IOException {
        String array = ARRAYS.get(event.path("kind").asText());
        JsonNode object = event.get("object");
        if (array == null || document == null || object == null || !(object.isObject() || object.isNull())
                || !event.path("key").isTextual() || !event.path("version").canConvertToLong()) {
            return null;
        }
        JsonNode root = mapper.readTree(document);
        if (!(root instanceof ObjectNode doc) || !(root.get(array) instanceof ArrayNode items)) {
            return null;
        }
        String key = event.get("key").textValue();
        long objectVersion = event.get("version").longValue();
        int index = -1;
        for (int i = 0; i < items.size() && index < 0; i++) {
            if (key.equals(items.get(i).path("key").asText())) {
                index = i;
            }
        }
        long held = index < 0 ? 0 : items.get(index).path("version").asLong();
        if (index < 0 || held < objectVersion) {
            boolean present = object.isObject() && (!"experiments".equals(array)
                    || RunningExperiment.fromJson(key, object) != null
                    && environment.equals(object.path("environment").asText()));
            if (present) {
                ObjectNode updated = ((ObjectNode) object).deepCopy().put("key", key).put("version", objectVersion);
                if (index < 0) {
                    items.add(updated);
                } else {
                    items.set(index, updated);
                }
            } else if (index >= 0) {
                items.remove(index);
            }
        }
        doc.put("version", Math.max(version, sequence));
        return compile(doc, mapper.writeValueAsBytes(doc), codec, compiler, snapshotVersion);
    }

    private static SyncState compile(JsonNode root, byte[] document, ModelCodec codec, SnapshotCompiler compiler,
                                     long snapshotVersion) throws IOException {
        if (root == null || !root.isObject() || !root.path("version").isIntegralNumber()
                || !root.path("environment").isTextual() || !root.path("flags").isArray()) {
            throw new IOException("not a sync document: it needs environment, version and flags");
        }
        long version = root.get("version").longValue();
        String environment = root.get("environment").textValue();
        List<Flag> flags = new ArrayList<>();
        for (JsonNode node : root.path("flags")) {
            decoded(node, "flag", () -> flags.add(codec.decodeFlag(node, node.path("key").asText(),
                    node.path("version").asLong())));
        }
        List<Segment> segments = new ArrayList<>();
        Map<String, Long> segmentVersions = new HashMap<>();
        for (JsonNode node : root.path("segments")) {
            decoded(node, "segment", () -> {
                Segment s = codec.decodeSegment(node, node.path("key").asText(), node.path("version").asLong());
                segments.add(s);
                segmentVersions.put(s.key(), s.version());
            });
        }
        List<RunningExperiment> experiments = new ArrayList<>();
        Map<String, Set<String>> metrics = new HashMap<>();
        Map<String, String> experimentOfFlag = new HashMap<>();
        for (JsonNode node : root.path("experiments")) {
            RunningExperiment e = RunningExperiment.fromJson(node.path("key").asText(), node);
            if (e != null && e.environment().equals(environment)) {
                experiments.add(e);
                Set<String> names = new HashSet<>();
                node.path("metrics").forEach(m -> names.add(m.path("name").asText()));
                metrics.put(e.key(), Set.copyOf(names));
                experimentOfFlag.put(e.flag(), e.key() + "@" + node.path("version").asLong() + e.weights());
            }
        }
        Map<String, Map<String, JsonNode>> config = new HashMap<>();
        root.path("config").fields().forEachRemaining(ns -> {
            Map<String, JsonNode> keys = new HashMap<>();
            ns.getValue().fields().forEachRemaining(k -> keys.put(k.getKey(), k.getValue()));
            config.put(ns.getKey(), Map.copyOf(keys));
        });
        Map<String, String> fingerprints = new HashMap<>();
        for (Flag flag : flags) {
            StringBuilder f = new StringBuilder().append(flag.version());
            for (String segment : new TreeSet<>(segmentsOf(flag))) {
                f.append('|').append(segment).append('@').append(segmentVersions.get(segment));
            }
            f.append('|').append(experimentOfFlag.get(flag.key()));
            fingerprints.put(flag.key(), f.toString());
        }
        Snapshot snapshot = compiler.compile(version, snapshotVersion, flags, segments, experiments);
        return new SyncState(version, environment, snapshot, Map.copyOf(fingerprints), Map.copyOf(config),
                Map.copyOf(metrics), document);
    }

    private static Set<String> segmentsOf(Flag flag) {
        Set<String> segments = new HashSet<>();
        List<List<Rule>> ruleLists = new ArrayList<>(List.of(flag.rules()));
        for (FlagEnvironment env : flag.environments().values()) {
            if (env.rules() != null) {
                ruleLists.add(env.rules());
            }
        }
        ruleLists.forEach(rules -> rules.forEach(r -> {
            if (r.segment() != null) {
                segments.add(r.segment());
            }
        }));
        return segments;
    }

    private static void decoded(JsonNode node, String what, Runnable decode) {
        try {
            decode.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the sync document's " + what + " '" + node.path("key").asText()
                    + "' cannot be read by this client and is left out: " + e.getMessage());
        }
    }

    public long version() {
        return version;
    }

    public String environment() {
        return environment;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** The document's bytes, as the server sent them; null for {@link #EMPTY}. */
    public byte[] document() {
        return document == null ? null : document.clone();
    }

    /** A configuration value, or null. */
    public JsonNode config(String namespace, String key) {
        Map<String, JsonNode> keys = config.get(namespace);
        return keys == null ? null : keys.get(key);
    }

    /** The running experiments of this environment that take the metric. */
    public List<String> experimentsWithMetric(String metric) {
        List<String> result = new ArrayList<>();
        experimentMetrics.forEach((experiment, names) -> {
            if (names.contains(metric)) {
                result.add(experiment);
            }
        });
        return result;
    }

    /** The flags whose results may differ from {@code older}'s: added, removed or changed, with their segments. */
    public Set<String> changedFlags(SyncState older) {
        Set<String> changed = new TreeSet<>();
        flagFingerprints.forEach((key, f) -> {
            if (!f.equals(older.flagFingerprints.get(key))) {
                changed.add(key);
            }
        });
        older.flagFingerprints.keySet().forEach(key -> {
            if (!flagFingerprints.containsKey(key)) {
                changed.add(key);
            }
        });
        return changed;
    }

    /** The configuration entries ({@code namespace/key}) added, removed or changed since {@code older}. */
    public Set<String> changedConfig(SyncState older) {
        Set<String> changed = new TreeSet<>();
        Set<String> namespaces = new HashSet<>(config.keySet());
        namespaces.addAll(older.config.keySet());
        for (String ns : namespaces) {
            Map<String, JsonNode> now = config.getOrDefault(ns, Map.of());
            Map<String, JsonNode> before = older.config.getOrDefault(ns, Map.of());
            Set<String> keys = new HashSet<>(now.keySet());
            keys.addAll(before.keySet());
            for (String key : keys) {
                if (!Objects.equals(now.get(key), before.get(key))) {
                    changed.add(ns + "/" + key);
                }
            }
        }
        return changed;
    }
}
