package io.ensign.experiments.http.internal;

import java.nio.file.Path;
import java.util.List;

import io.ensign.http.internal.OpenApiChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The experiments' OpenAPI fragment against the routes of their two resources, as the server assembles it. */
class ExperimentsOpenApiTest {
    @Test
    void documentsEveryRouteOfBothResourcesAndNoOther(@TempDir Path data) throws Exception {
        InMemoryExperiments experiments = new InMemoryExperiments();
        OpenApiChecks.assertDocumentedExactly(data, List.of(new ExperimentsResource(experiments),
                new EventsResource(experiments, InMemoryExperiments.eventsConfig(1024))));
    }
}
