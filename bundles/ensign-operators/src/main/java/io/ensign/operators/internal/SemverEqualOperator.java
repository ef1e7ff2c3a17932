package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/** {@code semver_eq}: the attribute is a version of the same precedence as the first operand (build metadata ignored). */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "semver_eq")
public final class SemverEqualOperator extends OrderingOperator {
    public SemverEqualOperator() {
        super(SemanticVersion::operand, order -> order == 0);
    }
}
