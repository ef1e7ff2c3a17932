package io.ensign.engine.http.internal;

import java.util.List;

import io.ensign.http.internal.OpenApiChecks;
import io.ensign.testing.fakes.CatalogEvaluator;
import io.ensign.testing.fakes.InMemoryCatalog;
import io.ensign.testing.fakes.TestTokens;
import org.junit.jupiter.api.Test;

/** The OpenAPI fragment of the catalog and OFREP routes documents each of them, and nothing else. */
class CatalogOpenApiTest {
    @Test
    void theFragmentDocumentsEveryRouteAndNoOther() throws Exception {
        InMemoryCatalog catalog = new InMemoryCatalog();
        OpenApiChecks.assertDocumentedExactly(List.of(new FlagsResource(catalog), new SegmentsResource(catalog),
                new EnvironmentsResource(catalog), new OfrepResource(new CatalogEvaluator(catalog), catalog,
                        new TestTokens("unused"), OfrepResourceTest.config())));
    }
}
