package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code version_lte}: the attribute is a version equal to or before the first operand in GrowthBook's lenient version
 * order (GrowthBook's {@code $vlte}; see {@link PaddedVersion}).
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "version_lte")
public final class VersionLessThanOrEqualOperator extends OrderingOperator {
    public VersionLessThanOrEqualOperator() {
        super(PaddedVersion::of, order -> order <= 0);
    }
}
