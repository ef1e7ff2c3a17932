package io.ensign.validation.internal;

import java.util.List;
import java.util.Optional;

import io.ensign.api.validation.Change;
import io.ensign.api.validation.ValidationRule;
import io.ensign.api.validation.ValidationRulePlugin;
import io.ensign.api.validation.Violation;

import org.osgi.service.component.annotations.Component;

/**
 * {@code type-stability}: a config key keeps the JSON type of its value (object, array, string, number,
 * boolean, null) from one version to the next, because clients that read it are written for one type.
 * Integers and floating point numbers are both "number". A write that means to change the type says so
 * with {@code "allowTypeChange": true}.
 */
@Component(service = ValidationRule.class)
@ValidationRulePlugin(name = TypeStabilityRule.NAME, kinds = "config")
public final class TypeStabilityRule implements ValidationRule {
    static final String NAME = "type-stability";
    static final String ALLOW_TYPE_CHANGE = "allowTypeChange";

    @Override
    public List<Violation> validate(Change change) {
        Object before = change.before();
        Object after = change.after();
        if (!JsonShapes.has(before, "value") || !JsonShapes.has(after, "value")
                || JsonShapes.isTrue(after, ALLOW_TYPE_CHANGE)) {
            return List.of();
        }
        Optional<String> was = JsonShapes.typeOf(JsonShapes.member(before, "value"));
        Optional<String> is = JsonShapes.typeOf(JsonShapes.member(after, "value"));
        if (was.isEmpty() || is.isEmpty() || was.get().equals(is.get())) {
            return List.of();
        }
        return List.of(Violation.error(NAME, "/value", "the value changes type from " + was.get() + " to "
                + is.get() + "; clients read it as " + was.get() + ". Write \"" + ALLOW_TYPE_CHANGE
                + "\": true to change the type on purpose"));
    }
}
