package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code version_ne}: the attribute is a version other than the first operand in GrowthBook's lenient version
 * order (GrowthBook's {@code $vne}; see {@link PaddedVersion}).
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "version_ne")
public final class VersionNotEqualOperator extends OrderingOperator {
    public VersionNotEqualOperator() {
        super(PaddedVersion::of, order -> order != 0);
    }
}
