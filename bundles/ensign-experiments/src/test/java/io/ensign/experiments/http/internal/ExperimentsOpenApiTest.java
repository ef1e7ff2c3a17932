package io.ensign.experiments.http.internal;

import java.util.List;

import io.ensign.http.internal.OpenApiChecks;
import org.junit.jupiter.api.Test;

/** The experiments' OpenAPI fragment against the routes of their two resources, as the server assembles it. */
class ExperimentsOpenApiTest {
    @Test
    void documentsEveryRouteOfBothResourcesAndNoOther() throws Exception {
        InMemoryExperiments experiments = new InMemoryExperiments();
        OpenApiChecks.assertDocumentedExactly(List.of(new ExperimentsResource(experiments),
                new EventsResource(experiments, InMemoryExperiments.eventsConfig(1024))));
    }
}
