package io.ensign.migration.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.auth.Role;
import io.ensign.api.model.Flag;
import io.ensign.codec.ModelCodec;
import io.ensign.http.internal.ApiHarness;
import io.ensign.http.internal.OpenApiChecks;
import io.ensign.testing.fakes.InMemoryCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The import and export routes over HTTP on a catalog in memory. */
class MigrationResourceTest {
    private static final String GOOD = """
            {"flags": {"a": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                             "targeting": {"if": [{"in": [{"var": "country"}, ["NL"]]}, "on"]}},
                       "b": {"state": "ENABLED", "variants": {"x": "X", "y": "Y"}, "defaultVariant": "x",
                             "targeting": {"fractional": [["x", 30], ["y", 70]]}}}}""";
    private static final String PARTLY = """
            {"flags": {"a": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"},
                       "c": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                             "targeting": {"if": [{">": [{"var": "age"}, 17]}, "on"]}}}}""";

    private ApiHarness api;
    private InMemoryCatalog catalog;
    private String admin;

    @BeforeEach
    void start() throws Exception {
        api = ApiHarness.start();
        catalog = new InMemoryCatalog();
        api.add(new MigrationResource(catalog));
        admin = api.token(Role.ADMIN, null);
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void aDryRunReportsEachFlagAndWritesNothing() {
        JsonNode report = api.expect(200, "POST", "/api/v1/import?from=flagd&dryRun=true", admin, PARTLY);
        assertEquals(false, report.path("accepted").asBoolean());
        assertEquals(false, report.path("written").asBoolean());
        assertEquals("create", report.path("flags").path(0).path("status").asText());
        JsonNode refused = report.path("flags").path(1);
        assertEquals("untranslatable", refused.path("status").asText());
        assertEquals("/flags/c/targeting/if/0/>", refused.path("problems").path(0).path("field").asText());
        assertEquals(0, catalog.writes());
    }

    @Test
    void anImportWithAnUntranslatableFlagIs422WithTheReportAndWritesNothing() {
        JsonNode refused = api.expect(422, "POST", "/api/v1/import?from=flagd", admin, PARTLY);
        assertEquals("VALIDATION_FAILED", refused.path("error").asText());
        assertEquals("/flags/c/targeting/if/0/>", refused.path("field").asText());
        assertEquals("import", refused.path("violations").path(0).path("rule").asText());
        assertEquals(2, refused.path("flags").size());
        assertEquals(0, catalog.writes());
        assertTrue(catalog.flag("a").isEmpty());
    }

    @Test
    void anImportOfTranslatableFlagsWritesThemAllInOneBatchAndAReimportIsRefused() {
        JsonNode report = api.expect(201, "POST", "/api/v1/import?from=flagd", admin, GOOD);
        assertEquals(List.of("created", "created"), report.path("flags").findValuesAsText("status"));
        assertEquals(1, catalog.writes(), "one batch");
        assertEquals("flagd-fractional", catalog.flag("b").orElseThrow().rules().get(0).rollout().strategy());
        assertEquals("import from flagd", catalog.lastContext().reason());
        JsonNode again = api.expect(422, "POST", "/api/v1/import?from=flagd", admin, GOOD);
        assertTrue(again.path("flags").path(0).path("problems").path(0).path("message").asText().contains("exists"));
        assertEquals(1, catalog.writes());
    }

    @Test
    void anExportIsAFlagdFileThatImportsBackToTheSameFlags() {
        api.expect(201, "POST", "/api/v1/import?from=flagd", admin, GOOD);
        JsonNode file = api.expect(200, "GET", "/api/v1/export?to=flagd", api.token(Role.VIEWER, null), null);
        assertEquals(FlagdExport.SCHEMA, file.path("$schema").asText());
        JsonNode b = file.path("flags").path("b");
        assertEquals("{\"fractional\":[[\"x\",30],[\"y\",70]]}", b.path("targeting").path("if").path(1).toString());
        Translation back = new FlagdTranslator().translate(file);
        assertTrue(back.complete(), back.toString());
        assertEquals(List.of("a", "b"), back.flags().stream().map(FlagTranslation::key).toList());
        Flag reimported = new ModelCodec().decodeFlag(back.flags().get(1).flag(), "b", 0);
        assertEquals(catalog.flag("b").orElseThrow().rules(), reimported.rules());
    }

    @Test
    void badParametersAreA400NamingThemAndOnlyAdminsImport() {
        assertEquals("from", api.expect(400, "POST", "/api/v1/import?from=consul", admin, GOOD).path("field").asText());
        assertEquals("dryRun",
                api.expect(400, "POST", "/api/v1/import?from=flagd&dryRun=maybe", admin, GOOD).path("field").asText());
        assertEquals("to", api.expect(400, "GET", "/api/v1/export?to=unleash", admin, null).path("field").asText());
        api.expect(403, "POST", "/api/v1/import?from=flagd", api.token(Role.EDITOR, null), GOOD);
        api.expect(400, "POST", "/api/v1/import?from=flagd", admin, "[1]");
        api.expect(400, "POST", "/api/v1/import?from=flagd", admin, "{\"flags\": ");
        api.expect(400, "POST", "/api/v1/import?from=flagd", admin, "");
        assertEquals(0, catalog.writes());
    }

    @Test
    void theRoutesAreDocumentedExactly() throws Exception {
        OpenApiChecks.assertDocumentedExactly(List.of(new MigrationResource(catalog)));
    }
}
