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
    private static final int CONSTRAINTS = 20;
    private static final int CONTEXTS = 40;
    private static final String[] LETTERS = {"a", "b", "A", "B", "ä", "Ä", "é", "É", "σ", "Σ", "x", " "};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Supplier<EvaluationOperator>> OPERATORS = Map.ofEntries(
            Map.entry("contains", ContainsOperator::new), Map.entry("contains_ci", ContainsIgnoringCaseOperator::new),
            Map.entry("starts_with", StartsWithOperator::new),
            Map.entry("starts_with_ci", StartsWithIgnoringCaseOperator::new),
            Map.entry("ends_with", EndsWithOperator::new), Map.entry("ends_with_ci", EndsWithIgnoringCaseOperator::new),
            Map.entry("in", InOperator::new), Map.entry("semver_eq", SemverEqualOperator::new),
            Map.entry("semver_gt", SemverGreaterThanOperator::new), Map.entry("semver_lt", SemverLessThanOperator::new),
            Map.entry("num_eq", NumberEqualOperator::new), Map.entry("num_gt", NumberGreaterThanOperator::new),
            Map.entry("num_gte", NumberGreaterThanOrEqualOperator::new),
            Map.entry("num_lt", NumberLessThanOperator::new), Map.entry("num_lte", NumberLessThanOrEqualOperator::new),
            Map.entry("after", AfterOperator::new), Map.entry("before", BeforeOperator::new));
    /** Constraint values as Unleash's editor writes them. */
    private static final String[] NUMBER_OPERANDS = {"0", "1", "-1", "5", "10", "0.5", "1.5", "2.5", "-0.5", "100"};
    /** Context values: numbers in every spelling a client may send, and text that is almost a number. */
    private static final String[] NUMBERS = {"0", "1", "-1", "+1", "1.0", "01", "1.", ".5", "0.5", "5", "10", "1e1",
        "1E+1", "2.5e-1", "-0", "1e400", "inf", "-Infinity", "NaN", "", " 1", "1 ", "0x10", "1_000", "1e", ".", "a1"};
    private static final String[] INSTANTS = {"2024-05-01T10:00:00Z", "2024-05-01T10:00:00.000Z",
        "2024-05-01T10:00:00.001Z", "2024-05-01T12:00:00+02:00", "2024-05-01T09:59:59Z", "2024-05-02T00:00:00Z",
        "2023-12-31T23:59:59.999Z", "2024-05-01T10:00:00+00:00"};

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
            "SEMVER_GT, false, true, semver_gt, true", "SEMVER_LT, false, false, semver_lt, false",
            "NUM_EQ, false, false, num_eq, false", "NUM_GT, false, false, num_gt, false",
            "NUM_GTE, false, false, num_gte, false", "NUM_LT, false, false, num_lt, false",
            "NUM_LTE, false, false, num_lte, false", "NUM_EQ, false, true, num_eq, true",
            "DATE_AFTER, false, false, after, false", "DATE_BEFORE, false, false, before, false"})
    void ensignsOperatorAnswersWhatUnleashsConstraintAnswers(String unleashOperator, boolean caseInsensitive,
            boolean inverted, String ensignOperator, boolean negate) throws Exception {
        Supplier<String> single = unleashOperator.startsWith("SEMVER") ? this::version
                : unleashOperator.startsWith("NUM") ? () -> pick(NUMBER_OPERANDS, NUMBER_OPERANDS.length)
                : unleashOperator.startsWith("DATE") ? () -> pick(INSTANTS, INSTANTS.length) : null;
        Supplier<String> attribute = unleashOperator.startsWith("NUM") ? () -> pick(NUMBERS, NUMBERS.length)
                : single != null ? single : () -> text(0, 4);
        String contextName = unleashOperator.startsWith("DATE") ? "currentTime" : "attr";
        // Unleash takes the evaluation's clock for a missing currentTime; Ensign has no clock attribute.
        int missingOneIn = contextName.equals("currentTime") ? Integer.MAX_VALUE : 8;
        ObjectNode state = JSON.createObjectNode().put("version", 2);
        ArrayNode features = state.putArray("features");
        List<List<Object>> operands = new ArrayList<>();
        for (int c = 0; c < CONSTRAINTS; c++) {
            List<Object> values = new ArrayList<>();
            ObjectNode constraint = features.addObject().put("name", "f" + c).put("enabled", true)
                    .putArray("strategies").addObject().put("name", "default")
                    .putArray("constraints").addObject().put("contextName", contextName).put("operator", unleashOperator)
                    .put("caseInsensitive", caseInsensitive).put("inverted", inverted);
            if (single != null) {
                values.add(single.get());
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
                String value = random.nextInt(missingOneIn) == 0 ? null : attribute.get();
                Context context = new Context();
                context.setUserId("u");
                if (value != null && contextName.equals("currentTime")) {
                    context.setCurrentTime(value);
                } else if (value != null) {
                    context.setProperties(Map.of(contextName, value));
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

    /** One of the first {@code bound} choices. */
    private String pick(String[] choices, int bound) {
        return choices[random.nextInt(bound)];
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
