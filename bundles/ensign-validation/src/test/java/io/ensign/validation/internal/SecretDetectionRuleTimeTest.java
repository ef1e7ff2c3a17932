package io.ensign.validation.internal;

import static io.ensign.validation.internal.Changes.config;
import static io.ensign.validation.internal.Changes.entry;
import static io.ensign.validation.internal.LinearTime.MIB;
import static io.ensign.validation.internal.LinearTime.repeated;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import io.ensign.api.validation.Violation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The secret detector runs on every config and flag write, on values an editor pastes: it must take time
 * linear in the value whatever the value repeats (java.util.regex took 13 s for 40 000 times "a").
 */
class SecretDetectionRuleTimeTest {
    private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private final SecretDetectionRule rule = new SecretDetectionRule();

    /** Units chosen to hit the costliest paths; the array tests use them too, as short elements none is a secret. */
    static Stream<String> growthUnits() {
        return LinearTime.GROWTH_UNITS.stream();
    }

    /** Every hostile unit, with what a long repetition of it looks like (null: nothing). */
    static Stream<Arguments> units() {
        return Stream.concat(LinearTime.UNITS.stream().map(unit -> Arguments.of(unit, BASE64.equals(unit)
                        ? SecretPatterns.HIGH_ENTROPY : null)),
                Stream.of(Arguments.of("password=", SecretPatterns.PASSWORD), Arguments.of("-----BEGIN ", null),
                        Arguments.of("eyJ", null), Arguments.of("x://u:", null), Arguments.of("ghp_", null)));
    }

    /** How many violations name {@code kind}, or how many there are at all when {@code kind} is null. */
    private long findings(Object value, String kind) {
        List<Violation> violations = rule.validate(config(null, entry(value)));
        return violations.stream().filter(v -> kind == null || v.message().startsWith("looks like " + kind)).count();
    }

    @ParameterizedTest
    @MethodSource("units")
    void aMebibyteOfOneRepeatedUnitIsCheckedWellUnderASecond(String unit, String kind) {
        String value = repeated(unit, MIB);
        LinearTime.assertFast("secret-detection of " + unit, () -> assertEquals(kind == null ? 0 : 1, findings(value, kind)));
    }

    @ParameterizedTest
    @MethodSource("growthUnits")
    void checkingTimeGrowsLinearlyWithTheValue(String unit) {
        LinearTime.assertLinear("secret-detection of " + unit, length -> {
            String value = repeated(unit, length);
            return () -> assertEquals(0, findings(value, null));
        });
    }

    @ParameterizedTest
    @MethodSource("growthUnits")
    void aMebibyteArrayOfShortStringsIsCheckedWellUnderASecond(String unit) {
        List<String> value = new ArrayList<>(Collections.nCopies(MIB / (unit.length() + 3), unit));
        LinearTime.assertFast("secret-detection of an array of " + unit, () -> assertEquals(0, findings(value, null)));
    }

    @ParameterizedTest
    @MethodSource("growthUnits")
    void checkingTimeGrowsLinearlyWithTheNumberOfValues(String unit) {
        LinearTime.assertLinear("secret-detection of an array of " + unit, length -> {
            List<String> value = new ArrayList<>(Collections.nCopies(length / (unit.length() + 3), unit));
            return () -> assertEquals(0, findings(value, null));
        });
    }
}
