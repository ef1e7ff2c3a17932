package com.example.ensign.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import org.junit.jupiter.api.Test;

class HelloResourceTest {
    private final HelloResource resource = new HelloResource();

    @Test
    void answersOneAuthenticatedGet() {
        List<Route> routes = resource.routes();
        assertEquals(1, routes.size());
        assertEquals("GET", routes.get(0).method());
        assertEquals(HelloResource.PATH, routes.get(0).template());
        assertEquals(Permission.READ, routes.get(0).permission());
    }

    @Test
    void documentsExactlyItsRouteAndTheSchemaItRefersTo() throws Exception {
        JsonNode fragment;
        try (InputStream in = resource.openApi().openStream()) {
            fragment = new ObjectMapper().readTree(in);
        }
        assertEquals(1, fragment.path("paths").size());
        JsonNode get = fragment.path("paths").path(HelloResource.PATH).path("get");
        assertFalse(get.path("security").isEmpty(), "a route behind a token says so");
        String ref = get.at("/responses/200/content/application~1json/schema/$ref").asText();
        assertTrue(ref.startsWith("#/components/schemas/"), ref);
        assertFalse(fragment.at(ref.substring(1)).isMissingNode(), "dangling " + ref);
    }
}
