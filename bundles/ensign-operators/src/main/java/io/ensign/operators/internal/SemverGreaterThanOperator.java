package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/** {@code semver_gt}: the attribute is a version of higher precedence than the first operand. */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "semver_gt")
public final class SemverGreaterThanOperator extends OrderingOperator {
    public SemverGreaterThanOperator() {
        super(SemanticVersion::operand, order -> order > 0);
    }
}
