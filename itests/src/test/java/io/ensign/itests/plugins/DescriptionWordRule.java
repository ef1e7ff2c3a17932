package io.ensign.itests.plugins;

import java.util.List;
import java.util.Map;

import io.ensign.api.validation.Change;
import io.ensign.api.validation.ValidationRule;
import io.ensign.api.validation.Violation;

/**
 * A validation rule refusing objects whose description contains the word its component property {@code word}
 * names, so two versions of one bundle can refuse different words.
 */
public final class DescriptionWordRule implements ValidationRule {
    private volatile String word;

    /** Called by DS with the component's properties. */
    public void activate(Map<String, Object> properties) {
        word = (String) properties.get("word");
    }

    @Override
    public List<Violation> validate(Change change) {
        if (change.after() instanceof Map<?, ?> after && after.get("description") instanceof String description
                && description.contains(word)) {
            return List.of(Violation.error("it_words", "/description", "the description says '" + word + "'"));
        }
        return List.of();
    }
}
