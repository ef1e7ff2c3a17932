package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and sloppy requests against the real server process, over raw sockets where java.net.http would not send
 * them: every refusal is the documented JSON error (status, {@code application/json}, {@code error} and
 * {@code message}), nothing is written by a refused request (the store's last sequence stays), authentication
 * comes before method dispatch, bearer tokens are parsed strictly, and a header trickling in loses its connection
 * at the configured deadline while an idle keep-alive connection does not.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class HttpHardeningIT {
    private static final long HEADER_TIMEOUT_MILLIS = 3000;
    private static final String ADMIN = "Authorization: Bearer " + EnsignConfiguration.ADMIN_TOKEN;
    private static final String FLAG = "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},"
            + "\"defaultVariant\":\"off\"}";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    private static ServerProcess server;

    /** A copy of the distribution with a short header deadline in its conf/, as an operator would set it. */
    @BeforeAll
    static void start() throws Exception {
        Path distribution = ServerProcess.copyOfDistribution(work.resolve("ensign"));
        Files.writeString(distribution.resolve("conf/io.ensign.http.server.cfg"),
                "headerTimeoutMillis = " + HEADER_TIMEOUT_MILLIS + "\n");
        server = ServerProcess.start(distribution, Files.createDirectories(work.resolve("data")),
                work.resolve("server.log"), HTTP);
        // Ready includes conf/ being in force, so the short deadline holds from the first test on.
        server.driver().awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** The store's last change sequence: a refused request must leave it where it was. */
    private static long lastSequence() throws IOException {
        RawHttp.Response audit = RawHttp.send(server.uri("/"), "GET", "/api/v1/audit?limit=1", null, ADMIN);
        assertEquals(200, audit.status(), audit.body());
        return JSON.readTree(audit.body()).path("lastSequence").asLong();
    }

    /** Asserts the documented error body and that the store did not change; returns the body. */
    private static JsonNode assertRefused(RawHttp.Response response, int status, String code, long sequenceBefore)
            throws IOException {
        assertEquals(status, response.status(), response.head() + "\n" + response.body());
        assertTrue(response.header("Content-Type").startsWith("application/json"), response.head());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(code, body.path("error").asText(), response.body());
        assertTrue(body.path("message").isTextual() && !body.path("message").asText().isBlank(), response.body());
        assertEquals(sequenceBefore, lastSequence(), "a refused request changed the store: " + response.body());
        return body;
    }

    @Test
    void badPathEncodingsAreTheJson400AndWriteNothing() throws Exception {
        long before = lastSequence();
        for (String key : List.of("a%2Fb", "%2e%2e", "a%00b", "a%0Ab", "a%5Cb", "a%zzb", "a%2", "x//y", "%2e")) {
            assertRefused(RawHttp.send(server.uri("/"), "PUT", "/api/v1/flags/" + key, FLAG, ADMIN), 400,
                    "INVALID_REQUEST", before);
        }
        assertRefused(RawHttp.send(server.uri("/"), "PUT", "/api/v1//flags/k", FLAG, ADMIN), 400, "INVALID_REQUEST",
                before);
        assertRefused(RawHttp.send(server.uri("/"), "GET", "/health/re%2Fady", null), 400, "INVALID_REQUEST", before);
    }

    @Test
    void oversizedHeadersAreTheJson431() throws Exception {
        long before = lastSequence();
        assertRefused(RawHttp.send(server.uri("/"), "PUT", "/api/v1/flags/big-id", FLAG, ADMIN,
                "X-Request-Id: " + "r".repeat(20 * 1024)), 431, "REQUEST_HEADER_FIELDS_TOO_LARGE", before);
        String[] many = new String[400];
        for (int i = 0; i < many.length; i++) {
            many[i] = "X-Filler-" + i + ": " + "f".repeat(60);
        }
        assertRefused(RawHttp.send(server.uri("/"), "GET", "/api/v1/flags", null, many), 431,
                "REQUEST_HEADER_FIELDS_TOO_LARGE", before);
    }

    @Test
    void whatTheParserRefusesIsTheJsonErrorToo() throws Exception {
        long before = lastSequence();
        byte[] badVersion = "GET /api/v1/flags HTTP/7.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertRefused(RawHttp.exchange(server.uri("/"), badVersion), 505, "HTTP_VERSION_NOT_SUPPORTED", before);
        byte[] noHost = "GET /api/v1/flags HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertRefused(RawHttp.exchange(server.uri("/"), noHost), 400, "INVALID_REQUEST", before);
        assertRefused(RawHttp.send(server.uri("/"), "GET", "/api/v1/flags", null, "Host: a b"), 400, "INVALID_REQUEST",
                before);
        assertRefused(RawHttp.send(server.uri("/"), "PUT", "/api/v1/flags/" + "k".repeat(70_000), FLAG, ADMIN), 414,
                "URI_TOO_LONG", before);
        byte[] control = "G\u0000T / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertRefused(RawHttp.exchange(server.uri("/"), control), 400, "INVALID_REQUEST", before);
        assertRefused(RawHttp.send(server.uri("/"), "DELETE", "/no/such/path", null), 404, "NOT_FOUND", before);
    }

    @Test
    void authenticationComesBeforeMethodDispatch() throws Exception {
        long before = lastSequence();
        for (String method : List.of("PATCH", "POST", "FOO")) {
            assertRefused(RawHttp.send(server.uri("/"), method, "/api/v1/flags", FLAG), 401, "UNAUTHORIZED", before);
        }
        RawHttp.Response allowed = RawHttp.send(server.uri("/"), "PATCH", "/api/v1/flags", FLAG, ADMIN);
        assertRefused(allowed, 405, "METHOD_NOT_ALLOWED", before);
        assertEquals("GET", allowed.header("Allow"));
    }

    @Test
    void bearerTokensAreParsedStrictly() throws Exception {
        long before = lastSequence();
        String token = EnsignConfiguration.ADMIN_TOKEN;
        for (String credential : List.of("Bearer  " + token, "Bearer\t" + token, "Bearer " + token + " x",
                "Bearer " + token + "\tx", "Basic " + token, token)) {
            assertRefused(RawHttp.send(server.uri("/"), "PUT", "/api/v1/flags/strict", FLAG,
                    "Authorization: " + credential), 401, "UNAUTHORIZED", before);
        }
        JsonNode twice = assertRefused(RawHttp.send(server.uri("/"), "PUT", "/api/v1/flags/strict", FLAG, ADMIN,
                "Authorization: Bearer someone-else"), 400, "INVALID_HEADER", before);
        assertEquals("Authorization", twice.path("field").asText());
    }

    @Test
    void headersTricklingInLoseTheirConnectionAtTheDeadline() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Socket socket = new Socket(server.uri("/").getHost(), server.uri("/").getPort());
                socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                slow.add(socket);
            }
            try (Socket keepAlive = new Socket(server.uri("/").getHost(), server.uri("/").getPort())) {
                assertTrue(liveOn(keepAlive).startsWith("HTTP/1.1 200"));
                long started = System.nanoTime();
                int open = slow.size();
                for (int second = 0; second < 12 && open > 0; second++) {
                    Thread.sleep(1000);
                    open = 0;
                    for (Socket socket : slow) {
                        if (!socket.isClosed() && trickle(socket, second)) {
                            open++;
                        }
                    }
                    HttpResponse<String> meanwhile = HTTP.send(HttpRequest.newBuilder(server.uri("/health/live"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, meanwhile.statusCode(), "the server kept serving while they trickled");
                }
                long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertEquals(0, open, "connections still open after " + elapsed + " ms of trickling");
                assertTrue(elapsed >= HEADER_TIMEOUT_MILLIS - 1000 && elapsed <= HEADER_TIMEOUT_MILLIS + 4000,
                        "closed after " + elapsed + " ms, deadline " + HEADER_TIMEOUT_MILLIS);
                assertTrue(liveOn(keepAlive).startsWith("HTTP/1.1 200"),
                        "an idle keep-alive connection must outlive the header deadline");
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    /** One more header line; false (and the socket closed) once the server has closed the connection. */
    private static boolean trickle(Socket socket, int line) throws IOException {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(("X-Slow-" + line + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(20);
            InputStream in = socket.getInputStream();
            if (in.read() >= 0) {
                throw new AssertionError("the server answered a header that never ended");
            }
        } catch (SocketTimeoutException stillOpen) {
            return true;
        } catch (SocketException reset) {
            // closed by the server
        }
        socket.close();
        return false;
    }

    private static String liveOn(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.setSoTimeout(5000);
        byte[] buffer = new byte[4096];
        int n = socket.getInputStream().read(buffer);
        return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
    }
}
