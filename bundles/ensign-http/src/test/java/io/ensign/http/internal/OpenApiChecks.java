package io.ensign.http.internal;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.http.Route;

/** Checks of an OpenAPI document against routes, for this bundle's document and every route bundle's fragment. */
public final class OpenApiChecks {
    private OpenApiChecks() {
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
