package io.ensign.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.store.StoreStatus;
import io.ensign.testing.fakes.CatalogEvaluator;
import io.ensign.testing.fakes.InMemoryCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthServletTest {
    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final CatalogEvaluator evaluator = new CatalogEvaluator(catalog);
    @TempDir
    Path conf;
    private ApiHarness api;

    @BeforeEach
    void start() throws Exception {
        api = ApiHarness.start();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void liveIsUpWithoutAnyService() {
        HttpResponse<String> response = api.send("GET", "/health/live", null, null);
        assertEquals(200, response.statusCode());
        assertEquals("UP", api.json(response).path("status").asText());
    }

    @Test
    void readyIsDownAndNamesWhatIsMissing() {
        api.health.store = api.store;
        HttpResponse<String> response = api.send("GET", "/health/ready", null, null);
        assertEquals(503, response.statusCode());
        JsonNode body = api.json(response);
        assertEquals("DOWN", body.path("status").asText());
        assertEquals("UP", body.path("store").asText());
        assertEquals("[\"evaluator\",\"catalog\"]", body.path("missing").toString());
    }

    @Test
    void readyIsUpWhenEverythingIsPresent() {
        everythingPresent();
        HttpResponse<String> response = api.send("GET", "/health/ready", null, null);
        assertEquals(200, response.statusCode());
        JsonNode body = api.json(response);
        assertEquals("UP", body.path("status").asText());
        assertEquals("UP", body.path("store").asText());
        assertTrue(body.path("plugins").path("missing").isEmpty());
    }

    @Test
    void readyIsDownWhileAPluginInUseIsMissing() {
        everythingPresent();
        evaluator.missingPlugins = List.of("operator/ip_in_cidr");
        HttpResponse<String> response = api.send("GET", "/health/ready", null, null);
        assertEquals(503, response.statusCode());
        JsonNode body = api.json(response);
        assertEquals("[\"operator/ip_in_cidr\"]", body.path("plugins").path("missing").toString());
        assertEquals("[\"operator/ip_in_cidr\"]", body.path("missing").toString());
    }

    @Test
    void otherHealthPathsGive404() {
        assertEquals(404, api.send("GET", "/health/other", null, null).statusCode());
        assertEquals(405, api.send("POST", "/health/live", null, "{}").statusCode());
    }

    @Test
    void readyIsDownWithTheReasonWhenTheStoreSaysItIsDown() {
        everythingPresent();
        api.store.status = StoreStatus.down("disk full: 0 bytes free under /data");
        HttpResponse<String> response = api.send("GET", "/health/ready", null, null);
        assertEquals(503, response.statusCode());
        JsonNode body = api.json(response);
        assertEquals("DOWN", body.path("status").asText());
        assertEquals("DOWN", body.path("store").asText());
        assertEquals("disk full: 0 bytes free under /data", body.path("storeReason").asText());
        assertEquals("[\"store\"]", body.path("missing").toString());
        assertTrue(body.path("plugins").path("missing").isEmpty(), "the other fields stay");

        api.store.status = StoreStatus.UP;
        assertEquals(200, api.send("GET", "/health/ready", null, null).statusCode(), "up again once the store is");
    }

    @Test
    void readyIsDownWhenNoStoreIsThere() {
        JsonNode body = api.json(api.send("GET", "/health/ready", null, null));
        assertEquals("DOWN", body.path("store").asText());
        assertFalse(body.path("storeReason").asText().isEmpty());
    }

    @Test
    void readyIsDownAndNamesAConfFileWhileNoConfigurationWasReadFromIt() throws Exception {
        everythingPresent();
        Files.writeString(conf.resolve("io.ensign.http.server.cfg"), "headerTimeoutMillis = 3000\n");
        Files.writeString(conf.resolve("io.ensign.audit.webhook.cfg.example"), "url = https://example.com/\n");
        api.health.conf = new ConfReadiness(conf.toString(), ".*\\.(cfg|config)");
        HttpResponse<String> response = api.send("GET", "/health/ready", null, null);
        assertEquals(503, response.statusCode());
        assertEquals("[\"configuration io.ensign.http.server.cfg\"]", api.json(response).path("missing").toString());
    }

    private void everythingPresent() {
        api.health.store = api.store;
        api.health.evaluator = evaluator;
        api.health.catalog = catalog;
    }
}
