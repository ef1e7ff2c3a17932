package io.ensign.config.internal;

import java.util.List;
import java.util.Optional;

import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.catalog.WriteResult;
import io.ensign.api.model.Environment;
import io.ensign.api.model.Flag;
import io.ensign.api.model.Segment;

/** A catalog that knows a fixed set of environments and nothing else: all the configuration service asks of it. */
final class EnvironmentsOnlyCatalog implements FlagCatalog {
    private final List<Environment> environments;

    EnvironmentsOnlyCatalog(String... names) {
        this.environments = List.of(names).stream().map(name -> new Environment(name, null, 1)).toList();
    }

    @Override
    public Optional<Environment> environment(String name) {
        return environments.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    @Override
    public List<Environment> environments() {
        return environments;
    }

    @Override
    public Optional<Flag> flag(String key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Flag> flags() {
        throw new UnsupportedOperationException();
    }

    @Override
    public WriteResult<Flag> putFlag(Flag flag, long expectedVersion, WriteContext context) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deleteFlag(String key, long expectedVersion, WriteContext context) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Segment> segment(String key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Segment> segments() {
        throw new UnsupportedOperationException();
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
    public WriteResult<Environment> putEnvironment(Environment environment, long expectedVersion,
                                                   WriteContext context) {
        throw new UnsupportedOperationException();
    }
}
