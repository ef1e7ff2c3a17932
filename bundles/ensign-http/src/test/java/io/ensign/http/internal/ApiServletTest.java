package io.ensign.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import io.ensign.api.auth.Role;
import io.ensign.api.http.ErrorStyle;
import io.ensign.api.store.StoreUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Routing, authentication, roles, limits and error shapes, through a real Jetty. */
class ApiServletTest {
    private static final String ADMIN = ApiHarness.ADMIN_SECRET;
    private static final String FLAG = "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\"}";
    private static ApiHarness api;

    @BeforeAll
    static void start() throws Exception {
        api = ApiHarness.start();
        api.add(new NotesResource(api.store));
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        api.assertError(response, status, code);
    }

    @Test
    void unknownRouteGives404NotFound() {
        assertError(api.send("GET", "/api/v1/nothing-here", ADMIN, null), 404, "NOT_FOUND");
    }

    @Test
    void wrongMethodGives405WithAllow() {
        HttpResponse<String> response = api.send("POST", "/api/v1/notes/x", ADMIN, FLAG);
        assertError(response, 405, "METHOD_NOT_ALLOWED");
        assertTrue(response.headers().firstValue("Allow").orElseThrow().contains("PUT"));
    }

    @Test
    void missingTokenGives401WithBearerChallenge() {
        HttpResponse<String> response = api.send("GET", "/api/v1/notes", null, null);
        assertError(response, 401, "UNAUTHORIZED");
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
    }

    @Test
    void unknownTokenGives401() {
        assertError(api.send("GET", "/api/v1/notes", "ens_not-a-token", null), 401, "UNAUTHORIZED");
        assertError(api.send(api.request("GET", "/api/v1/notes", null, null).header("Authorization", "Basic eDp5")),
                401, "UNAUTHORIZED");
    }

    @Test
    void viewerMayReadButNotWrite() {
        String viewer = api.token(Role.VIEWER, null);
        assertEquals(200, api.send("GET", "/api/v1/notes", viewer, null).statusCode());
        assertError(api.send("PUT", "/api/v1/notes/by-viewer", viewer, FLAG), 403, "FORBIDDEN");
        assertTrue(api.store.get(NotesResource.KIND, "by-viewer").isEmpty());
    }

    @Test
    void sdkTokensMayNotRead() {
        String sdk = api.token(Role.SDK, "production");
        assertError(api.send("GET", "/api/v1/notes", sdk, null), 403, "FORBIDDEN");
    }

    @Test
    void malformedJsonGives400InvalidJsonAndChangesNothing() {
        assertError(api.send("PUT", "/api/v1/notes/broken", ADMIN, "{\"type\": "), 400, "INVALID_JSON");
        assertError(api.send("PUT", "/api/v1/notes/broken", ADMIN, FLAG + " trailing"), 400, "INVALID_JSON");
        assertError(api.send("PUT", "/api/v1/notes/broken", ADMIN, "{\"type\":\"boolean\",\"type\":\"string\"}"), 400,
                "INVALID_JSON");
        assertTrue(api.store.get(NotesResource.KIND, "broken").isEmpty());
    }

    @Test
    void missingBodyGives400() {
        assertError(api.send("PUT", "/api/v1/notes/empty", ADMIN, null), 400, "INVALID_JSON");
    }

    @Test
    void nestingDeeperThanTheLimitGives400() {
        String deep = "[".repeat(40) + "]".repeat(40);
        String body = "{\"type\":\"object\",\"variants\":{\"a\":" + deep + "},\"defaultVariant\":\"a\"}";
        HttpResponse<String> response = api.send("PUT", "/api/v1/notes/deep", ADMIN, body);
        assertError(response, 400, "INVALID_JSON");
        assertTrue(api.json(response).path("message").asText().contains("exceeds a limit"));
        assertTrue(api.store.get(NotesResource.KIND, "deep").isEmpty());
    }

    @Test
    void bodyLargerThanTheLimitByContentLengthGives413() {
        String big = "{\"description\":\"" + "x".repeat(ApiHarness.MAX_BODY) + "\"}";
        assertError(api.send("PUT", "/api/v1/notes/big", ADMIN, big), 413, "PAYLOAD_TOO_LARGE");
        assertTrue(api.store.get(NotesResource.KIND, "big").isEmpty());
    }

    @Test
    void chunkedBodyLargerThanTheLimitGives413() {
        byte[] big = ("{\"description\":\"" + "x".repeat(ApiHarness.MAX_BODY) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = api.request("PUT", "/api/v1/notes/big-chunked", ADMIN, null)
                .header("Content-Type", "application/json")
                .method("PUT", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));
        assertError(api.send(request), 413, "PAYLOAD_TOO_LARGE");
        assertTrue(api.store.get(NotesResource.KIND, "big-chunked").isEmpty());
    }

