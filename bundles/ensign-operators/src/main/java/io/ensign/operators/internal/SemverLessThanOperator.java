package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/** {@code semver_lt}: the attribute is a version of lower precedence than the first operand. */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "semver_lt")
public final class SemverLessThanOperator extends OrderingOperator {
    public SemverLessThanOperator() {
        super(SemanticVersion::operand, order -> order < 0);
    }
}
