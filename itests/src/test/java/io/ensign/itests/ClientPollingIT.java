package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ensign.client.ClientStatus;
import io.ensign.client.EnsignClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client behind a proxy that passes plain requests but refuses the event stream, as some corporate proxies
 * do: the client falls back to polling the sync document with {@code If-None-Match}, is answered 304 while nothing
 * changes, picks a change up within a poll interval or two, and keeps its snapshot once the server is gone.
 */
class ClientPollingIT {
    private static final String ADMIN = EnsignConfiguration.ADMIN_TOKEN;
    private static final Duration POLL = Duration.ofMillis(400);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path work;

    /** What the proxy passed on: path, whether it carried If-None-Match, and the status it answered. */
    private record Passed(String path, boolean conditional, int status) {
    }

    private final List<Passed> passed = new CopyOnWriteArrayList<>();

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void withoutTheStreamTheClientPollsAndIsToldNotModified() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        int port = EnsignConfiguration.freePort();
        ServerProcess server = ServerProcess.start(ServerProcess.distribution(), work.resolve("data"),
                work.resolve("server.log"), http, port);
        HttpServer proxy = proxy(http, URI.create("http://127.0.0.1:" + port));
        EnsignClient client = null;
        try {
            HttpDriver driver = server.driver();
            putFlag(driver, 201, "v0");
            String sdk = driver.token("sdk", "production");
            client = EnsignClient.builder("http://127.0.0.1:" + proxy.getAddress().getPort(), sdk)
                    .pollInterval(POLL).reconnectDelay(Duration.ofMillis(200), Duration.ofSeconds(1))
                    .closeTimeout(Duration.ofSeconds(2)).build();
            assertTrue(client.awaitReady(WAIT), "the client is current through the proxy");
            assertEquals("v0", client.stringValue("polled", null, null));

            EnsignClient c = client;
            await(() -> count("/api/v1/sync", true, 304) >= 3, "three polls answered 304");
            assertTrue(count("/api/v1/stream", false, 404) >= 1, "the stream was asked for and refused: " + passed);
            assertEquals(0, count("/api/v1/stream", false, 200), "no stream got through");
            assertEquals(ClientStatus.READY, client.status(), "polling is a way of being current");

            long before = System.nanoTime();
            putFlag(driver, 200, "v1");
            await(() -> "v1".equals(c.stringValue("polled", null, null)), "the change arrives by polling");
            System.out.printf("a change reached the polling client after %.0f ms (poll interval %d ms)%n",
                    (System.nanoTime() - before) / 1e6, POLL.toMillis());
            assertTrue(count("/api/v1/sync", true, 200) >= 1, "the change came as a conditional 200: " + passed);

            server.kill();
            await(() -> c.status() == ClientStatus.STALE, "the client goes stale without its server");
            assertEquals("v1", client.stringValue("polled", null, null), "evaluations go on from the snapshot");
        } finally {
            if (client != null) {
                client.close();
            }
            proxy.stop(0);
            server.close();
        }
    }

    private static void putFlag(HttpDriver driver, int status, String value) {
        driver.expect(status, "PUT", "/api/v1/flags/polled", ADMIN, "{\"type\":\"string\",\"variants\":{\"only\":\""
                + value + "\"},\"defaultVariant\":\"only\"}");
    }

    private long count(String path, boolean conditional, int status) {
        return passed.stream().filter(p -> p.path().equals(path) && p.conditional() == conditional
                && p.status() == status).count();
    }

    /** Passes GETs of the sync document on to the server; answers 404 for the event stream. */
    private HttpServer proxy(HttpClient http, URI upstream) throws IOException {
        HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
                if (path.equals("/api/v1/stream")) {
                    passed.add(new Passed(path, false, 404));
                    answer(exchange, 404, "text/plain",
                            "streaming is not allowed here".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                HttpRequest.Builder forward = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI()))
                        .timeout(Duration.ofSeconds(10)).GET()
                        .header("Authorization", exchange.getRequestHeaders().getFirst("Authorization"));
                if (ifNoneMatch != null) {
                    forward.header("If-None-Match", ifNoneMatch);
                }
                HttpResponse<byte[]> response;
                try {
                    response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException e) {
                    passed.add(new Passed(path, ifNoneMatch != null, 502));
                    answer(exchange, 502, "text/plain", new byte[0]);
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                response.headers().firstValue("ETag").ifPresent(v -> exchange.getResponseHeaders().set("ETag", v));
                passed.add(new Passed(path, ifNoneMatch != null, response.statusCode()));
                answer(exchange, response.statusCode(),
                        response.headers().firstValue("Content-Type").orElse("application/json"), response.body());
            }
        });
        proxy.start();
        return proxy;
    }

    private static void answer(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean empty = status == 304 || body.length == 0;
        exchange.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Eventually.await(WAIT, condition, what);
    }
}
