package io.ensign.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;

/** Checks of an OpenAPI document against routes, for this bundle's document and every route bundle's fragment. */
public final class OpenApiChecks {
    private OpenApiChecks() {
    }

    /**
     * Asserts that {@code resources}, routed in a harness beside this bundle's own, document every route of theirs
     * in the served document, with every reference resolving, and that their fragments document no operation they
     * do not route.
     */
    public static void assertDocumentedExactly(List<ApiResource> resources) throws Exception {
        List<Route> routes = resources.stream().flatMap(r -> r.routes().stream()).toList();
        try (ApiHarness api = ApiHarness.start()) {
            resources.forEach(api::add);
            JsonNode document = api.json(api.send("GET", "/api/v1/openapi.json", null, null));
            assertEquals(List.of(), undocumented(document, routes), "undocumented routes");
            assertEquals(List.of(), danglingReferences(document), "dangling references");
            assertOperationsDescribed(document, new Router(api.api.routes()));
        }
        for (ApiResource resource : resources) {
            assertNotNull(resource.openApi(), resource + " has no OpenAPI fragment");
            try (InputStream in = resource.openApi().openStream()) {
                assertEquals(List.of(), unrouted(new ObjectMapper().readTree(in), routes, path -> true),
                        "documented by the fragment of " + resource + " but not routed");
            }
        }
    }

    /** Asserts that every operation of the document has responses and, unless its route is public, security. */
    static void assertOperationsDescribed(JsonNode document, Router router) {
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                assertFalse(operation.getValue().path("responses").isEmpty(), path.getKey());
                Router.Match match = router.match(operation.getKey().toUpperCase(), path.getKey());
                boolean isPublic = match == null || match.route().permission() == Permission.PUBLIC;
                assertEquals(isPublic, operation.getValue().has("security"), operation.getKey() + " " + path.getKey());
            }
        }
    }

    /** The operations, as "method path", of the document's paths that {@code checked} takes and no route serves. */
    public static List<String> unrouted(JsonNode document, List<Route> routes, Predicate<String> checked) {
        Set<String> routed = new HashSet<>();
        routes.forEach(r -> routed.add(r.method().toLowerCase() + " " + r.template()));
        List<String> unrouted = new ArrayList<>();
        document.path("paths").properties().stream().filter(path -> checked.test(path.getKey())).forEach(path ->
                path.getValue().properties().stream().map(op -> op.getKey() + " " + path.getKey())
                        .filter(operation -> !routed.contains(operation)).forEach(unrouted::add));
        return unrouted;
    }

    /** The routes, as "METHOD template", that the document has no operation for. */
    public static List<String> undocumented(JsonNode document, List<Route> routes) {
        List<String> undocumented = new ArrayList<>();
        for (Route route : routes) {
            if (document.path("paths").path(route.template()).path(route.method().toLowerCase()).isMissingNode()) {
                undocumented.add(route.method() + " " + route.template());
            }
        }
        return undocumented;
    }

    /** The {@code $ref}s of the document that point at nothing in it (or outside it). */
    public static List<String> danglingReferences(JsonNode document) {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        return refs.stream().filter(ref -> !ref.startsWith("#/") || document.at(ref.substring(1)).isMissingNode())
                .toList();
    }

    /** Every {@code $ref} of the node. */
    public static List<String> references(JsonNode node) {
        List<String> refs = new ArrayList<>();
        collectRefs(node, refs);
        return refs;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(e -> collectRefs(e, refs));
        }
    }
}
