package io.ensign.operators.internal;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code version_eq}: the attribute is a version equal to the first operand in GrowthBook's lenient version
 * order (GrowthBook's {@code $veq}; see {@link PaddedVersion}).
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "version_eq")
public final class VersionEqualOperator extends OrderingOperator {
    public VersionEqualOperator() {
        super(PaddedVersion::of, order -> order == 0);
    }
}
