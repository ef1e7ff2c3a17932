package io.ensign.validation.internal;

import java.util.List;
import java.util.stream.Collectors;

import io.ensign.api.validation.Change;
import io.ensign.api.validation.ValidationRule;
import io.ensign.api.validation.ValidationRulePlugin;
import io.ensign.api.validation.Violation;

import org.osgi.service.component.annotations.Component;

/**
 * {@code secret-detection}: refuses config values and flag variant values that look like credentials
 * (private keys, cloud and chat tokens, JWTs, passwords, high-entropy keys), because both are served to
 * clients and kept in plain text in the history and audit trail. A config entry declared
 * {@code "secret": true} is exempt. Messages name the kind of secret and never repeat the value.
 */
@Component(service = ValidationRule.class)
@ValidationRulePlugin(name = SecretDetectionRule.NAME, kinds = {"config", "flag"})
public final class SecretDetectionRule implements ValidationRule {
    static final String NAME = "secret-detection";

    @Override
    public List<Violation> validate(Change change) {
        Object after = change.after();
        if ("flag".equals(change.kind()) && JsonShapes.asObject(JsonShapes.member(after, "variants")).isPresent()) {
            return violations(after, "variants",
                    " in a flag variant; variants are served to every client, keep secrets out of flags");
        }
        if ("config".equals(change.kind()) && !JsonShapes.isTrue(after, "secret")) {
            return violations(after, "value",
                    " in a config value; declare the entry secret (\"secret\": true) or leave the secret out");
        }
        return List.of();
    }

    private static List<Violation> violations(Object after, String member, String advice) {
        if (!JsonShapes.has(after, member)) {
            return List.of();
        }
        return SecretScanner.scan(JsonShapes.member(after, member), JsonPointer.ROOT.child(member)).stream()
                .map(f -> Violation.error(NAME, f.at().text(), "looks like " + f.kind() + advice))
                .collect(Collectors.toList());
    }
}
