package io.ensign.api.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.catalog.WriteResult;

/**
 * The routes of one kind of versioned catalog object under one collection path: list, get, put (201 created,
 * 200 replaced) and, where the kind allows it, delete (204). Objects are returned with their {@code version} and
 * an {@code ETag}; writes honour {@code If-Match}. Viewers read, editors write.
 *
 * @param <T> the model type
 */
public abstract class CatalogResource<T> implements ApiResource {
    private final String kind;
    private final String collection;
    private final String parameter;

    /**
     * @param kind       the object kind as messages name it, e.g. {@code flag}
     * @param collection the collection path, e.g. {@code /api/v1/flags}
     * @param parameter  the name of the key's path parameter, e.g. {@code key}
     */
    protected CatalogResource(String kind, String collection, String parameter) {
        this.kind = kind;
        this.collection = collection;
        this.parameter = parameter;
    }

    protected abstract Optional<T> find(String key);

    protected abstract List<T> all();

    /** Decodes a request body (null when there is none) for the key in the path; throws ValidationException. */
    protected abstract T decode(JsonNode body, String key);

    /** The object's JSON without its version. */
    protected abstract ObjectNode encode(T value);

    protected abstract long version(T value);

    protected abstract WriteResult<T> write(T value, long expectedVersion, WriteContext context);

    /** Deletes the object; only called when {@link #deletable()}. */
    protected void delete(String key, long expectedVersion, WriteContext context) {
        throw new UnsupportedOperationException(kind + " objects cannot be deleted");
    }

    protected boolean deletable() {
        return true;
    }

    /** Whether PUT needs a body; an environment can be made from its name alone. */
    protected boolean bodyRequired() {
        return true;
    }

    @Override
    public List<Route> routes() {
        String item = collection + "/{" + parameter + "}";
        List<Route> routes = new ArrayList<>(List.of(
                Route.get(collection, Permission.READ, this::list),
                Route.get(item, Permission.READ, this::get),
                Route.put(item, Permission.WRITE, this::put)));
        if (deletable()) {
            routes.add(Route.delete(item, Permission.WRITE, this::remove));
        }
        return routes;
    }

    private void list(Call call) throws IOException {
        List<T> values = all();
        call.respond(200, g -> {
            g.writeStartArray();
            for (T value : values) {
                g.writeTree(withVersion(value));
            }
            g.writeEndArray();
        });
    }

    private void get(Call call) throws IOException {
        String key = call.parameter(parameter);
        respondWith(call, find(key).orElseThrow(() -> new NotFoundException(kind, key)));
    }

    /** Responds 200 with the object, its version and its ETag. */
    protected final void respondWith(Call call, T value) throws IOException {
        call.setHeader("ETag", IfMatch.etag(version(value)));
        call.respond(200, g -> g.writeTree(withVersion(value)));
    }

    private void put(Call call) throws IOException {
        String key = call.parameter(parameter);
        IfMatch ifMatch = IfMatch.parse(call.header("If-Match"));
        JsonNode body = bodyRequired() ? call.body() : call.optionalBody();
        T value = decode(body, key);
        long expected = ifMatch.expectedVersion(currentVersion(ifMatch, key), what(key));
        WriteResult<T> result = write(value, expected, call.writeContext());
        T stored = result.value();
        call.setHeader("ETag", IfMatch.etag(version(stored)));
        if (result.created()) {
            call.setHeader("Location", collection + "/" + key);
        }
        call.respond(result.created() ? 201 : 200, g -> {
            ObjectNode json = withVersion(stored);
            g.writeStartObject();
            for (Map.Entry<String, JsonNode> field : json.properties()) {
                g.writeFieldName(field.getKey());
                g.writeTree(field.getValue());
            }
            JsonBodies.writeViolations(g, "warnings", result.warnings());
            g.writeEndObject();
        });
    }

    private void remove(Call call) throws IOException {
        String key = call.parameter(parameter);
        IfMatch ifMatch = IfMatch.parse(call.header("If-Match"));
        long expected = ifMatch.expectedVersion(currentVersion(ifMatch, key), what(key));
        delete(key, expected, call.writeContext());
        call.respondEmpty(204);
    }

    /** The version now, read only when If-Match: * needs it. */
    private long currentVersion(IfMatch ifMatch, String key) {
        return ifMatch.kind() == IfMatch.Kind.EXISTS ? find(key).map(this::version).orElse(0L) : 0L;
    }

    private String what(String key) {
        return kind + " '" + key + "'";
    }

    private ObjectNode withVersion(T value) {
        return encode(value).put("version", version(value));
    }
}
