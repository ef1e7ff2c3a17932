package io.ensign.api.operator;

import java.util.List;
import java.util.function.Predicate;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A targeting operator, registered as an OSGi service with the service property {@value #NAME} (and
 * optionally {@value #VERSION}). The engine compiles every condition once, when it builds a snapshot, and
 * then tests attribute values against the compiled predicate on every evaluation, from many threads.
 *
 * <p>Contract: the predicate receives the attribute's value as decoded from JSON (String, Boolean, Number,
 * Map, List) or {@code null} when the context lacks the attribute. It returns {@code false} for a missing
 * attribute or one of the wrong type, unless the operator tests presence itself. It must be thread-safe,
 * fast, and must not throw; the engine still contains one that does.
 */
@ConsumerType
public interface EvaluationOperator {
    /** Service property: the operator's name as conditions write it, e.g. {@code semver_gt}. */
    String NAME = "name";
    /** Service property: the plugin's version, informational. */
    String VERSION = "version";

    /**
     * Compiles the operands of one condition.
     *
     * @param values the condition's values as written (single-valued operators use the first)
     * @return the test for attribute values
     * @throws IllegalArgumentException when the operands make no sense for this operator (a bad regex,
     *                                  a value that is no version, no operand at all); the message says why
     */
    Predicate<Object> compile(List<Object> values);
}
