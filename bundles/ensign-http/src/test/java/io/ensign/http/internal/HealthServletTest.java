package io.ensign.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthServletTest {
    @TempDir
    Path data;
    private ApiHarness api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiHarness(data);
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
        api.health.store = api.store;
        api.health.evaluator = api.evaluator;
        api.health.catalog = api.catalog;
        HttpResponse<String> response = api.send("GET", "/health/ready", null, null);
        assertEquals(200, response.statusCode());
        JsonNode body = api.json(response);
        assertEquals("UP", body.path("status").asText());
        assertEquals("UP", body.path("store").asText());
        assertTrue(body.path("plugins").path("missing").isEmpty());
    }

    @Test
    void readyIsDownWhileAPluginInUseIsMissing() {
        api.health.store = api.store;
        api.health.evaluator = api.evaluator;
        api.health.catalog = api.catalog;
        api.evaluator.missingPlugins = List.of("operator/ip_in_cidr");
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
}
