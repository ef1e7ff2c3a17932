package io.ensign.operators.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.ensign.api.operator.EvaluationOperator;
import io.getunleash.engine.Context;
import io.getunleash.engine.UnleashEngine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Asks Unleash's own engine (Yggdrasil, io.getunleash:yggdrasil-engine 0.5.1) and Ensign's operators the same
 * constraint questions: random constraints of each Unleash operator, case-insensitive and inverted or not, on
 * random context values (and on none), each against the Ensign operator it translates to, with the condition
 * negated where Unleash's is inverted (or is NOT_IN). Values mix upper and lower case, umlauts, accents and the
 * Greek sigma, whose lower case depends on its place in a word.
 */
class UnleashConstraintComparisonTest {
    private static final int CONSTRAINTS = 30;
    private static final int CONTEXTS = 40;
    private static final String[] LETTERS = {"a", "b", "A", "B", "ä", "Ä", "é", "É", "σ", "Σ", "x", " "};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Supplier<EvaluationOperator>> OPERATORS = Map.of(
            "contains", ContainsOperator::new, "contains_ci", ContainsIgnoringCaseOperator::new,
            "starts_with", StartsWithOperator::new, "starts_with_ci", StartsWithIgnoringCaseOperator::new,
            "ends_with", EndsWithOperator::new, "ends_with_ci", EndsWithIgnoringCaseOperator::new,
            "in", InOperator::new, "semver_eq", SemverEqualOperator::new,
            "semver_gt", SemverGreaterThanOperator::new, "semver_lt", SemverLessThanOperator::new);

    private final Random random = new Random(20261203);

    @ParameterizedTest(name = "{0} caseInsensitive={1} inverted={2} is {3} negate={4}")
    @CsvSource({
            "STR_CONTAINS, false, false, contains, false", "STR_CONTAINS, false, true, contains, true",
            "STR_CONTAINS, true, false, contains_ci, false", "STR_CONTAINS, true, true, contains_ci, true",
            "STR_STARTS_WITH, false, false, starts_with, false", "STR_STARTS_WITH, true, true, starts_with_ci, true",
            "STR_STARTS_WITH, true, false, starts_with_ci, false",
            "STR_ENDS_WITH, false, false, ends_with, false", "STR_ENDS_WITH, true, false, ends_with_ci, false",
            "STR_ENDS_WITH, true, true, ends_with_ci, true",
            "IN, false, false, in, false", "IN, false, true, in, true",
            "NOT_IN, false, false, in, true", "NOT_IN, false, true, in, false",
            // Unleash's engine ignores caseInsensitive on IN and NOT_IN: they always compare exactly.
            "IN, true, false, in, false", "NOT_IN, true, false, in, true",
            "SEMVER_EQ, false, false, semver_eq, false", "SEMVER_GT, false, false, semver_gt, false",
            "SEMVER_GT, false, true, semver_gt, true", "SEMVER_LT, false, false, semver_lt, false"})
    void ensignsOperatorAnswersWhatUnleashsConstraintAnswers(String unleashOperator, boolean caseInsensitive,
            boolean inverted, String ensignOperator, boolean negate) throws Exception {
        boolean semver = unleashOperator.startsWith("SEMVER");
        ObjectNode state = JSON.createObjectNode().put("version", 2);
        ArrayNode features = state.putArray("features");
        List<List<Object>> operands = new ArrayList<>();
        for (int c = 0; c < CONSTRAINTS; c++) {
            List<Object> values = new ArrayList<>();
            ObjectNode constraint = features.addObject().put("name", "f" + c).put("enabled", true)
                    .putArray("strategies").addObject().put("name", "default")
                    .putArray("constraints").addObject().put("contextName", "attr").put("operator", unleashOperator)
                    .put("caseInsensitive", caseInsensitive).put("inverted", inverted);
            if (semver) {
                values.add(version());
                constraint.put("value", (String) values.get(0));
            } else {
                ArrayNode list = constraint.putArray("values");
                for (int v = 1 + random.nextInt(3); v > 0; v--) {
                    String value = text(1, 3);
                    values.add(value);
                    list.add(value);
                }
            }
            operands.add(values);
        }
        UnleashEngine unleash = new UnleashEngine();
        unleash.takeState(JSON.writeValueAsString(state));

        EvaluationOperator operator = OPERATORS.get(ensignOperator).get();
        int held = 0;
        for (int c = 0; c < CONSTRAINTS; c++) {
            Predicate<Object> test = operator.compile(operands.get(c));
            for (int x = 0; x < CONTEXTS; x++) {
                String value = random.nextInt(8) == 0 ? null : semver ? version() : text(0, 4);
                Context context = new Context();
                context.setUserId("u");
                if (value != null) {
                    context.setProperties(Map.of("attr", value));
                }
                boolean expected = unleash.isEnabled("f" + c, context).value;
                boolean actual = test.test(value) != negate;
                List<Object> written = operands.get(c);
                assertEquals(expected, actual, () -> written + " attr=" + value);
                held += actual ? 1 : 0;
            }
        }
        int all = CONSTRAINTS * CONTEXTS;
        assertTrue(held > 0 && held < all, "both outcomes occurred: " + held + " of " + all);
    }

    private String text(int min, int max) {
        StringBuilder text = new StringBuilder();
        for (int n = min + random.nextInt(max - min + 1); n > 0; n--) {
            text.append(LETTERS[random.nextInt(LETTERS.length)]);
        }
        return text.toString();
    }

    /** Versions close together, pre-releases among them, so that equal, greater and less all occur. */
    private String version() {
        String[] pre = {"", "", "", "-alpha", "-alpha.1", "-beta.2", "-rc.1", "-1"};
        return random.nextInt(3) + "." + random.nextInt(3) + "." + random.nextInt(3) + pre[random.nextInt(pre.length)];
    }
}
