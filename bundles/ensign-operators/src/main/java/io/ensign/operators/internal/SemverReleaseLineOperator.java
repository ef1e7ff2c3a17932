package io.ensign.operators.internal;

import java.util.List;
import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;

/**
 * Base of the operators that test whether a version attribute is on the first operand's release line:
 * the same major version, and the same minor version too where the subclass asks for it (flagd's sem_ver
 * {@code ^} and {@code ~}). Pre-release and patch do not count; an attribute that is no version is not.
 */
abstract class SemverReleaseLineOperator implements EvaluationOperator {
    private final boolean sameMinor;

    SemverReleaseLineOperator(boolean sameMinor) {
        this.sameMinor = sameMinor;
    }

    @Override
    public final Predicate<Object> compile(List<Object> values) {
        SemanticVersion line = SemanticVersion.required(Operands.first(values));
        return attribute -> attribute instanceof String text && SemanticVersion.parse(text)
                .filter(v -> v.major() == line.major() && (!sameMinor || v.minor() == line.minor()))
                .isPresent();
    }
}
