package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code semver_ne}: the attribute is a version of another precedence than the first operand
 * (flagd's sem_ver "!=").
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "semver_ne")
public final class SemverNotEqualOperator extends OrderingOperator {
    public SemverNotEqualOperator() {
        super(SemanticVersion::operand, order -> order != 0);
    }
}
