package io.ensign.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resources of other bundles, as DS binds them to the servlet: their routes and OpenAPI fragments come and go with
 * them, and one that breaks the SPI's rules is left out without touching the others.
 */
class ForeignResourceTest {
    private static final String ADMIN = ApiHarness.ADMIN_SECRET;
    private static final String HELLO = "/api/v1/x/hello";
    private static final String FRAGMENT = "{\"paths\":{\"" + HELLO + "\":{\"get\":{\"summary\":\"Greets\","
            + "\"security\":[{\"bearerAuth\":[]}],\"responses\":{\"200\":{\"description\":\"A greeting\",\"content\":"
            + "{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/Greeting\"}}}}}}}},"
            + "\"components\":{\"schemas\":{\"Greeting\":{\"type\":\"object\"}}}}";

    @TempDir
    Path data;
    private ApiHarness harness;
    private NotesResource notes;

    @BeforeEach
    void start() throws Exception {
        harness = ApiHarness.start();
        notes = new NotesResource(harness.store);
        harness.add(notes);
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    /** A resource answering {@code routes} with {@code {"hello":<caller name>}} and the fragment at {@code url}. */
    private static ApiResource resource(List<String> templates, URL openApi) {
        return new ApiResource() {
            @Override
            public List<Route> routes() {
                return templates.stream().map(t -> Route.get(t, Permission.READ, call -> call.respond(200,
                        g -> g.writeObject(java.util.Map.of("hello", call.caller().name()))))).toList();
            }

            @Override
            public URL openApi() {
                return openApi;
            }
        };
    }

    private URL fragment(String name, String json) throws IOException {
        return Files.writeString(data.resolve(name), json).toUri().toURL();
    }

    private JsonNode document() throws IOException {
        return new ObjectMapper().readTree(harness.send("GET", "/api/v1/openapi.json", null, null).body());
    }

    @Test
    void aResourceIsRoutedWithTheStandardAuthAndDocumentedWhileItIsThere() throws Exception {
        ApiResource hello = resource(List.of(HELLO), fragment("hello.json", FRAGMENT));
        harness.api.addResource(hello);

        HttpResponse<String> greeted = harness.send("GET", HELLO, ADMIN, null);
        assertEquals(200, greeted.statusCode(), greeted.body());
        assertFalse(harness.json(greeted).path("hello").asText().isEmpty());
        harness.assertError(harness.send("GET", HELLO, null, null), 401, "UNAUTHORIZED");
        JsonNode documented = document();
        assertFalse(documented.at("/paths/~1api~1v1~1x~1hello/get").isMissingNode());
        assertEquals("object", documented.at("/components/schemas/Greeting/type").asText());

        harness.api.removeResource(hello);
        harness.assertError(harness.send("GET", HELLO, ADMIN, null), 404, "NOT_FOUND");
        assertTrue(document().at("/paths/~1api~1v1~1x~1hello").isMissingNode());
    }

    @Test
    void aResourceThatGoesTakesItsOperationsOutOfTheDocument() throws Exception {
        harness.api.addResource(resource(List.of(HELLO), fragment("hello.json", FRAGMENT)));
        assertFalse(document().at("/paths/~1api~1v1~1notes").isMissingNode());
        harness.remove(notes);
        JsonNode without = document();
        assertTrue(without.at("/paths/~1api~1v1~1notes").isMissingNode());
        assertFalse(without.at("/paths/~1api~1v1~1x~1hello").isMissingNode(), "the other resources stay documented");
    }

    @Test
    void aResourceThatRepeatsARouteOrLeavesTheApiOrThrowsIsNotServedAndTheOthersAre() throws Exception {
        harness.api.addResource(resource(List.of("/api/v1/notes"), null));
        harness.api.addResource(resource(List.of(HELLO, "/health/x"), null));
        harness.api.addResource(resource(List.of("/api/v1/x/twice", "/api/v1/x/twice"), null));
        harness.api.addResource(new ApiResource() {
            @Override
            public List<Route> routes() {
                throw new NoClassDefFoundError("com/example/Gone");
            }
        });
        harness.api.addResource(resource(List.of("/api/v1/x/broken"), fragment("broken.json", "[1, 2")));

        HttpResponse<String> listed = harness.send("GET", "/api/v1/notes", ADMIN, null);
        assertEquals(200, listed.statusCode());
        assertTrue(harness.json(listed).isArray(), "the notes route bound first still answers: " + listed.body());
        for (String path : List.of(HELLO, "/api/v1/x/twice", "/api/v1/x/broken")) {
            harness.assertError(harness.send("GET", path, ADMIN, null), 404, "NOT_FOUND");
        }
    }

    @Test
    void aResourceWithoutAFragmentIsServedAndLeftOutOfTheDocument() throws Exception {
        harness.api.addResource(resource(List.of(HELLO), null));

        assertEquals(200, harness.send("GET", HELLO, ADMIN, null).statusCode());
        JsonNode documented = document();
        assertTrue(documented.at("/paths/~1api~1v1~1x~1hello").isMissingNode());
        assertFalse(documented.at("/paths/~1api~1v1~1notes").isMissingNode(), "the others stay documented");
    }

    @Test
    void aFragmentWhoseComponentsClashIsLeftOutButItsRoutesAreServed() throws Exception {
        harness.api.addResource(resource(List.of(HELLO), fragment("clash.json",
                FRAGMENT.replace("\"Greeting\":{", "\"Greeting\":{},\"Health\":{"))));

        assertEquals(200, harness.send("GET", HELLO, ADMIN, null).statusCode());
        JsonNode documented = document();
        assertTrue(documented.at("/paths/~1api~1v1~1x~1hello").isMissingNode());
        assertTrue(documented.at("/components/schemas/Greeting").isMissingNode());
        assertEquals(new ObjectMapper().readTree(harness.api.openApiDocument()).at("/components/schemas/Health"),
                documented.at("/components/schemas/Health"));
    }

    @Test
    void anEndpointThatThrowsAnErrorGetsTheDocumentedBodyAndTheServerGoesOn() throws Exception {
        harness.api.addResource(new ApiResource() {
            @Override
            public List<Route> routes() {
                return List.of(Route.get(HELLO, Permission.READ, call -> {
                    throw new NoClassDefFoundError("com/example/Gone");
                }), Route.get("/api/v1/x/deep", Permission.READ, call -> recurse(1)));
            }
        });

        harness.assertError(harness.send("GET", HELLO, ADMIN, null), 500, "INTERNAL_ERROR");
        harness.assertError(harness.send("GET", "/api/v1/x/deep", ADMIN, null), 500, "INTERNAL_ERROR");
        assertEquals(200, harness.send("GET", "/api/v1/notes", ADMIN, null).statusCode());
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }
}
