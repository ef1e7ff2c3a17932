package io.ensign.api.catalog;

import java.util.List;
import java.util.Optional;

import io.ensign.api.model.Environment;
import io.ensign.api.model.Flag;
import io.ensign.api.model.Segment;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads and writes flags, segments and environments. Every write is checked (shape, references to
 * variants, segments, environments and plugins, then every {@link io.ensign.api.validation.ValidationRule}),
 * committed to the store with its audit record, and visible to evaluations shortly after it returns.
 *
 * <p>{@code expectedVersion} is {@link io.ensign.api.store.Mutation#ANY_VERSION} for an unconditional
 * write, {@link io.ensign.api.store.Mutation#ABSENT} for create-only, else the version read.
 * Writes throw {@link io.ensign.api.validation.ValidationException} (nothing stored),
 * {@link io.ensign.api.store.VersionConflictException} or {@link NotFoundException}.
 */
@ProviderType
public interface FlagCatalog {
    /** Object kind of flags in the store and audit trail. */
    String FLAG = "flag";
    /** Object kind of segments. */
    String SEGMENT = "segment";
    /** Object kind of environments. */
    String ENVIRONMENT = "environment";

    Optional<Flag> flag(String key);

    List<Flag> flags();

    WriteResult<Flag> putFlag(Flag flag, long expectedVersion, WriteContext context);

    void deleteFlag(String key, long expectedVersion, WriteContext context);

    Optional<Segment> segment(String key);

    List<Segment> segments();

    WriteResult<Segment> putSegment(Segment segment, long expectedVersion, WriteContext context);

    void deleteSegment(String key, long expectedVersion, WriteContext context);

    Optional<Environment> environment(String name);

    List<Environment> environments();

    WriteResult<Environment> putEnvironment(Environment environment, long expectedVersion, WriteContext context);

    /**
     * Creates segments and flags that do not exist yet, all or none, in one store commit (one durable change whose
     * audit records are consecutive and share the context's request id and reason). Each object is checked as
     * {@link #putSegment} and {@link #putFlag} check it, and a flag may name a segment created with it. A violation
     * of any object refuses the whole batch with a {@link io.ensign.api.validation.ValidationException} whose
     * fields start with {@code /segments/<index>} or {@code /flags/<index>}; an object that exists already refuses
     * it with a {@link io.ensign.api.store.VersionConflictException}. Nothing is stored then.
     *
     * @return what was stored, in the order given
     * @since 1.1.0
     */
    CreatedAll createAll(List<Segment> segments, List<Flag> flags, WriteContext context);
}
