package io.ensign.validation.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.Specification;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.BasicDialectRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.DialectRegistry;
import com.networknt.schema.format.Format;
import com.networknt.schema.path.PathType;

import io.ensign.validation.internal.CompiledSchema.Problem;

/**
 * Compiles JSON Schemas (draft 2020-12 unless a schema names another draft in {@code $schema}) and checks
 * values against them. A schema is first checked against the 2020-12 meta-schema so a broken schema is
 * reported as such rather than silently accepting everything. Compiled schemas, broken ones included,
 * are kept in a bounded least-recently-used cache keyed by the schema's JSON text, so repeated writes of
 * the same entry do not recompile.
 */
final class SchemaCompiler {
    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

    private final SchemaRegistry userSchemas;
    private final SchemaRegistry metaSchemas;
    private final Map<String, CompiledSchema> cache;
    /** Loaded on the first schema write, not at activation: it costs a few hundred ms of the server's start. */
    private volatile Schema metaSchema;

    SchemaCompiler(int capacity) {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .locale(Locale.ENGLISH)
                .pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(true)
                .regularExpressionFactory(new LinearTimeRegularExpressions())
                .build();
        // Registries cache schemas by $id; one user's schema must never answer another's $ref, so user
        // schemas get a registry without that cache and the meta-schema a registry of its own.
        this.userSchemas = registry(config, false);
        this.metaSchemas = registry(config, true);
        this.cache = new LeastRecentlyUsed<>(capacity);
    }

    private Schema metaSchema() {
        Schema loaded = metaSchema;
        if (loaded == null) {
            synchronized (this) {
                loaded = metaSchema;
                if (loaded == null) {
                    loaded = metaSchemas.getSchema(SchemaLocation.of(META_SCHEMA));
                    metaSchema = loaded;
                }
            }
        }
        return loaded;
    }

    private static SchemaRegistry registry(SchemaRegistryConfig config, boolean cacheSchemas) {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .dialectRegistry(linearDialects())
                .schemaLoader(new BundleSchemaLoader())
                .schemaRegistryConfig(config)
                .schemaCacheEnabled(cacheSchemas));
    }

    /**
     * The drafts a schema may name, each with {@link LinearFormats} in place of the validator's formats of the
     * same name and {@link LinearUniqueItems} in place of its {@code uniqueItems}. Only these: a dialect defined
     * by some other meta-schema would bring the validator's formats back.
     */
    private static DialectRegistry linearDialects() {
        List<Format> formats = LinearFormats.all();
        return new BasicDialectRegistry(Stream.of(SpecificationVersion.DRAFT_4, SpecificationVersion.DRAFT_6,
                        SpecificationVersion.DRAFT_7, SpecificationVersion.DRAFT_2019_09, SpecificationVersion.DRAFT_2020_12)
                .map(version -> Dialect.builder(Specification.getDialect(version)).formats(formats)
                        .keyword(new LinearUniqueItems()).build())
                .toList());
    }

    /** The compiled schema, from the cache when the same schema text was compiled recently. */
    CompiledSchema compile(JsonNode schema) {
        String text = schema.toString();
        synchronized (cache) {
            CompiledSchema cached = cache.get(text);
            if (cached != null) {
                return cached;
            }
        }
        // Compiled outside the lock: two writers racing on a new schema compile it twice, harmlessly.
        CompiledSchema compiled = compileUncached(schema);
        synchronized (cache) {
            cache.put(text, compiled);
        }
        return compiled;
    }

    private CompiledSchema compileUncached(JsonNode schema) {
        if (!schema.isObject() && !schema.isBoolean()) {
            return CompiledSchema.broken(List.of(new Problem("", "a schema must be a JSON object or a boolean")));
        }
        try {
            List<Error> metaErrors = metaSchema().validate(schema);
            if (!metaErrors.isEmpty()) {
                return CompiledSchema.broken(problems(metaErrors));
            }
            return CompiledSchema.usable(userSchemas.getSchema(schema));
        } catch (RuntimeException | StackOverflowError e) {
            // An unresolvable $ref, an unknown $schema draft, a pattern RE2 cannot compile, nesting too deep for
            // the validator's recursion...
            return CompiledSchema.broken(List.of(new Problem("", "schema cannot be compiled: " + reason(e))));
        }
    }

    /** What went wrong, for a message: the exception's own words, or its kind when it has none (a stack overflow). */
    static String reason(Throwable failure) {
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }

    /** What is wrong with the value according to a usable schema, empty when it conforms. */
    static List<Problem> check(Schema schema, JsonNode value) {
        return problems(schema.validate(value));
    }

    private static List<Problem> problems(List<Error> errors) {
        return errors.stream()
                .map(e -> new Problem(e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString(),
                        e.getMessage()))
                .collect(Collectors.toList());
    }

    /** A map that forgets its least recently used entry once it holds more than its capacity. */
    private static final class LeastRecentlyUsed<K, V> extends LinkedHashMap<K, V> {
        private static final long serialVersionUID = 1L;
        private final int capacity;

        LeastRecentlyUsed(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > capacity;
        }
    }
}
