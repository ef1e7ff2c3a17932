package io.ensign.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.http.Permission;
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
        List<String> undocumented = OpenApiChecks.undocumented(document, router.routes());
        assertTrue(undocumented.isEmpty(), "undocumented: " + undocumented);
        assertFalse(document.at("/paths/~1health~1live/get").isMissingNode());
        assertFalse(document.at("/paths/~1health~1ready/get").isMissingNode());
    }

    @Test
    void documentsNoApiRouteThatDoesNotExist() {
        assertEquals(List.of(), OpenApiChecks.unrouted(document, router.routes(), path -> !path.startsWith("/health/")),
                "documented but not routed");
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
        assertFalse(OpenApiChecks.references(document).isEmpty());
        assertEquals(List.of(), OpenApiChecks.danglingReferences(document));
    }
}
