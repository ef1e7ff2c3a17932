package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code semver_same_minor}: the attribute is a version of the same major and minor version as the first
 * operand (flagd's sem_ver "~").
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "semver_same_minor")
public final class SemverSameMinorOperator extends SemverReleaseLineOperator {
    public SemverSameMinorOperator() {
        super(true);
    }
}
