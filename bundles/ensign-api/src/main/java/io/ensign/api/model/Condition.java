package io.ensign.api.model;

import java.util.List;
import java.util.Objects;

/**
 * One test on one attribute of the evaluation context, e.g. {@code country in [NL, DE]}.
 *
 * @param attribute the context attribute tested ({@code targetingKey} names the targeting key)
 * @param operator  the name of the {@link io.ensign.api.operator.EvaluationOperator} that tests it
 * @param values    the operands; single-valued operators use the first
 */
public record Condition(String attribute, String operator, List<Object> values) {
    public Condition {
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(operator, "operator");
        values = values == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
    }
}
