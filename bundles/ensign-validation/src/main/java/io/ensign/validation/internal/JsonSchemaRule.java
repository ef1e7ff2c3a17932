package io.ensign.validation.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import io.ensign.api.validation.Change;
import io.ensign.api.validation.ValidationRule;
import io.ensign.api.validation.ValidationRulePlugin;
import io.ensign.api.validation.Violation;
import io.ensign.validation.internal.CompiledSchema.Problem;

import org.osgi.service.component.annotations.Component;

/**
 * {@code json-schema}: a config entry that carries a JSON Schema ({@code "schema"}) must hold a
 * {@code "value"} that conforms to it, and the schema itself must be a valid schema. Each problem is
 * one violation at {@code /value...} or {@code /schema...} with the validator's message.
 */
@Component(service = ValidationRule.class)
@ValidationRulePlugin(name = JsonSchemaRule.NAME, kinds = "config")
public final class JsonSchemaRule implements ValidationRule {
    static final String NAME = "json-schema";
    /** Distinct schemas kept compiled; a server rarely has more than a few hundred schema'd keys. */
    static final int CACHE_CAPACITY = 256;

    private final ObjectMapper mapper = new ObjectMapper();
    private final SchemaCompiler compiler;

    public JsonSchemaRule() {
        this(new SchemaCompiler(CACHE_CAPACITY));
    }

    JsonSchemaRule(SchemaCompiler compiler) {
        this.compiler = compiler;
    }

    @Override
    public List<Violation> validate(Change change) {
        Object after = change.after();
        Object schemaValue = JsonShapes.member(after, "schema");
        Optional<JsonNode> schema = schemaValue == null ? Optional.empty() : json(schemaValue);
        if (schema.isEmpty()) {
            return List.of();
        }
        CompiledSchema compiled = compiler.compile(schema.get());
        if (compiled.isBroken()) {
            return violations("/schema", compiled.problems());
        }
        if (!JsonShapes.has(after, "value")) {
            return List.of();
        }
        Optional<JsonNode> value = json(JsonShapes.member(after, "value"));
        if (value.isEmpty()) {
            return List.of();
        }
        try {
            return violations("/value", SchemaCompiler.check(compiled.schema(), value.get()));
        } catch (RuntimeException | StackOverflowError e) {
            // A $ref resolved lazily during validation can still fail, or a $ref cycle recurse without end: the
            // schema is at fault.
            return List.of(Violation.error(NAME, "/schema", "schema cannot be applied: " + SchemaCompiler.reason(e)));
        }
    }

    /** The JSON tree of a plain value; empty for Java values that are no JSON. */
    private Optional<JsonNode> json(Object value) {
        if (value == null) {
            return Optional.of(NullNode.getInstance());
        }
        try {
            return Optional.of(mapper.valueToTree(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static List<Violation> violations(String root, List<Problem> problems) {
        List<Violation> violations = new ArrayList<>(problems.size());
        problems.forEach(p -> violations.add(Violation.error(NAME, root + p.location(), p.message())));
        return violations;
    }
}
