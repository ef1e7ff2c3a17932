package io.ensign.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the API serves with no route bundle there: this bundle's own hand-written part (health and
 * the document itself, the shared components), against the routes the router really has.
 */
class OpenApiDocumentTest {
    private static ApiHarness harness;
    private static JsonNode document;
    private static Router router;

    @BeforeAll
    static void load() throws Exception {
        harness = ApiHarness.start();
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
        OpenApiChecks.assertOperationsDescribed(document, router);
    }

    @Test
    void everyReferenceResolves() {
        assertFalse(OpenApiChecks.references(document).isEmpty());
        assertEquals(List.of(), OpenApiChecks.danglingReferences(document));
    }
}
