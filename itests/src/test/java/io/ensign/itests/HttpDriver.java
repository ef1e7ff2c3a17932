package io.ensign.itests;

import static org.junit.Assert.assertEquals;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import io.ensign.testing.http.ApiClient;
import org.osgi.framework.BundleContext;

/**
 * Drives a server in the test container or a server process over real HTTP, as a client would: the test support's
 * API client, plus waiting for readiness, uploading jars and issuing tokens through the API.
 */
public final class HttpDriver extends ApiClient {
    private static final long READY_TIMEOUT_MILLIS = 30_000;

    /** A driver for the server the container runs, on the port its framework properties name. */
    public HttpDriver(BundleContext context) {
        this("http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port"));
    }

    /** A driver for the server at {@code base} (scheme, host and port, no path), e.g. a {@link ServerProcess}. */
    public HttpDriver(String base) {
        super(base);
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

    /** Sends a plugin jar as the body of {@code method path}. */
    public HttpResponse<String> sendJar(String method, String path, String token, Path jar) {
        try {
            return send(request(method, path, token, null).method(method, HttpRequest.BodyPublishers.ofFile(jar))
                    .header("Content-Type", "application/java-archive"));
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Issues a token of a role (and environment, for sdk) with the admin token; returns its secret. */
    public String token(String role, String environment) {
        String body = "{\"name\":\"it " + role + "\",\"role\":\"" + role + "\""
                + (environment == null ? "" : ",\"environment\":\"" + environment + "\"") + "}";
        return expect(201, "POST", "/api/v1/tokens", EnsignConfiguration.ADMIN_TOKEN, body).path("token").asText();
    }
}
