package io.ensign.operators;

import java.util.Map;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.operators.internal.AfterOperator;
import io.ensign.operators.internal.BeforeOperator;
import io.ensign.operators.internal.ContainsIgnoringCaseOperator;
import io.ensign.operators.internal.ContainsOperator;
import io.ensign.operators.internal.EndsWithIgnoringCaseOperator;
import io.ensign.operators.internal.EndsWithOperator;
import io.ensign.operators.internal.EqualsOperator;
import io.ensign.operators.internal.ExistsOperator;
import io.ensign.operators.internal.GreaterThanOperator;
import io.ensign.operators.internal.GreaterThanOrEqualOperator;
import io.ensign.operators.internal.InCidrOperator;
import io.ensign.operators.internal.InOperator;
import io.ensign.operators.internal.LessThanOperator;
import io.ensign.operators.internal.LessThanOrEqualOperator;
import io.ensign.operators.internal.MatchesOperator;
import io.ensign.operators.internal.NotEqualsOperator;
import io.ensign.operators.internal.NotInOperator;
import io.ensign.operators.internal.NumberEqualOperator;
import io.ensign.operators.internal.NumberGreaterThanOperator;
import io.ensign.operators.internal.NumberGreaterThanOrEqualOperator;
import io.ensign.operators.internal.NumberLessThanOperator;
import io.ensign.operators.internal.NumberLessThanOrEqualOperator;
import io.ensign.operators.internal.SemverEqualOperator;
import io.ensign.operators.internal.SemverGreaterThanOperator;
import io.ensign.operators.internal.SemverGreaterThanOrEqualOperator;
import io.ensign.operators.internal.SemverLessThanOperator;
import io.ensign.operators.internal.SemverLessThanOrEqualOperator;
import io.ensign.operators.internal.SemverNotEqualOperator;
import io.ensign.operators.internal.SemverSameMajorOperator;
import io.ensign.operators.internal.SemverSameMinorOperator;
import io.ensign.operators.internal.StartsWithIgnoringCaseOperator;
import io.ensign.operators.internal.StartsWithOperator;
import io.ensign.operators.internal.VersionEqualOperator;
import io.ensign.operators.internal.VersionGreaterThanOperator;
import io.ensign.operators.internal.VersionGreaterThanOrEqualOperator;
import io.ensign.operators.internal.VersionLessThanOperator;
import io.ensign.operators.internal.VersionLessThanOrEqualOperator;
import io.ensign.operators.internal.VersionNotEqualOperator;

/**
 * The built-in operators for use without OSGi (an application's in-process client): the same classes the bundle
 * registers as DS components, constructed directly, by the names conditions write.
 */
public final class BuiltInOperators {
    private BuiltInOperators() {
    }

    /** A new instance of every built-in operator, by name. */
    public static Map<String, EvaluationOperator> create() {
        return Map.ofEntries(
                Map.entry("equals", new EqualsOperator()),
                Map.entry("not_equals", new NotEqualsOperator()),
                Map.entry("in", new InOperator()),
                Map.entry("not_in", new NotInOperator()),
                Map.entry("contains", new ContainsOperator()),
                Map.entry("starts_with", new StartsWithOperator()),
                Map.entry("ends_with", new EndsWithOperator()),
                Map.entry("matches", new MatchesOperator()),
                Map.entry("in_cidr", new InCidrOperator()),
                Map.entry("gt", new GreaterThanOperator()),
                Map.entry("gte", new GreaterThanOrEqualOperator()),
                Map.entry("lt", new LessThanOperator()),
                Map.entry("lte", new LessThanOrEqualOperator()),
                Map.entry("semver_eq", new SemverEqualOperator()),
                Map.entry("semver_gt", new SemverGreaterThanOperator()),
                Map.entry("semver_lt", new SemverLessThanOperator()),
                Map.entry("before", new BeforeOperator()),
                Map.entry("after", new AfterOperator()),
                Map.entry("exists", new ExistsOperator()),
                Map.entry("contains_ci", new ContainsIgnoringCaseOperator()),
                Map.entry("starts_with_ci", new StartsWithIgnoringCaseOperator()),
                Map.entry("ends_with_ci", new EndsWithIgnoringCaseOperator()),
                Map.entry("num_eq", new NumberEqualOperator()),
                Map.entry("num_gt", new NumberGreaterThanOperator()),
                Map.entry("num_gte", new NumberGreaterThanOrEqualOperator()),
                Map.entry("num_lt", new NumberLessThanOperator()),
                Map.entry("num_lte", new NumberLessThanOrEqualOperator()),
                Map.entry("semver_ne", new SemverNotEqualOperator()),
                Map.entry("semver_gte", new SemverGreaterThanOrEqualOperator()),
                Map.entry("semver_lte", new SemverLessThanOrEqualOperator()),
                Map.entry("semver_same_major", new SemverSameMajorOperator()),
                Map.entry("semver_same_minor", new SemverSameMinorOperator()),
                Map.entry("version_eq", new VersionEqualOperator()),
                Map.entry("version_ne", new VersionNotEqualOperator()),
                Map.entry("version_gt", new VersionGreaterThanOperator()),
                Map.entry("version_gte", new VersionGreaterThanOrEqualOperator()),
                Map.entry("version_lt", new VersionLessThanOperator()),
                Map.entry("version_lte", new VersionLessThanOrEqualOperator()));
    }
}
