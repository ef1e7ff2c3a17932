package io.ensign.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;

import io.ensign.api.auth.Role;
import io.ensign.api.http.CorsPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CORS as a policy allows it: preflights answered before authentication with what the path answers, refused for
 * origins no environment lists, methods the path lacks and headers the API does not read; answers readable by an
 * allowed page only, per environment; nothing allowed without a policy, and never credentials.
 */
class CrossOriginTest {
    private static final String APP = "https://app.example";
    private static final String OTHER = "https://evil.example";
    /** staging lets the app in; production lets no one in. */
    private static final Map<String, Set<String>> ORIGINS = Map.of("staging", Set.of(APP), "production", Set.of());
    private static final CorsPolicy POLICY = new CorsPolicy() {
        @Override
        public boolean allows(String origin, String environment) {
            return ORIGINS.getOrDefault(environment, Set.of()).contains(origin);
        }

        @Override
        public boolean allowsAnywhere(String origin) {
            return ORIGINS.values().stream().anyMatch(o -> o.contains(origin));
        }
    };

    private ApiHarness api;
    private String stagingSdk;
    private String productionSdk;

    @BeforeEach
    void start() throws Exception {
        api = ApiHarness.start();
        api.add(new NotesResource(api.store));
        api.api.setCors(POLICY);
        stagingSdk = api.token(Role.SDK, "staging");
        productionSdk = api.token(Role.SDK, "production");
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    private HttpResponse<String> preflight(String origin, String path, String method, String headers) {
        HttpRequest.Builder request = api.request("OPTIONS", path, null, null).header("Origin", origin)
                .header("Access-Control-Request-Method", method);
        if (headers != null) {
            request.header("Access-Control-Request-Headers", headers);
        }
        return api.send(request);
    }

    @Test
    void aPreflightOfAnAllowedOriginIsAnsweredWithoutATokenWithWhatThePathAnswers() {
        HttpResponse<String> answer = preflight(APP, "/ofrep/v1/notes/evaluate", "POST", "content-type, Authorization");
        assertEquals(204, answer.statusCode(), answer.body());
        assertEquals(APP, answer.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertEquals("POST", answer.headers().firstValue("Access-Control-Allow-Methods").orElse(""));
        assertEquals("content-type, authorization", answer.headers().firstValue("Access-Control-Allow-Headers")
                .orElse(""));
        assertEquals("600", answer.headers().firstValue("Access-Control-Max-Age").orElse(""));
        assertFalse(answer.headers().firstValue("Access-Control-Allow-Credentials").isPresent());
        assertTrue(answer.headers().allValues("Vary").contains("Origin"));
    }

    @Test
    void preflightsAreRefusedWithTheDocumentedErrorAndNoAllowOrigin() {
        assertRefused(preflight(OTHER, "/ofrep/v1/notes/evaluate", "POST", null), 403, "FORBIDDEN");
        assertRefused(preflight(APP, "/ofrep/v1/notes/evaluate", "DELETE", null), 405, "METHOD_NOT_ALLOWED");
        assertRefused(preflight(APP, "/ofrep/v1/notes/evaluate", "POST", "authorization, x-api-key"), 400,
                "INVALID_HEADER");
        assertRefused(preflight(APP, "/api/v1/nothing-here", "GET", null), 404, "NOT_FOUND");
        api.api.unsetCors(POLICY);
        assertRefused(preflight(APP, "/ofrep/v1/notes/evaluate", "POST", null), 403, "FORBIDDEN");
    }

    private void assertRefused(HttpResponse<String> answer, int status, String code) {
        api.assertError(answer, status, code);
        assertFalse(answer.headers().firstValue("Access-Control-Allow-Origin").isPresent(), answer.headers().toString());
    }

    @Test
    void answersAreReadableByAPageOfAnOriginItsEnvironmentAllows() {
        HttpResponse<String> staging = api.send(api.request("POST", "/ofrep/v1/notes/evaluate", stagingSdk,
                "{\"context\":{}}").header("Origin", APP));
        assertEquals(APP, staging.headers().firstValue("Access-Control-Allow-Origin").orElse(""), staging.body());
        assertTrue(staging.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("ETag"));
        assertFalse(staging.headers().firstValue("Access-Control-Allow-Credentials").isPresent());

        HttpResponse<String> production = api.send(api.request("POST", "/ofrep/v1/notes/evaluate", productionSdk,
                "{\"context\":{}}").header("Origin", APP));
        assertEquals(staging.statusCode(), production.statusCode(), "CORS decides who may read, not what happens");
        assertFalse(production.headers().firstValue("Access-Control-Allow-Origin").isPresent(),
                "production lists no origin: the sdk token's environment decides");
        HttpResponse<String> named = api.send(api.request("GET", "/api/v1/notes?environment=staging",
                ApiHarness.ADMIN_SECRET, null).header("Origin", APP));
        assertEquals(APP, named.headers().firstValue("Access-Control-Allow-Origin").orElse(""), "the query names it");

        HttpResponse<String> unauthenticated = api.send(api.request("POST", "/ofrep/v1/notes/evaluate", null,
                "{\"context\":{}}").header("Origin", APP));
        assertEquals(401, unauthenticated.statusCode());
        assertEquals(APP, unauthenticated.headers().firstValue("Access-Control-Allow-Origin").orElse(""),
                "a page may read why it was refused");
        HttpResponse<String> other = api.send(api.request("POST", "/ofrep/v1/notes/evaluate", stagingSdk,
                "{\"context\":{}}").header("Origin", OTHER));
        assertFalse(other.headers().firstValue("Access-Control-Allow-Origin").isPresent());
    }
}
