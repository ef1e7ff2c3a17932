package io.ensign.testing.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one HTTP client the tests drive Ensign's API with, over real HTTP/1.1 on loopback: the route tests against
 * the API harness and the integration tests against a server in a Felix container or a server process. Its checks
 * throw {@link AssertionError}, so they fail a test under any test framework.
 */
public class ApiClient {
    /** How long any one request may take before the test fails rather than hangs. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private final String base;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();

    /** A client of the server at {@code base}: scheme, host and port, no path. */
    public ApiClient(String base) {
        this.base = base;
    }

    /** The server's address: scheme, host and port. */
    public final String base() {
        return base;
    }

    /** The port the server listens on. */
    public final int port() {
        return URI.create(base).getPort();
    }

    /** A request with a JSON body (when not null) and a bearer token (when not null). */
    public HttpRequest.Builder request(String method, String path, String token, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    public HttpResponse<String> send(String method, String path, String token, String json) {
        return send(request(method, path, token, json));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The status of a request, or -1 when it found no server; for polling a server that is starting. */
    public int statusOf(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Sends and checks the status, returning the parsed body. */
    public JsonNode expect(int status, HttpRequest.Builder request) {
        HttpResponse<String> response = send(request);
        if (response.statusCode() != status) {
            throw new AssertionError("expected " + status + ", got " + response.statusCode() + ": "
                    + response.body());
        }
        return json(response);
    }

    public JsonNode expect(int status, String method, String path, String token, String json) {
        return expect(status, request(method, path, token, json));
    }

    /** Checks the documented error: the status, JSON, the code and a message; returns the body. */
    public JsonNode assertError(HttpResponse<String> response, int status, String code) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        JsonNode body = response.statusCode() == status && contentType.startsWith("application/json")
                ? json(response) : null;
        if (body == null || !code.equals(body.path("error").asText())) {
            throw new AssertionError("expected the error " + status + " " + code + ", got " + response.statusCode()
                    + " (" + contentType + "): " + response.body());
        }
        if (body.path("message").asText().isEmpty()) {
            throw new AssertionError("every error has a message: " + response.body());
        }
        return body;
    }

    /** The body as JSON; an empty body is a missing node. */
    public JsonNode json(HttpResponse<String> response) {
        if (response.body().isEmpty()) {
            return mapper.missingNode();
        }
        try {
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }
}
