package io.ensign.config.http.internal;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.auth.Caller;
import io.ensign.api.auth.Role;
import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.catalog.WriteResult;
import io.ensign.api.config.ConfigDiff;
import io.ensign.api.config.ConfigEntry;
import io.ensign.api.config.ConfigService;
import io.ensign.api.config.ResolvedEntry;
import io.ensign.api.http.ApiException;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Call;
import io.ensign.api.http.ErrorCodes;
import io.ensign.api.http.IfMatch;
import io.ensign.api.http.JsonBodies;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;
import io.ensign.codec.PlainValues;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /api/v1/config}: configuration entries per namespace, key and environment ({@code ?environment=}, absent
 * for the global entry), their resolved maps, history, rollback, diff and promotion. Editors and admins write and
 * see secret values; viewers and sdk tokens read them redacted, and an sdk token reads only its own environment's
 * resolved map.
 */
@Component(service = ApiResource.class)
public final class ConfigResource implements ApiResource {
    private static final String BASE = "/api/v1/config";
    private static final String NAMESPACE = BASE + "/{namespace}";
    private static final String ENTRY = NAMESPACE + "/{key}";
    private static final String ENVIRONMENT = "environment";
    private static final String RULE = "config";
    private static final Set<String> PUT_FIELDS = Set.of("value", "schema", "reason", "secret", "allowTypeChange");
    private static final Set<String> PROMOTE_FIELDS = Set.of("from", "to", "key", "reason");

    private final ConfigService config;

    @Activate
    public ConfigResource(@Reference ConfigService config) {
        this.config = config;
    }

