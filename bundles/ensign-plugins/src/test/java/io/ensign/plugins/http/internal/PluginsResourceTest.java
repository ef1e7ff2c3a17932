package io.ensign.plugins.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.auth.Role;
import io.ensign.http.internal.ApiHarness;
import io.ensign.http.internal.OpenApiChecks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PluginsResourceTest {
    private static final String ADMIN = ApiHarness.ADMIN_SECRET;
    private static ApiHarness api;

    @BeforeAll
    static void start() throws Exception {
        api = ApiHarness.start();
        api.add(new PluginsResource(new InMemoryPluginAdmin(), pluginsConfig()));
    }

    /** Bundle uploads up to 3 * {@link ApiHarness#MAX_BODY} bytes: more than a JSON body may have. */
    private static PluginsResource.Config pluginsConfig() {
        return new PluginsResource.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return PluginsResource.Config.class;
            }

            @Override
            public long maxBundleBytes() {
                return 3L * ApiHarness.MAX_BODY;
            }
        };
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    private static HttpResponse<String> sendJar(String method, String path, String token, String contentType,
                                                byte[] body) {
        HttpRequest.Builder request = api.request(method, path, token, null)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return api.send(request);
    }

    private static byte[] jar(String symbolicName, int size) {
        byte[] body = new byte[Math.max(size, symbolicName.length() + 3)];
        byte[] head = ("PK" + symbolicName + "\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        System.arraycopy(head, 0, body, 0, head.length);
        return body;
    }

    @Test
    void viewersListPluginsWithKindNameVersionBundleAndState() {
        HttpResponse<String> response = api.send("GET", "/api/v1/plugins", api.token(Role.VIEWER, null), null);

        assertEquals(200, response.statusCode(), response.body());
        JsonNode first = api.json(response).get(0);
        assertEquals("operator", first.path("kind").asText());
        assertEquals("equals", first.path("name").asText());
        assertEquals("1.0.0", first.path("version").asText());
        assertEquals("ensign-operators", first.path("bundle").asText());
        assertEquals("active", first.path("state").asText());
        assertTrue(api.json(response).get(1).path("bundle").isNull());
    }

    @Test
    void aJarLargerThanAJsonBodyIsInstalledReplacedListedAndRemoved() {
        byte[] jar = jar("com.example.big", 2 * ApiHarness.MAX_BODY);
        HttpResponse<String> created = sendJar("POST", "/api/v1/bundles", ADMIN, "application/java-archive", jar);
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("com.example.big", api.json(created).path("symbolicName").asText());
        assertEquals("active", api.json(created).path("state").asText());

        HttpResponse<String> replaced = sendJar("PUT", "/api/v1/bundles/com.example.big", ADMIN,
                "application/octet-stream", jar);
        assertEquals(200, replaced.statusCode(), replaced.body());
        String listed = api.send("GET", "/api/v1/bundles", ADMIN, null).body();
        assertTrue(listed.contains("\"symbolicName\":\"com.example.big\""), listed);

        assertEquals(204, api.send("DELETE", "/api/v1/bundles/com.example.big", ADMIN, null).statusCode());
        assertEquals(404, api.send("DELETE", "/api/v1/bundles/com.example.big", ADMIN, null).statusCode());
    }

    @Test
    void somethingThatIsNoBundleGives422WithTheReason() {
        HttpResponse<String> refused = sendJar("POST", "/api/v1/bundles", ADMIN, "application/java-archive",
                "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertEquals(422, refused.statusCode(), refused.body());
        assertEquals("INVALID_BUNDLE", api.json(refused).path("error").asText());
        assertTrue(api.json(refused).path("message").asText().contains("not a jar"), refused.body());
    }

    @Test
    void jsonOrNoContentTypeGives415AndAnOversizedJar413() {
        assertEquals(415, sendJar("POST", "/api/v1/bundles", ADMIN, "application/json", jar("a", 10)).statusCode());
        assertEquals(415, sendJar("POST", "/api/v1/bundles", ADMIN, null, jar("a", 10)).statusCode());
        HttpResponse<String> tooBig = sendJar("POST", "/api/v1/bundles", ADMIN, "application/java-archive",
                jar("b", 3 * ApiHarness.MAX_BODY + 1));
        assertEquals(413, tooBig.statusCode(), tooBig.body());
    }

    @Test
    void onlyAdminsChangeBundlesAndSdkTokensSeeNoPlugins() {
        String editor = api.token(Role.EDITOR, null);
        assertEquals(403, sendJar("POST", "/api/v1/bundles", editor, "application/java-archive", jar("c", 10))
                .statusCode());
        assertEquals(403, api.send("DELETE", "/api/v1/bundles/c", editor, null).statusCode());
        assertEquals(200, api.send("GET", "/api/v1/bundles", editor, null).statusCode());
        assertEquals(403, api.send("GET", "/api/v1/plugins", api.token(Role.SDK, "production"), null).statusCode());
    }

    @Test
    void theOpenApiFragmentDocumentsEveryRouteAndNoOther() throws Exception {
        OpenApiChecks.assertDocumentedExactly(List.of(new PluginsResource(new InMemoryPluginAdmin(), pluginsConfig())));
    }
}
