package io.ensign.operators.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.openfeature.contrib.providers.flagd.resolver.process.targeting.Operator;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.Value;
import io.ensign.api.operator.EvaluationOperator;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Asks flagd's own targeting evaluator (the JsonLogic engine of the OpenFeature flagd provider 0.11.15, with
 * flagd's starts_with, ends_with and sem_ver) and Ensign's operators the same questions: {@code {"if": [test,
 * "yes", "no"]}} for random operands and attribute values (versions with pre-releases, text, none), each
 * against the Ensign operator it translates to.
 */
class FlagdTargetingComparisonTest {
    private static final int RULES = 20;
    private static final int CONTEXTS = 40;
    private static final String[] LETTERS = {"a", "b", "A", "é", "@", "."};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Supplier<EvaluationOperator>> OPERATORS = Map.ofEntries(
            Map.entry("starts_with", StartsWithOperator::new), Map.entry("ends_with", EndsWithOperator::new),
            Map.entry("contains", ContainsOperator::new), Map.entry("in", InOperator::new),
            Map.entry("semver_eq", SemverEqualOperator::new), Map.entry("semver_ne", SemverNotEqualOperator::new),
            Map.entry("semver_gt", SemverGreaterThanOperator::new),
            Map.entry("semver_gte", SemverGreaterThanOrEqualOperator::new),
            Map.entry("semver_lt", SemverLessThanOperator::new),
            Map.entry("semver_lte", SemverLessThanOrEqualOperator::new),
            Map.entry("semver_same_major", SemverSameMajorOperator::new),
            Map.entry("semver_same_minor", SemverSameMinorOperator::new));

    private final Random random = new Random(20261203);
    private final Operator flagd = new Operator();

    /**
     * @param flagdTest the JsonLogic test, with {@code ATTR} for {@code {"var": "attr"}} and {@code OPERAND} for
     *                  the random operand (a JSON string, or an array of strings for {@code in})
     * @param negate    whether the Ensign condition is negated (JsonLogic's {@code !})
     */
    @ParameterizedTest(name = "{0} is {1}, negated {3}")
    @CsvSource(delimiter = '|', value = {
            "{\"starts_with\": [ATTR, OPERAND]} | starts_with | text | false",
            "{\"ends_with\": [ATTR, OPERAND]} | ends_with | text | false",
            "{\"in\": [ATTR, OPERAND]} | in | list | false",
            "{\"in\": [OPERAND, ATTR]} | contains | text | false",
            "{\"sem_ver\": [ATTR, \"=\", OPERAND]} | semver_eq | version | false",
            "{\"sem_ver\": [ATTR, \"!=\", OPERAND]} | semver_ne | version | false",
            "{\"sem_ver\": [ATTR, \">\", OPERAND]} | semver_gt | version | false",
            "{\"sem_ver\": [ATTR, \">=\", OPERAND]} | semver_gte | version | false",
            "{\"sem_ver\": [ATTR, \"<\", OPERAND]} | semver_lt | version | false",
            "{\"sem_ver\": [ATTR, \"<=\", OPERAND]} | semver_lte | version | false",
            "{\"sem_ver\": [ATTR, \"^\", OPERAND]} | semver_same_major | version | false",
            "{\"sem_ver\": [ATTR, \"~\", OPERAND]} | semver_same_minor | version | false",
            "{\"!\": {\"starts_with\": [ATTR, OPERAND]}} | starts_with | text | true",
            "{\"!\": {\"sem_ver\": [ATTR, \">\", OPERAND]}} | semver_gt | version | true"})
    void ensignsOperatorAnswersWhatFlagdsTargetingAnswers(String flagdTest, String ensignOperator, String kind,
            boolean negate) throws Exception {
        EvaluationOperator operator = OPERATORS.get(ensignOperator).get();
        int held = 0;
        for (int r = 0; r < RULES; r++) {
            List<Object> operands = kind.equals("list") ? List.of(text(1, 2), text(1, 2), text(1, 2))
                    : List.of(kind.equals("version") ? version(false) : text(1, 2));
            String operand = JSON.writeValueAsString(kind.equals("list") ? operands : operands.get(0));
            String rule = "{\"if\": [" + flagdTest.replace("ATTR", "{\"var\": \"attr\"}").replace("OPERAND", operand)
                    + ", \"yes\", \"no\"]}";
            var test = operator.compile(operands);
            for (int x = 0; x < CONTEXTS; x++) {
                String value = random.nextInt(8) == 0 ? null : kind.equals("version") ? version(true) : text(0, 4);
                ImmutableContext context = value == null ? new ImmutableContext("u")
                        : new ImmutableContext("u", Map.of("attr", new Value(value)));
                boolean expected = "yes".equals(flagd.apply("flag", rule, context));
                boolean actual = test.test(value) != negate;
                assertEquals(expected, actual, () -> rule + " attr=" + value);
                held += actual ? 1 : 0;
            }
        }
        int all = RULES * CONTEXTS;
        assertTrue(held > 0 && held < all, "both outcomes occurred: " + held + " of " + all);
    }

    private String text(int min, int max) {
        StringBuilder text = new StringBuilder();
        for (int n = min + random.nextInt(max - min + 1); n > 0; n--) {
            text.append(LETTERS[random.nextInt(LETTERS.length)]);
        }
        return text.toString();
    }

    /**
     * Versions close together, pre-releases among them and, where {@code invalidToo}, text that is no version
     * (an operand that is none is refused when the condition is written, as flagd's test of it is never true).
     */
    private String version(boolean invalidToo) {
        String[] pre = {"", "", "", "-alpha", "-alpha.1", "-beta.2", "-rc.1", "-1", "+build.5"};
        return invalidToo && random.nextInt(20) == 0 ? "1.2" : random.nextInt(3) + "." + random.nextInt(3) + "." + random.nextInt(3)
                + pre[random.nextInt(pre.length)];
    }
}
