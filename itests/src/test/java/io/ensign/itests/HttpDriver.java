package io.ensign.itests;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.osgi.framework.BundleContext;

/** Drives a server in the test container over real HTTP, as a client would. */
public final class HttpDriver {
    private static final long READY_TIMEOUT_MILLIS = 30_000;
    private final String base;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();

    /** A driver for the server the container runs, on the port its framework properties name. */
    public HttpDriver(BundleContext context) {
        this("http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port"));
    }

    /** A driver for the server at {@code base} (scheme, host and port, no path), e.g. a {@link ServerProcess}. */
    public HttpDriver(String base) {
        this.base = base;
    }

    /** Waits until the server is ready and the API answers; fails the test if it never does. */
    public HttpDriver awaitReady() throws InterruptedException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
        int ready = 0;
        int api = 0;
        while (System.currentTimeMillis() < deadline) {
            ready = statusOf(request("GET", "/health/ready", null, null));
            api = statusOf(request("GET", "/api/v1/environments", EnsignConfiguration.ADMIN_TOKEN, null));
            if (ready == 200 && api == 200) {
                return this;
            }
            Thread.sleep(100);
        }
        assertEquals("readiness, then the API", "200 200", ready + " " + api);
        return this;
    }

    private int statusOf(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A request with a JSON body (when not null) and a bearer token (when not null). */
    public HttpRequest.Builder request(String method, String path, String token, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
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

    /** Sends a plugin jar as the body of {@code method path}. */
    public HttpResponse<String> sendJar(String method, String path, String token, Path jar) {
        try {
            return send(request(method, path, token, null).method(method, HttpRequest.BodyPublishers.ofFile(jar))
                    .header("Content-Type", "application/java-archive"));
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends and checks the status, returning the parsed body. */
    public JsonNode expect(int status, HttpRequest.Builder request) {
        HttpResponse<String> response = send(request);
        assertEquals(response.body(), status, response.statusCode());
        return json(response);
    }

    public JsonNode expect(int status, String method, String path, String token, String json) {
        return expect(status, request(method, path, token, json));
    }

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

    /** Issues a token of a role (and environment, for sdk) with the admin token; returns its secret. */
    public String token(String role, String environment) {
        String body = "{\"name\":\"it " + role + "\",\"role\":\"" + role + "\""
                + (environment == null ? "" : ",\"environment\":\"" + environment + "\"") + "}";
        return expect(201, "POST", "/api/v1/tokens", EnsignConfiguration.ADMIN_TOKEN, body).path("token").asText();
    }
}
