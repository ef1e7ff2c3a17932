package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code version_gte}: the attribute is a version equal to or after the first operand in GrowthBook's lenient version
 * order (GrowthBook's {@code $vgte}; see {@link PaddedVersion}).
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "version_gte")
public final class VersionGreaterThanOrEqualOperator extends OrderingOperator {
    public VersionGreaterThanOrEqualOperator() {
        super(PaddedVersion::of, order -> order >= 0);
    }
}
