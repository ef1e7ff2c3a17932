package io.ensign.api.model;

import java.util.List;
import java.util.Objects;

/**
 * One test on one attribute of the evaluation context, e.g. {@code country in [NL, DE]}.
 *
 * @param attribute the context attribute tested ({@code targetingKey} names the targeting key)
 * @param operator  the name of the {@link io.ensign.api.operator.EvaluationOperator} that tests it
 * @param values    the operands; single-valued operators use the first
 * @param negate    whether the condition holds exactly when the operator's test does not, a missing attribute
 *                  included (Unleash's {@code inverted}, GrowthBook's {@code $not}, JsonLogic's {@code !})
 */
public record Condition(String attribute, String operator, List<Object> values, boolean negate) {
    public Condition {
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(operator, "operator");
        values = values == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
    }

    /** A condition that holds when the operator's test does. */
    public Condition(String attribute, String operator, List<Object> values) {
        this(attribute, operator, values, false);
    }
}
