package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code version_gt}: the attribute is a version after the first operand in GrowthBook's lenient version
 * order (GrowthBook's {@code $vgt}; see {@link PaddedVersion}).
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "version_gt")
public final class VersionGreaterThanOperator extends OrderingOperator {
    public VersionGreaterThanOperator() {
        super(PaddedVersion::of, order -> order > 0);
    }
}
