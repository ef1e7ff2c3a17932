package io.ensign.engine.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.ensign.api.audit.AuditRecord;
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
 *
 * <p>For snapshot builds it keeps a mirror of the evaluated kinds' documents: read in full once, then kept current
 * from the committed changes the store hands its listeners ({@link #heard}), each of which carries the object's JSON
 * after the change. The store's contract hands them over once each, in sequence order, so a build after a change
 * reads nothing from the store — with PostgreSQL, no round trip between a notification and the new snapshot. When a
 * sequence is missing from what was heard (a store that broke its contract, a listener cut off), the next build reads
 * everything again.
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

    private final Object heardLock = new Object();
    /** The evaluated kinds' changes heard and not yet applied to the mirror, in sequence order; guarded by heardLock. */
    private List<AuditRecord> unapplied = new ArrayList<>();
    /** The newest sequence heard, -1 before the first; guarded by heardLock. */
    private long heardUpTo = -1;
    /** Whether a sequence was missing from what was heard since the last full read; guarded by heardLock. */
    private boolean gap;

    /** Kind, then key, to the newest document of the evaluated kinds; null until the first full read. */
    private Map<String, Map<String, Document>> mirror;
    /** The sequence the mirror is at least as new as. */
    private long mirrored = -1;

    StateReader(Store store, ModelCodec codec) {
        this.store = store;
        this.codec = codec;
    }

    /**
     * Takes note of a committed change of any kind; called by the store's delivery, once per change, in sequence
     * order. Only changes of the evaluated kinds are kept until the next build.
     */
    void heard(AuditRecord record) {
        synchronized (heardLock) {
            if (heardUpTo >= 0 && record.sequence() > heardUpTo + 1) {
                gap = true;
            }
            heardUpTo = Math.max(heardUpTo, record.sequence());
            if (EVALUATED_KINDS.contains(record.kind())) {
                unapplied.add(record);
            }
        }
    }

    /**
     * Makes the next build read everything from the store: called when the subscription to changes begins, since what
     * was committed before it was never heard.
     */
    void readAgain() {
        synchronized (heardLock) {
            gap = true;
        }
    }

    /**
     * The state for a snapshot build: the mirror with the changes heard since the last build applied, or everything
     * read again from the store the first time and after a gap.
     */
    synchronized State current() {
        List<AuditRecord> records;
        long upTo;
        boolean readAll;
        synchronized (heardLock) {
            records = unapplied;
            unapplied = new ArrayList<>();
            upTo = heardUpTo;
            readAll = gap || mirror == null;
            gap = false;
        }
        if (readAll) {
            try {
                readAll();
            } catch (RuntimeException e) {
                synchronized (heardLock) {
                    gap = true; // read again at the next build
                }
                throw e;
            }
        }
        for (AuditRecord record : records) {
            if (record.sequence() > mirrored) {
                apply(record);
            }
        }
        mirrored = Math.max(mirrored, upTo);
        return fromMirror();
    }

    /** Reads every document of the evaluated kinds; the sequence is taken first so the mirror is at least that new. */
    private void readAll() {
        long sequence = store.lastSequence();
        Map<String, Map<String, Document>> read = new HashMap<>();
        for (String kind : EVALUATED_KINDS) {
            Map<String, Document> documents = new TreeMap<>();
            store.list(kind).forEach(d -> documents.put(d.key(), d));
            read.put(kind, documents);
        }
        mirror = read;
        mirrored = sequence;
        synchronized (heardLock) {
            heardUpTo = Math.max(heardUpTo, sequence); // the next change heard must follow on from here
        }
    }

    /**
     * Puts a change's object into the mirror, or takes it out when deleted, unless the mirror holds that version or a
     * newer one already (a full read that began before the change's record came may have seen it).
     */
    private void apply(AuditRecord record) {
        Map<String, Document> documents = mirror.get(record.kind());
        Document known = documents.get(record.key());
        if (known != null && known.version() >= record.version()) {
            return;
        }
        if (record.after() == null) {
            documents.remove(record.key());
        } else {
            documents.put(record.key(), new Document(record.kind(), record.key(), record.version(), record.after(),
                    record.time()));
        }
    }

    private State fromMirror() {
        List<Flag> flags = decodeAll(FlagCatalog.FLAG, this::flag);
        List<Segment> segments = decodeAll(FlagCatalog.SEGMENT, this::segment);
        List<Environment> environments = decodeAll(FlagCatalog.ENVIRONMENT, this::environment);
        List<RunningExperiment> experiments = running(mirror.get(EXPERIMENT).values());
        Set<String> live = new HashSet<>();
        mirror.forEach((kind, documents) -> documents.keySet().forEach(key -> live.add(cacheKey(kind, key))));
        decoded.keySet().retainAll(live);
        return new State(mirrored, flags, segments, environments, experiments);
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
    private List<RunningExperiment> running(Collection<Document> documents) {
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
        return decodeAll(store.list(kind), decoder);
    }

    private <T> List<T> decodeAll(String kind, java.util.function.Function<Document, T> decoder) {
        return decodeAll(mirror.get(kind).values(), decoder);
    }

    private <T> List<T> decodeAll(Collection<Document> documents,
                                  java.util.function.Function<Document, T> decoder) {
        List<T> result = new ArrayList<>();
        for (Document d : documents) {
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
