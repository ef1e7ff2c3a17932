package io.ensign.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document the API serves, assembled from the hand-written one of this bundle, against the routes the
 * router really has.
 */
class OpenApiDocumentTest {
    private static ApiHarness harness;
    private static JsonNode document;
    private static Router router;

    @BeforeAll
    static void load(@TempDir Path data) throws Exception {
        harness = new ApiHarness(data);
        document = new ObjectMapper().readTree(harness.api.openApiDocument());
        router = new Router(harness.api.routes());
    }

    @AfterAll
    static void close() throws Exception {
        harness.close();
    }

    @Test
    void isServedAsAssembled() throws Exception {
        HttpResponse<String> served = harness.send("GET", "/api/v1/openapi.json", null, null);
        assertEquals(200, served.statusCode());
        assertEquals(document, new ObjectMapper().readTree(served.body()));
    }

    @Test
    void keepsEveryPathOfTheBundlesDocumentWhileEveryResourceIsThere() throws Exception {
        try (InputStream in = OpenApiAssembly.class.getResourceAsStream(OpenApiAssembly.DOCUMENT)) {
            JsonNode written = new ObjectMapper().readTree(in);
            assertEquals(written.path("paths"), document.path("paths"));
        }
    }

    @Test
    void isAnOpenApi3DocumentWithBearerSecurity() {
        assertTrue(document.path("openapi").asText().startsWith("3.0"));
        assertEquals("bearer", document.at("/components/securitySchemes/bearerAuth/scheme").asText());
        assertFalse(document.path("security").isEmpty());
    }

    @Test
    void documentsEveryRouteTheRouterKnows() {
        List<String> undocumented = new ArrayList<>();
        for (Route route : router.routes()) {
            if (document.path("paths").path(route.template()).path(route.method().toLowerCase()).isMissingNode()) {
                undocumented.add(route.method() + " " + route.template());
            }
        }
        assertTrue(undocumented.isEmpty(), "undocumented: " + undocumented);
        assertFalse(document.at("/paths/~1health~1live/get").isMissingNode());
        assertFalse(document.at("/paths/~1health~1ready/get").isMissingNode());
    }

    @Test
    void documentsNoApiRouteThatDoesNotExist() {
        Set<String> routes = new HashSet<>();
        router.routes().forEach(r -> routes.add(r.method().toLowerCase() + " " + r.template()));
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            if (path.getKey().startsWith("/health/")) {
                continue;
            }
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                assertTrue(routes.contains(operation.getKey() + " " + path.getKey()),
                        operation.getKey() + " " + path.getKey() + " is documented but not routed");
            }
        }
    }

    @Test
    void everyOperationDocumentsItsResponsesAndPublicOnesSaySo() {
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                assertFalse(operation.getValue().path("responses").isEmpty(), path.getKey());
                Router.Match match = router.match(operation.getKey().toUpperCase(), path.getKey());
                boolean isPublic = match == null || match.route().permission() == Permission.PUBLIC;
                assertEquals(isPublic, operation.getValue().has("security"), operation.getKey() + " " + path.getKey());
            }
        }
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertFalse(refs.isEmpty());
        for (String ref : refs) {
            assertTrue(ref.startsWith("#/"), ref);
            assertNotNull(document.at(ref.substring(1)), ref);
            assertFalse(document.at(ref.substring(1)).isMissingNode(), "dangling " + ref);
        }
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
