package io.ensign.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.http.Route;

/**
 * The OpenAPI document of the routes served now. This bundle's document ({@link #DOCUMENT}) describes what the
 * core serves itself (health and the document) and the shared components; every resource adds its fragment
 * ({@link io.ensign.api.http.ApiResource#openApi()}): the operations of its own routes and its components, unless
 * a component of the same name and other content is there already, in which case the whole fragment is left out
 * with a warning. A resource without a fragment is served undocumented (the servlet warns when it binds it).
 */
final class OpenApiAssembly {
    /** Where this bundle's document lives, next to this class. */
    static final String DOCUMENT = "openapi.json";
    static final int MAX_FRAGMENT_BYTES = 1 << 20;
    private static final System.Logger LOG = System.getLogger(OpenApiAssembly.class.getName());
    private static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode base;

    /** The part of a resource with a fragment: its routes and that fragment. */
    record Contribution(String source, List<Route> routes, JsonNode fragment) {
    }

    OpenApiAssembly() {
        try (InputStream in = OpenApiAssembly.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is missing from the bundle");
            }
            this.base = (ObjectNode) MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The fragment at {@code url}, read under the size limit and checked to be an object with a {@code paths}
     * object; null for a null url.
     *
     * @throws IOException when it cannot be read or is no such object
     */
    static JsonNode fragment(URL url, Json json) throws IOException {
        if (url == null) {
            return null;
        }
        byte[] bytes;
        try (InputStream in = url.openStream()) {
            bytes = in.readNBytes(MAX_FRAGMENT_BYTES + 1);
        }
        if (bytes.length > MAX_FRAGMENT_BYTES) {
            throw new IOException("the OpenAPI fragment " + url + " is larger than " + MAX_FRAGMENT_BYTES + " bytes");
        }
        JsonNode fragment = json.parse(bytes, bytes.length);
        if (!fragment.isObject() || !fragment.path("paths").isObject()
                || !fragment.path("components").isMissingNode() && !fragment.path("components").isObject()) {
            throw new IOException("the OpenAPI fragment " + url + " is not an object with a 'paths' object and an"
                    + " optional 'components' object");
        }
        return fragment;
    }

    /** The document of this bundle ({@link #DOCUMENT}) with the {@code contributions} of the resources served. */
    byte[] assemble(List<Contribution> contributions) throws IOException {
        ObjectNode document = base.deepCopy();
        for (Contribution contribution : contributions) {
            add(document, contribution);
        }
        return MAPPER.writeValueAsBytes(document);
    }

    private static void add(ObjectNode document, Contribution contribution) {
        ObjectNode paths = ((ObjectNode) contribution.fragment().get("paths")).deepCopy();
        keepServed(paths, contribution.routes());
        JsonNode components = contribution.fragment().path("components");
        List<String> clashes = new ArrayList<>();
        components.properties().forEach(section -> section.getValue().properties().forEach(entry -> {
            JsonNode present = document.path("components").path(section.getKey()).get(entry.getKey());
            if (present != null && !present.equals(entry.getValue())) {
                clashes.add(section.getKey() + "/" + entry.getKey());
            }
        }));
        if (!clashes.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "the OpenAPI fragment of " + contribution.source() + " is left out:"
                    + " its components " + clashes + " differ from ones of the same name already documented");
            return;
        }
        ObjectNode documentPaths = (ObjectNode) document.get("paths");
        paths.properties().forEach(path -> {
            JsonNode item = documentPaths.get(path.getKey());
            if (item == null) {
                documentPaths.set(path.getKey(), path.getValue());
            } else {
                path.getValue().properties().forEach(op -> ((ObjectNode) item).set(op.getKey(), op.getValue()));
            }
        });
        ObjectNode documentComponents = child(document, "components");
        components.properties().forEach(section -> section.getValue().properties().forEach(entry ->
                child(documentComponents, section.getKey()).set(entry.getKey(), entry.getValue())));
    }

    private static ObjectNode child(ObjectNode parent, String name) {
        JsonNode child = parent.get(name);
        return child instanceof ObjectNode object ? object : parent.putObject(name);
    }

    /**
     * Removes the operations of {@code paths} that none of {@code routes} serves, and the paths left without one.
     */
    private static void keepServed(ObjectNode paths, List<Route> routes) {
        Set<String> served = new HashSet<>();
        routes.forEach(r -> served.add(r.method().toLowerCase() + " " + r.template()));
        Iterator<Map.Entry<String, JsonNode>> items = paths.fields();
        while (items.hasNext()) {
            Map.Entry<String, JsonNode> item = items.next();
            String path = item.getKey();
            if (!item.getValue().isObject()) {
                items.remove();
                continue;
            }
            ObjectNode operations = (ObjectNode) item.getValue();
            List<String> unserved = new ArrayList<>();
            boolean anyServed = false;
            for (Map.Entry<String, JsonNode> operation : operations.properties()) {
                if (OPERATIONS.contains(operation.getKey())) {
                    boolean isServed = served.contains(operation.getKey() + " " + path);
                    anyServed |= isServed;
                    if (!isServed) {
                        unserved.add(operation.getKey());
                    }
                }
            }
            if (anyServed) {
                operations.remove(unserved);
            } else {
                items.remove();
            }
        }
    }
}
