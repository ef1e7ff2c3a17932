package io.ensign.operators.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reads the DS descriptors bnd generated before the tests run, so a wrong or missing name fails here. */
class ComponentDescriptorsTest {
    @ParameterizedTest
    @CsvSource({
            "equals, EqualsOperator", "not_equals, NotEqualsOperator", "in, InOperator", "not_in, NotInOperator",
            "contains, ContainsOperator", "starts_with, StartsWithOperator", "ends_with, EndsWithOperator",
            "matches, MatchesOperator", "in_cidr, InCidrOperator", "gt, GreaterThanOperator", "gte, GreaterThanOrEqualOperator",
            "lt, LessThanOperator", "lte, LessThanOrEqualOperator", "semver_eq, SemverEqualOperator",
            "semver_gt, SemverGreaterThanOperator", "semver_lt, SemverLessThanOperator",
            "before, BeforeOperator", "after, AfterOperator", "exists, ExistsOperator",
            "contains_ci, ContainsIgnoringCaseOperator", "starts_with_ci, StartsWithIgnoringCaseOperator",
            "ends_with_ci, EndsWithIgnoringCaseOperator", "num_eq, NumberEqualOperator", "num_gt, NumberGreaterThanOperator",
            "num_gte, NumberGreaterThanOrEqualOperator", "num_lt, NumberLessThanOperator",
            "num_lte, NumberLessThanOrEqualOperator", "semver_ne, SemverNotEqualOperator",
            "semver_gte, SemverGreaterThanOrEqualOperator", "semver_lte, SemverLessThanOrEqualOperator",
            "semver_same_major, SemverSameMajorOperator", "semver_same_minor, SemverSameMinorOperator",
            "version_eq, VersionEqualOperator", "version_ne, VersionNotEqualOperator",
            "version_gt, VersionGreaterThanOperator", "version_gte, VersionGreaterThanOrEqualOperator",
            "version_lt, VersionLessThanOperator", "version_lte, VersionLessThanOrEqualOperator"})
    void everyOperatorIsAComponentProvidingEvaluationOperatorUnderItsName(String name, String simpleClassName)
            throws IOException {
        String descriptor = "OSGI-INF/io.ensign.operators.internal." + simpleClassName + ".xml";
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(descriptor)) {
            assertNotNull(in, descriptor);
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map.of("name", name, "version", "1.0.0").forEach((key, value) -> assertTrue(
                    xml.contains("<property name=\"" + key + "\" type=\"String\" value=\"" + value + "\"/>"), xml));
            assertTrue(xml.contains("<provide interface=\"io.ensign.api.operator.EvaluationOperator\"/>"), xml);
            assertEquals(2, xml.split("<property ", -1).length - 1, "only name and version: " + xml);
        }
    }
}
