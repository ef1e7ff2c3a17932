package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code semver_gte}: the attribute is a version of the precedence of or above the first operand
 * (flagd's sem_ver ">=").
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "semver_gte")
public final class SemverGreaterThanOrEqualOperator extends OrderingOperator {
    public SemverGreaterThanOrEqualOperator() {
        super(SemanticVersion::operand, order -> order >= 0);
    }
}
