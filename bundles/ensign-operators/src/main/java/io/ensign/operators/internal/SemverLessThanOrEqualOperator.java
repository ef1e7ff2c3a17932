package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code semver_lte}: the attribute is a version of the precedence of or below the first operand
 * (flagd's sem_ver "<=").
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "semver_lte")
public final class SemverLessThanOrEqualOperator extends OrderingOperator {
    public SemverLessThanOrEqualOperator() {
        super(SemanticVersion::operand, order -> order <= 0);
    }
}
