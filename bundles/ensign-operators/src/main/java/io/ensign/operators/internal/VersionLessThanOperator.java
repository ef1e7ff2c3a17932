package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code version_lt}: the attribute is a version before the first operand in GrowthBook's lenient version
 * order (GrowthBook's {@code $vlt}; see {@link PaddedVersion}).
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "version_lt")
public final class VersionLessThanOperator extends OrderingOperator {
    public VersionLessThanOperator() {
        super(PaddedVersion::of, order -> order < 0);
    }
}
