package io.ensign.experiments.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Route;
import io.ensign.http.internal.ApiHarness;
import io.ensign.http.internal.ApiServletAccess;
import io.ensign.http.internal.OpenApiChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The experiments' OpenAPI fragment against the routes of their two resources, as the server assembles it. */
class ExperimentsOpenApiTest {
    private final InMemoryExperiments experiments = new InMemoryExperiments();
    private final List<ApiResource> resources = List.of(new ExperimentsResource(experiments),
            new EventsResource(experiments, InMemoryExperiments.eventsConfig(1024)));
    private final List<Route> routes = resources.stream().flatMap(r -> r.routes().stream()).toList();

    @Test
    void theAssembledDocumentDocumentsEveryRouteAndEveryReferenceResolves(@TempDir Path data) throws Exception {
        try (ApiHarness api = new ApiHarness(data)) {
            JsonNode before = api.json(api.send("GET", "/api/v1/openapi.json", null, null));
            assertTrue(before.at("/paths/~1api~1v1~1experiments").isMissingNode());
            resources.forEach(r -> ApiServletAccess.add(api, r));

            JsonNode document = api.json(api.send("GET", "/api/v1/openapi.json", null, null));
            assertEquals(List.of(), OpenApiChecks.undocumented(document, routes));
            assertEquals(List.of(), OpenApiChecks.danglingReferences(document));
            assertFalse(document.at("/components/schemas/Experiment").isMissingNode());
        }
    }

    @Test
    void theFragmentDocumentsNoOperationWithoutARoute() throws Exception {
        JsonNode fragment;
        try (InputStream in = resources.get(0).openApi().openStream()) {
            fragment = new ObjectMapper().readTree(in);
        }
        Set<String> routed = new HashSet<>();
        routes.forEach(r -> routed.add(r.method().toLowerCase() + " " + r.template()));
        fragment.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op ->
                assertTrue(routed.contains(op.getKey() + " " + path.getKey()), op.getKey() + " " + path.getKey())));
        assertEquals(resources.get(0).openApi(), resources.get(1).openApi(), "one fragment for both resources");
        assertTrue(Stream.of("Experiment", "EventBatch").allMatch(s -> fragment.path("components").path("schemas").has(s)));
    }
}
