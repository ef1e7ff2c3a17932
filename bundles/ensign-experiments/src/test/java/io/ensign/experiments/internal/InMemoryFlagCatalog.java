package io.ensign.experiments.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.catalog.WriteResult;
import io.ensign.api.model.Environment;
import io.ensign.api.model.Flag;
import io.ensign.api.model.Segment;
import io.ensign.api.store.VersionConflictException;

/** Flags and environments in memory, with version checks on flag writes and a record of who wrote them. */
final class InMemoryFlagCatalog implements FlagCatalog {
    private final Map<String, Flag> flags = new LinkedHashMap<>();
    private final Map<String, Environment> environments = new LinkedHashMap<>();
    final List<WriteContext> flagWrites = new ArrayList<>();

    InMemoryFlagCatalog() {
        for (String name : List.of("development", "staging", "production")) {
            environments.put(name, new Environment(name, null, 1));
        }
    }

    void add(Flag flag) {
        flags.put(flag.key(), flag.withVersion(1));
    }

    @Override
    public synchronized Optional<Flag> flag(String key) {
        return Optional.ofNullable(flags.get(key));
    }

    @Override
    public List<Flag> flags() {
        return List.copyOf(flags.values());
    }

    @Override
    public synchronized WriteResult<Flag> putFlag(Flag flag, long expectedVersion, WriteContext context) {
        long version = flags.containsKey(flag.key()) ? flags.get(flag.key()).version() : 0;
        if (expectedVersion != version) {
            throw new VersionConflictException(FLAG, flag.key(), expectedVersion, version);
        }
        Flag stored = flag.withVersion(version + 1);
        flags.put(flag.key(), stored);
        flagWrites.add(context);
        return new WriteResult<>(stored, version == 0, List.of());
    }

    @Override
    public void deleteFlag(String key, long expectedVersion, WriteContext context) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Segment> segment(String key) {
        return Optional.empty();
    }

    @Override
    public List<Segment> segments() {
        return List.of();
    }

    @Override
    public WriteResult<Segment> putSegment(Segment segment, long expectedVersion, WriteContext context) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deleteSegment(String key, long expectedVersion, WriteContext context) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Environment> environment(String name) {
        return Optional.ofNullable(environments.get(name));
    }

    @Override
    public List<Environment> environments() {
        return List.copyOf(environments.values());
    }

    @Override
    public WriteResult<Environment> putEnvironment(Environment environment, long expectedVersion,
                                                   WriteContext context) {
        throw new UnsupportedOperationException();
    }
}