    @Override
    public URL openApi() {
        return ConfigResource.class.getResource("openapi.json");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get(BASE, Permission.READ, this::namespaces),
                Route.get(NAMESPACE, Permission.EVALUATE, this::resolve),
                Route.post(NAMESPACE + "/promote", Permission.WRITE, this::promote),
                Route.get(ENTRY, Permission.READ, this::get),
                Route.put(ENTRY, Permission.WRITE, this::put),
                Route.delete(ENTRY, Permission.WRITE, this::delete),
                Route.get(ENTRY + "/history", Permission.READ, this::history),
                Route.post(ENTRY + "/rollback", Permission.WRITE, this::rollback),
                Route.get(ENTRY + "/diff", Permission.READ, this::diff));
    }

    private void namespaces(Call call) throws IOException {
        List<String> names = config.namespaces();
        call.respond(200, g -> {
            g.writeStartArray();
            for (String name : names) {
                g.writeString(name);
            }
            g.writeEndArray();
        });
    }

    /** The resolved map, with an ETag made from it so that polling clients get 304 while nothing changed. */
    private void resolve(Call call) throws IOException {
        String environment = environment(call);
        Caller caller = call.caller();
        if (caller.role() == Role.SDK) {
            if (environment != null && !environment.equals(caller.environment())) {
                throw new ApiException(403, ErrorCodes.FORBIDDEN,
                        "this sdk token reads environment '" + caller.environment() + "' only", ENVIRONMENT);
            }
            environment = caller.environment();
        }
        Map<String, ResolvedEntry> resolved = config.resolve(call.parameter("namespace"), environment,
                revealsSecrets(caller));
        call.respondCacheable(call.render(g -> {
            g.writeStartObject();
            for (ResolvedEntry entry : resolved.values()) {
                g.writeObjectFieldStart(entry.key());
                g.writeFieldName("value");
                JsonBodies.writePlain(g, entry.value());
                g.writeNumberField("version", entry.version());
                g.writeStringField("origin", entry.origin());
                g.writeBooleanField("secret", entry.secret());
                g.writeEndObject();
            }
            g.writeEndObject();
        }));
    }

    private void get(Call call) throws IOException {
        ConfigEntry entry = config.get(call.parameter("namespace"), call.parameter("key"), environment(call),
                revealsSecrets(call.caller())).orElseThrow(() -> notFound(call));
        call.setHeader("ETag", IfMatch.etag(entry.version()));
        call.respond(200, g -> {
            g.writeStartObject();
            writeEntryFields(g, entry);
            g.writeEndObject();
        });
    }

    private void put(Call call) throws IOException {
        String namespace = call.parameter("namespace");
        String key = call.parameter("key");
        String environment = environment(call);
        IfMatch ifMatch = IfMatch.parse(call.header("If-Match"));
        JsonNode body = objectBody(call, PUT_FIELDS);
        List<Violation> violations = new ArrayList<>();
        if (!body.has("value")) {
            violations.add(Violation.error(RULE, "/value", "a configuration entry needs a value (null is one)"));
        }
        Boolean secret = optionalBoolean(body, "secret", violations);
        Boolean allowTypeChange = optionalBoolean(body, "allowTypeChange", violations);
        WriteContext context = writeContext(call, body, violations);
        refuseIfAny(violations);
        long expected = ifMatch.expectedVersion(currentVersion(ifMatch, namespace, key, environment), what(call));
        JsonNode schema = body.get("schema");
        WriteResult<ConfigEntry> result = config.put(namespace, key, environment, PlainValues.toJava(body.get("value")),
                schema == null || schema.isNull() ? null : PlainValues.toJava(schema), secret,
                Boolean.TRUE.equals(allowTypeChange), expected, context);
        if (result.created()) {
            call.setHeader("Location", BASE + "/" + namespace + "/" + key
                    + (environment == null ? "" : "?environment=" + environment));
        }
        respondWritten(call, result.created() ? 201 : 200, result);
    }

    private void delete(Call call) {
        IfMatch ifMatch = IfMatch.parse(call.header("If-Match"));
        String namespace = call.parameter("namespace");
        String key = call.parameter("key");
        String environment = environment(call);
        long expected = ifMatch.expectedVersion(currentVersion(ifMatch, namespace, key, environment), what(call));
        config.delete(namespace, key, environment, expected, call.writeContext());
        call.respondEmpty(204);
    }

    private void history(Call call) throws IOException {
        String namespace = call.parameter("namespace");
        String key = call.parameter("key");
        String environment = environment(call);
        List<ConfigEntry> versions = config.history(namespace, key, environment, revealsSecrets(call.caller()));
        if (versions.isEmpty()) {
            throw notFound(call);
        }
        call.respond(200, g -> {
            g.writeStartArray();
            for (ConfigEntry entry : versions) {
                g.writeStartObject();
                writeEntryFields(g, entry);
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private void rollback(Call call) throws IOException {
        JsonNode body = objectBody(call, Set.of("version", "reason"));
        List<Violation> violations = new ArrayList<>();
        JsonNode version = body.get("version");
        if (version == null || !version.canConvertToLong() || !version.isIntegralNumber() || version.asLong() < 1) {
            violations.add(Violation.error(RULE, "/version", "the version to roll back to, an integer from 1"));
        }
        WriteContext context = writeContext(call, body, violations);
        refuseIfAny(violations);
        WriteResult<ConfigEntry> result = config.rollback(call.parameter("namespace"), call.parameter("key"),
                environment(call), version.asLong(), context);
        respondWritten(call, 200, result);
    }

    private void diff(Call call) throws IOException {
        long from = call.queryNumber("from", 1, Long.MAX_VALUE, null);
        long to = call.queryNumber("to", 1, Long.MAX_VALUE, null);
        ConfigDiff diff = config.diff(call.parameter("namespace"), call.parameter("key"), environment(call), from, to,
                revealsSecrets(call.caller()));
        call.respond(200, g -> {
            g.writeStartObject();
            g.writeNumberField("fromVersion", diff.fromVersion());
            g.writeNumberField("toVersion", diff.toVersion());
            g.writeArrayFieldStart("operations");
            for (ConfigDiff.Operation operation : diff.operations()) {
                g.writeStartObject();
                g.writeStringField("op", operation.op().rfc6902());
                g.writeStringField("path", operation.path());
                if (operation.op() != ConfigDiff.Op.ADD) {
                    g.writeFieldName("from");
                    JsonBodies.writePlain(g, operation.from());
                }
                if (operation.op() != ConfigDiff.Op.REMOVE) {
                    g.writeFieldName("to");
                    JsonBodies.writePlain(g, operation.to());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** Copies one key, or every entry of the source environment, in one store commit (one audited change). */
    private void promote(Call call) throws IOException {
        JsonNode body = objectBody(call, PROMOTE_FIELDS);
        List<Violation> violations = new ArrayList<>();
        String from = optionalText(body, "from", violations);
        String to = optionalText(body, "to", violations);
        String key = optionalText(body, "key", violations);
        WriteContext context = writeContext(call, body, violations);
        refuseIfAny(violations);
        List<ConfigEntry> written = config.promote(call.parameter("namespace"), key, from, to, context);
        call.respond(200, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("entries");
            for (ConfigEntry entry : written) {
                g.writeStartObject();
                writeEntryFields(g, entry);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void respondWritten(Call call, int status, WriteResult<ConfigEntry> result) throws IOException {
        ConfigEntry stored = result.value();
        call.setHeader("ETag", IfMatch.etag(stored.version()));
        call.respond(status, g -> {
            g.writeStartObject();
            writeEntryFields(g, stored);
            JsonBodies.writeViolations(g, "warnings", result.warnings());
            g.writeEndObject();
        });
    }

    private static void writeEntryFields(JsonGenerator g, ConfigEntry entry) throws IOException {
        g.writeNumberField("version", entry.version());
        g.writeStringField("namespace", entry.namespace());
        g.writeStringField("key", entry.key());
        g.writeStringField("environment", entry.environment());
        g.writeFieldName("value");
        JsonBodies.writePlain(g, entry.value());
        if (entry.schema() != null) {
            g.writeFieldName("schema");
            JsonBodies.writePlain(g, entry.schema());
        }
        g.writeBooleanField("secret", entry.secret());
        if (entry.updated() != null) {
            g.writeStringField("updated", entry.updated().toString());
        }
        g.writeStringField("actor", entry.actor());
        g.writeStringField("reason", entry.reason());
    }

    /** Editors and admins see secret values; viewers and sdk tokens never do. */
    private static boolean revealsSecrets(Caller caller) {
        return caller.role() == Role.ADMIN || caller.role() == Role.EDITOR;
    }

    /** The {@code environment} query parameter; absent or empty means the global entries. */
    private static String environment(Call call) {
        String environment = call.query(ENVIRONMENT);
        return environment == null || environment.isEmpty() ? null : environment;
    }

    /** The version now, read only when If-Match: * needs it. */
    private long currentVersion(IfMatch ifMatch, String namespace, String key, String environment) {
        return ifMatch.kind() == IfMatch.Kind.EXISTS
                ? config.get(namespace, key, environment, false).map(ConfigEntry::version).orElse(0L) : 0L;
    }

    private static String what(Call call) {
        String environment = environment(call);
        return "config entry '" + call.parameter("namespace") + "/" + call.parameter("key") + "' in "
                + (environment == null ? "the global entries" : "environment '" + environment + "'");
    }

    private static NotFoundException notFound(Call call) {
        String environment = environment(call);
        return new NotFoundException(ConfigService.KIND, call.parameter("namespace") + "/" + call.parameter("key")
                + (environment == null ? " (global)" : " in " + environment));
    }

    /** The body, which must be a JSON object with known fields only. */
    private static JsonNode objectBody(Call call, Set<String> fields) throws IOException {
        JsonNode body = call.body();
        if (!body.isObject()) {
            throw new ValidationException(List.of(Violation.error(RULE, "", "the body must be a JSON object")));
        }
        List<Violation> violations = new ArrayList<>();
        body.fieldNames().forEachRemaining(f -> {
            if (!fields.contains(f)) {
                violations.add(Violation.error(RULE, "/" + f, "is not a field of this request; expected one of "
                        + String.join(", ", new TreeSet<>(fields))));
            }
        });
        refuseIfAny(violations);
        return body;
    }

    /** The caller, the reason (the body's, else the header's) and the request id. */
    private static WriteContext writeContext(Call call, JsonNode body, List<Violation> violations) {
        WriteContext context = call.writeContext();
        String reason = optionalText(body, "reason", violations);
        return reason == null ? context : new WriteContext(context.actor(), reason, context.requestId());
    }

    private static String optionalText(JsonNode body, String field, List<Violation> violations) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            violations.add(Violation.error(RULE, "/" + field, "must be a string"));
            return null;
        }
        return node.textValue();
    }

    private static Boolean optionalBoolean(JsonNode body, String field, List<Violation> violations) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            violations.add(Violation.error(RULE, "/" + field, "must be true or false"));
            return null;
        }
        return node.booleanValue();
    }

    private static void refuseIfAny(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
    }
}