    @Test
    void chunkedBodyWithinTheLimitIsRead() {
        byte[] body = FLAG.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = api.request("PUT", "/api/v1/notes/chunked", ADMIN, null)
                .header("Content-Type", "application/json")
                .method("PUT", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        assertEquals(201, api.send(request).statusCode());
    }

    @Test
    void nonJsonContentTypeGives415() {
        HttpRequest.Builder request = api.request("PUT", "/api/v1/notes/texty", ADMIN, null)
                .header("Content-Type", "text/plain")
                .method("PUT", HttpRequest.BodyPublishers.ofString(FLAG));
        HttpResponse<String> response = api.send(request);
        assertError(response, 415, "UNSUPPORTED_MEDIA_TYPE");
        assertEquals("Content-Type", api.json(response).path("field").asText());
        assertTrue(api.store.get(NotesResource.KIND, "texty").isEmpty());
    }

    @Test
    void jsonContentTypeWithCharsetOrSuffixIsAccepted() {
        assertTrue(HttpCall.isJson("application/json; charset=utf-8"));
        assertTrue(HttpCall.isJson("application/merge-patch+json"));
        assertFalse(HttpCall.isJson("text/json"));
        assertFalse(HttpCall.isJson(null));
    }

    @Test
    void echoesTheRequestIdOrMakesOne() {
        HttpResponse<String> echoed = api.send(api.request("GET", "/api/v1/notes", ADMIN, null)
                .header("X-Request-Id", "req-123"));
        assertEquals("req-123", echoed.headers().firstValue("X-Request-Id").orElseThrow());
        HttpResponse<String> made = api.send(api.request("GET", "/api/v1/notes", ADMIN, null)
                .header("X-Request-Id", "bad id with spaces"));
        String id = made.headers().firstValue("X-Request-Id").orElseThrow();
        assertFalse(id.contains(" "));
        assertFalse(id.isEmpty());
    }

    @Test
    void writesCarryTheActorAndRequestIdIntoTheWriteContext() {
        String editor = api.token(Role.EDITOR, null);
        api.send(api.request("PUT", "/api/v1/notes/audited", editor, FLAG).header("X-Request-Id", "req-audit")
                .header("X-Ensign-Reason", "because"));
        var record = api.store.changes(api.store.lastSequence() - 1, 1).get(0);
        assertEquals("audited", record.key());
        assertEquals(api.tokens.authenticate(editor).orElseThrow().actor(), record.actor());
        assertEquals("req-audit", record.requestId());
        assertEquals("because", record.reason());
    }

    @Test
    void openApiDocumentNeedsNoToken() {
        HttpResponse<String> response = api.send("GET", "/api/v1/openapi.json", null, null);
        assertEquals(200, response.statusCode());
        assertEquals("3.0.3", api.json(response).path("openapi").asText());
    }

    @Test
    void requestIdIsPlainAndBounded() {
        assertEquals("a.b:c-d_e", ApiServlet.requestId("a.b:c-d_e"));
        assertEquals(16, ApiServlet.requestId("x".repeat(129)).length());
        assertEquals(16, ApiServlet.requestId(null).length());
    }

    @Test
    void aWrongMethodWithoutATokenGives401NotA405() {
        assertError(api.send("POST", "/api/v1/notes", null, FLAG), 401, "UNAUTHORIZED");
        assertError(api.send("PATCH", "/api/v1/notes/x", "ens_not-a-token", FLAG), 401, "UNAUTHORIZED");
        assertError(api.send("POST", "/api/v1/notes", ADMIN, FLAG), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void anUnknownPathWithoutATokenGives401() {
        assertError(api.send("GET", "/api/v1/nothing-here", null, null), 401, "UNAUTHORIZED");
    }

    @Test
    void aWrongMethodOnAPublicPathNeedsNoToken() {
        assertError(api.send("DELETE", "/api/v1/openapi.json", null, null), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void onlyExactlyBearerSpaceTokenAuthenticates() {
        for (String malformed : new String[] {"Bearer  " + ADMIN, "Bearer " + ADMIN + " x", "Bearer\t" + ADMIN,
            "Bearer " + ADMIN + "\u00e9", "Bearer", "Bearer ", ADMIN, "Bearer =" + ADMIN}) {
            assertError(api.send(api.request("GET", "/api/v1/notes", null, null).header("Authorization", malformed)),
                    401, "UNAUTHORIZED");
        }
        assertEquals(200, api.send(api.request("GET", "/api/v1/notes", null, null)
                .header("Authorization", "bearer " + ADMIN)).statusCode(), "the scheme is case-insensitive");
        assertEquals("tok=", ApiServlet.bearerToken("Bearer tok="), "token68 may end in padding");
        assertEquals(null, ApiServlet.bearerToken("Bearer to=k"));
    }

    @Test
    void refusalsNoOfrepRouteMadeStillCarryTheOfrepErrorCode() {
        HttpResponse<String> wrongMethod = api.send("PUT", "/ofrep/v1/notes/evaluate", ADMIN, "{}");
        assertError(wrongMethod, 405, "METHOD_NOT_ALLOWED");
        assertEquals("GENERAL", api.json(wrongMethod).path("errorCode").asText(), wrongMethod.body());
        assertFalse(api.json(wrongMethod).path("errorDetails").asText().isBlank(), wrongMethod.body());
        HttpResponse<String> anonymous = api.send("PATCH", "/ofrep/v1/configuration", null, null);
        assertError(anonymous, 401, "UNAUTHORIZED");
        assertEquals("GENERAL", api.json(anonymous).path("errorCode").asText(), anonymous.body());
        HttpResponse<String> api404 = api.send("GET", "/api/v1/nothing-here", ADMIN, null);
        assertFalse(api.json(api404).has("errorCode"), "the REST API keeps its own shape: " + api404.body());
    }

    @Test
    void aQueryStringThatIsNotUtf8Gives400NotA500() {
        HttpResponse<String> response = api.send("POST", "/ofrep/v1/notes/evaluate?environment=%FF", ADMIN,
                "{\"context\":{\"targetingKey\":\"u1\"}}");
        assertError(response, 400, "INVALID_REQUEST");
        assertTrue(api.json(response).path("message").asText().contains("query"), response.body());
        assertEquals("GENERAL", api.json(response).path("errorCode").asText(), response.body());
    }

    @Test
    void theContainersOwnClientErrorsKeepTheirStatusAndOthersStay500() {
        ApiError badQuery = ErrorMapping.map(new org.eclipse.jetty.http.BadMessageException(400, "Bad query"));
        assertEquals(400, badQuery.status());
        assertEquals("INVALID_REQUEST", badQuery.code());
        assertEquals("Bad Request: Bad query", badQuery.message());
        assertEquals(500, ErrorMapping.map(new org.eclipse.jetty.http.HttpException.RuntimeException(500, "x")).status());
    }

    @Test
    void errorStyleFollowsThePathPrefix() {
        assertEquals(ErrorStyle.OFREP, ErrorStyle.forPath("/ofrep/v1/x%7F"));
        assertEquals(ErrorStyle.OFREP, ErrorStyle.forPath("/ofrep"));
        assertEquals(ErrorStyle.API, ErrorStyle.forPath("/ofrepx"));
        assertEquals(ErrorStyle.API, ErrorStyle.forPath("/api/v1/notes"));
        assertEquals(ErrorStyle.API, ErrorStyle.forPath(null));
    }

    @Test
    void twoAuthorizationHeadersGive400NamingTheHeader() {
        HttpResponse<String> response = api.send(api.request("GET", "/api/v1/notes", ADMIN, null)
                .header("Authorization", "Bearer ens_someone-else"));
        assertError(response, 400, "INVALID_HEADER");
        assertEquals("Authorization", api.json(response).path("field").asText());
    }

    @Test
    void aFullDiskGives507WithRetryAfterAndChangesNothing() {
        long before = api.store.lastSequence();
        HttpResponse<String> response = writeWhileCommitsFail(new StoreUnavailableException(
                StoreUnavailableException.Condition.DISK_FULL, "no space left on device", 7, null));
        assertError(response, 507, "INSUFFICIENT_STORAGE");
        assertEquals("7", response.headers().firstValue("Retry-After").orElse(null));
        assertEquals(before, api.store.lastSequence());
    }

    @Test
    void aStoreAwayGives503StoreUnavailableWithRetryAfterThroughWrappers() {
        HttpResponse<String> response = writeWhileCommitsFail(new IllegalStateException("wrapped",
                new StoreUnavailableException(StoreUnavailableException.Condition.UNAVAILABLE, "database away", 3, null)));
        assertError(response, 503, "STORE_UNAVAILABLE");
        assertEquals("3", response.headers().firstValue("Retry-After").orElse(null));
    }

    private static HttpResponse<String> writeWhileCommitsFail(RuntimeException failure) {
        api.store.commitFailure = failure;
        try {
            return api.send("PUT", "/api/v1/notes/while-failing", ADMIN, FLAG);
        } finally {
            api.store.commitFailure = null;
        }
    }
}
