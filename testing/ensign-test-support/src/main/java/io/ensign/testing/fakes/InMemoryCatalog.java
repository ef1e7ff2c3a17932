package io.ensign.testing.fakes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

import io.ensign.api.catalog.CreatedAll;
import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.catalog.WriteResult;
import io.ensign.api.model.Environment;
import io.ensign.api.model.Flag;
import io.ensign.api.model.Rule;
import io.ensign.api.model.Segment;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.VersionConflictException;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;

/**
 * A catalog in memory for tests: versions and conflicts as FlagCatalog describes them, one reference check (rule
 * segments must exist) to provoke 422s, and a warning for flags whose description is "warn me".
 */
public final class InMemoryCatalog implements FlagCatalog {
    private final Map<String, Flag> flags = new TreeMap<>();
    private final Map<String, Segment> segments = new TreeMap<>();
    private final Map<String, Environment> environments = new TreeMap<>();
    /** Grows with every write, as the evaluator's state version would. */
    private volatile long writes;
    private WriteContext lastContext;

    public InMemoryCatalog() {
        for (String name : List.of("development", "staging", "production")) {
            environments.put(name, new Environment(name, null, 1));
        }
    }

    /** How many writes there were. */
    public long writes() {
        return writes;
    }

    /** The context of the last write. */
    public synchronized WriteContext lastContext() {
        return lastContext;
    }

    @Override
    public synchronized Optional<Flag> flag(String key) {
        return Optional.ofNullable(flags.get(key));
    }

    @Override
    public synchronized List<Flag> flags() {
        return List.copyOf(flags.values());
    }

    @Override
    public synchronized WriteResult<Flag> putFlag(Flag flag, long expectedVersion, WriteContext context) {
        for (int i = 0; i < flag.rules().size(); i++) {
            Rule rule = flag.rules().get(i);
            if (rule.segment() != null && !segments.containsKey(rule.segment())) {
                throw new ValidationException(List.of(Violation.error("references", "/rules/" + i + "/segment",
                        "no segment '" + rule.segment() + "'")));
            }
        }
        List<Violation> warnings = "warn me".equals(flag.description())
                ? List.of(new Violation("lint", "/description", "a warning", Violation.Severity.WARNING)) : List.of();
        return put(flags, FlagCatalog.FLAG, flag.key(), expectedVersion, Flag::version, flag::withVersion, warnings,
                context);
    }

    @Override
    public synchronized void deleteFlag(String key, long expectedVersion, WriteContext context) {
        delete(flags, FlagCatalog.FLAG, key, expectedVersion, Flag::version, context);
    }

    @Override
    public synchronized Optional<Segment> segment(String key) {
        return Optional.ofNullable(segments.get(key));
    }

    @Override
    public synchronized List<Segment> segments() {
        return List.copyOf(segments.values());
    }

    @Override
    public synchronized WriteResult<Segment> putSegment(Segment segment, long expectedVersion, WriteContext context) {
        return put(segments, FlagCatalog.SEGMENT, segment.key(), expectedVersion, Segment::version,
                segment::withVersion, List.of(), context);
    }

    @Override
    public synchronized void deleteSegment(String key, long expectedVersion, WriteContext context) {
        delete(segments, FlagCatalog.SEGMENT, key, expectedVersion, Segment::version, context);
    }

    @Override
    public synchronized Optional<Environment> environment(String name) {
        return Optional.ofNullable(environments.get(name));
    }

    @Override
    public synchronized List<Environment> environments() {
        return List.copyOf(environments.values());
    }

    @Override
    public synchronized WriteResult<Environment> putEnvironment(Environment environment, long expectedVersion,
                                                                WriteContext context) {
        return put(environments, FlagCatalog.ENVIRONMENT, environment.name(), expectedVersion, Environment::version,
                environment::withVersion, List.of(), context);
    }

    /** All or none: a segment or flag that exists already, or names a segment that does not, refuses the batch. */
    @Override
    public synchronized CreatedAll createAll(List<Segment> segments, List<Flag> flags, WriteContext context) {
        Map<String, Segment> segmentsBefore = new TreeMap<>(this.segments);
        Map<String, Flag> flagsBefore = new TreeMap<>(this.flags);
        long writesBefore = writes;
        try {
            List<WriteResult<Segment>> createdSegments = new ArrayList<>();
            for (Segment segment : segments) {
                createdSegments.add(putSegment(segment, Mutation.ABSENT, context));
            }
            List<WriteResult<Flag>> createdFlags = new ArrayList<>();
            for (Flag flag : flags) {
                createdFlags.add(putFlag(flag, Mutation.ABSENT, context));
            }
            writes = writesBefore + 1;
            return new CreatedAll(createdSegments, createdFlags);
        } catch (RuntimeException refused) {
            this.segments.clear();
            this.segments.putAll(segmentsBefore);
            this.flags.clear();
            this.flags.putAll(flagsBefore);
            writes = writesBefore;
            throw refused;
        }
    }

    private <T> WriteResult<T> put(Map<String, T> objects, String kind, String key, long expectedVersion,
                                   ToLongFunction<T> version, LongFunction<T> withVersion, List<Violation> warnings,
                                   WriteContext context) {
        T current = objects.get(key);
        long actual = current == null ? 0 : version.applyAsLong(current);
        if (expectedVersion != Mutation.ANY_VERSION && expectedVersion != actual) {
            throw new VersionConflictException(kind, key, expectedVersion, actual);
        }
        T stored = withVersion.apply(actual + 1);
        objects.put(key, stored);
        lastContext = context;
        writes++;
        return new WriteResult<>(stored, current == null, warnings);
    }

    private <T> void delete(Map<String, T> objects, String kind, String key, long expectedVersion,
                            ToLongFunction<T> version, WriteContext context) {
        T current = objects.get(key);
        if (current == null) {
            throw new NotFoundException(kind, key);
        }
        if (expectedVersion != Mutation.ANY_VERSION && expectedVersion != version.applyAsLong(current)) {
            throw new VersionConflictException(kind, key, expectedVersion, version.applyAsLong(current));
        }
        objects.remove(key);
        lastContext = context;
        writes++;
    }
}
