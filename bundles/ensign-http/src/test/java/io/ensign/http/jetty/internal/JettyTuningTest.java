package io.ensign.http.jetty.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.http.internal.ApiHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What Jetty answers by itself is the API's JSON error, and slow headers lose their connection. */
class JettyTuningTest {
    private static ApiHarness api;

    @BeforeAll
    static void start() throws Exception {
        api = ApiHarness.start();
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    private static JsonNode assertJsonError(HttpResponse<String> response, int status, String code) {
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return api.assertError(response, status, code);
    }

    @Test
    void anAmbiguousPathIsTheJsonError400WhateverTheMethod() {
        JsonNode body = assertJsonError(api.send("GET", "/api/v1/flags/a%2Fb", ApiHarness.ADMIN_SECRET, null), 400,
                "INVALID_REQUEST");
        assertTrue(body.path("message").asText().contains("Ambiguous"), body.toString());
        assertJsonError(api.send("PUT", "/api/v1/flags/%2e%2e", ApiHarness.ADMIN_SECRET, "{}"), 400, "INVALID_REQUEST");
        assertJsonError(api.send("DELETE", "/api/v1//flags", ApiHarness.ADMIN_SECRET, null), 400, "INVALID_REQUEST");
    }

    @Test
    void whatJettyRefusesUnderOfrepCarriesTheOfrepErrorCode() {
        for (String path : new String[] {"/ofrep/v1/evaluate/flags/a%7F", "/ofrep/v1/evaluate/flags/a%2Fb"}) {
            JsonNode body = assertJsonError(api.send("POST", path, ApiHarness.ADMIN_SECRET, "{}"), 400,
                    "INVALID_REQUEST");
            assertEquals("GENERAL", body.path("errorCode").asText(), body.toString());
            assertEquals(body.path("message").asText(), body.path("errorDetails").asText(), body.toString());
        }
        JsonNode outside = assertJsonError(api.send("GET", "/nothing-here", null, null), 404, "NOT_FOUND");
        assertEquals("GENERAL", outside.path("errorCode").asText(), "Jetty cannot always tell: " + outside);
    }

    @Test
    void headersTooLargeAreTheJsonError431() {
        assertJsonError(api.send(api.request("GET", "/api/v1/flags", ApiHarness.ADMIN_SECRET, null)
                .header("X-Request-Id", "r".repeat(20_000))), 431, "REQUEST_HEADER_FIELDS_TOO_LARGE");
    }

    @Test
    void aPathNoServletTakesIsTheJsonError404() {
        assertJsonError(api.send("GET", "/nothing-here", null, null), 404, "NOT_FOUND");
    }

    @Test
    void aHeaderSentLineByLineLosesItsConnectionAtTheDeadline() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            OutputStream out = socket.getOutputStream();
            long started = System.nanoTime();
            out.write("GET /health/live HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            boolean closed = false;
            for (int line = 0; line < 20 && !closed; line++) {
                Thread.sleep(400);
                try {
                    out.write(("X-Slow-" + line + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (SocketException reset) {
                    closed = true;
                }
                closed = closed || closedByPeer(socket);
            }
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(closed, "a header trickling in for 8 s was never cut off");
            assertTrue(elapsedMillis >= ApiHarness.HEADER_TIMEOUT_MILLIS - 100 && elapsedMillis < 6000,
                    "closed after " + elapsedMillis + " ms, deadline " + ApiHarness.HEADER_TIMEOUT_MILLIS);
        }
    }

    @Test
    void anIdleKeepAliveConnectionOutlivesTheHeaderDeadline() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            assertTrue(exchange(socket).startsWith("HTTP/1.1 200"));
            Thread.sleep(ApiHarness.HEADER_TIMEOUT_MILLIS + 1000);
            assertTrue(exchange(socket).startsWith("HTTP/1.1 200"), "the keep-alive connection was closed while idle");
        }
    }

    /** One GET /health/live on the connection; the response's head and body (they fit one read on loopback). */
    private static String exchange(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.setSoTimeout(5000);
        byte[] buffer = new byte[4096];
        int n = socket.getInputStream().read(buffer);
        return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
    }

    /** Whether the server closed the connection: a read sees its end within a moment. */
    private static boolean closedByPeer(Socket socket) throws IOException {
        socket.setSoTimeout(50);
        InputStream in = socket.getInputStream();
        try {
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }
}
