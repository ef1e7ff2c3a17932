package io.ensign.engine.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.model.Environment;
import io.ensign.api.model.Flag;
import io.ensign.api.model.Segment;
import io.ensign.api.store.Document;
import io.ensign.api.store.Store;
import io.ensign.codec.ModelCodec;
import io.ensign.evaluation.RunningExperiment;

/**
 * Reads flags, segments and environments from the store as model objects. Decoded objects are kept by
 * kind, key and version, so a snapshot build after one change decodes only what changed.
 */
final class StateReader {
    /** Object kind of experiments, whose running ones take over their flag's split in their environment. */
    static final String EXPERIMENT = "experiment";
    /** The kinds whose changes evaluations see. */
    static final Set<String> EVALUATED_KINDS = Set.of(FlagCatalog.FLAG, FlagCatalog.SEGMENT, FlagCatalog.ENVIRONMENT,
            EXPERIMENT);

    /** Everything evaluation needs, read at (at least) {@code sequence}. */
    record State(long sequence, List<Flag> flags, List<Segment> segments, List<Environment> environments,
                 List<RunningExperiment> experiments) {
    }

    private record Decoded(long version, Object value) {
    }

    private static final System.Logger LOG = System.getLogger(StateReader.class.getName());

    private final Store store;
    private final ModelCodec codec;
    private final Map<String, Decoded> decoded = new ConcurrentHashMap<>();
    private final Set<String> unreadableReported = ConcurrentHashMap.newKeySet();

    StateReader(Store store, ModelCodec codec) {
        this.store = store;
        this.codec = codec;
    }

    /** Reads the whole state; the sequence is taken first so the state is at least that new. */
    State read() {
        long sequence = store.lastSequence();
        List<Flag> flags = flags();
        List<Segment> segments = segments();
        List<Environment> environments = environments();
        List<Document> experimentDocuments = store.list(EXPERIMENT);
        List<RunningExperiment> experiments = running(experimentDocuments);
        Set<String> live = new java.util.HashSet<>();
        flags.forEach(f -> live.add(cacheKey(FlagCatalog.FLAG, f.key())));
        segments.forEach(s -> live.add(cacheKey(FlagCatalog.SEGMENT, s.key())));
        environments.forEach(e -> live.add(cacheKey(FlagCatalog.ENVIRONMENT, e.name())));
        experimentDocuments.forEach(d -> live.add(cacheKey(EXPERIMENT, d.key())));
        decoded.keySet().retainAll(live);
        return new State(sequence, flags, segments, environments, experiments);
    }

    Optional<Flag> flag(String key) {
        return store.get(FlagCatalog.FLAG, key).map(this::flag);
    }

    List<Flag> flags() {
        return all(FlagCatalog.FLAG, this::flag);
    }

    Optional<Segment> segment(String key) {
        return store.get(FlagCatalog.SEGMENT, key).map(this::segment);
    }

    List<Segment> segments() {
        return all(FlagCatalog.SEGMENT, this::segment);
    }

    Optional<Environment> environment(String name) {
        return store.get(FlagCatalog.ENVIRONMENT, name).map(this::environment);
    }

    List<Environment> environments() {
        return all(FlagCatalog.ENVIRONMENT, this::environment);
    }

    /** The experiments of these documents that are running; others do not touch evaluation. */
    private List<RunningExperiment> running(List<Document> documents) {
        List<RunningExperiment> running = new ArrayList<>();
        for (Document d : documents) {
            RunningExperiment e = readable(d, () -> decode(d,
                    () -> RunningExperiment.fromJson(d.key(), codec.readTree(d.json()))));
            if (e != null) {
                running.add(e);
            }
        }
        return running;
    }

    private Flag flag(Document d) {
        return decode(d, () -> codec.decodeFlag(codec.readTree(d.json()), d.key(), d.version()));
    }

    private Segment segment(Document d) {
        return decode(d, () -> codec.decodeSegment(codec.readTree(d.json()), d.key(), d.version()));
    }

    private Environment environment(Document d) {
        return decode(d, () -> codec.decodeEnvironment(codec.readTree(d.json()), d.key(), d.version()));
    }

    private <T> List<T> all(String kind, java.util.function.Function<Document, T> decoder) {
        List<T> result = new ArrayList<>();
        for (Document d : store.list(kind)) {
            T value = readable(d, () -> decoder.apply(d));
            if (value != null) {
                result.add(value);
            }
        }
        return result;
    }

    /**
     * The decoded document, or null when it does not decode. The write path refuses what it could not read back, so
     * this is a record written by another version or by hand: it is left out of the whole (and logged once per
     * version) rather than stopping every snapshot build, and with it every evaluation and the server's start.
     */
    private <T> T readable(Document d, java.util.function.Supplier<T> decoder) {
        try {
            return decoder.get();
        } catch (RuntimeException unreadable) {
            if (unreadableReported.add(cacheKey(d.kind(), d.key()) + '\u0000' + d.version())) {
                LOG.log(System.Logger.Level.ERROR, d.kind() + " '" + d.key() + "' version " + d.version()
                        + " in the store cannot be read and is left out of evaluation: " + unreadable.getMessage());
            }
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T decode(Document d, java.util.function.Supplier<T> decoder) {
        String key = cacheKey(d.kind(), d.key());
        Decoded cached = decoded.get(key);
        if (cached != null && cached.version() == d.version()) {
            return (T) cached.value();
        }
        T value = decoder.get();
        decoded.put(key, new Decoded(d.version(), value));
        return value;
    }

    private static String cacheKey(String kind, String key) {
        return kind + '\u0000' + key;
    }
}
