package io.ensign.audit.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.ensign.api.audit.AuditRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookAuditSinkTest {
    private static final AuditRecord RECORD = new AuditRecord(42, Instant.parse("2026-11-26T10:15:30Z"), "ops",
            "update", "flag", "new-checkout", "production", 3, "{\"on\":false}", "{\"on\":true}", "ramp", "req-9");

    /** What the receiver got: its headers and body. */
    private record Received(Headers headers, byte[] body) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void postsTheRecordAsJsonWithItsSequenceHeader() throws Exception {
        URI url = receiver(204, Duration.ZERO);
        new WebhookAuditSink(url, Duration.ofSeconds(5), "").deliver(RECORD);

        Received request = received.poll(5, TimeUnit.SECONDS);
        assertEquals("42", request.headers().getFirst("X-Ensign-Sequence"));
        assertEquals("application/json", request.headers().getFirst("Content-Type"));
        assertNull(request.headers().getFirst("X-Ensign-Signature"));
        JsonNode json = new ObjectMapper().readTree(request.body());
        assertEquals(42, json.get("sequence").asLong());
        assertEquals("2026-11-26T10:15:30Z", json.get("time").asText());
        assertEquals("new-checkout", json.get("key").asText());
        assertEquals("production", json.get("environment").asText());
        assertTrue(json.get("before").isObject(), "before is embedded JSON, not a string");
        assertTrue(json.get("after").get("on").asBoolean());
        assertEquals("req-9", json.get("requestId").asText());
    }

    @Test
    void signatureIsTheHmacSha256OfTheBodyUnderTheSecret() throws Exception {
        URI url = receiver(200, Duration.ZERO);
        new WebhookAuditSink(url, Duration.ofSeconds(5), "s3cret").deliver(RECORD);

        Received request = received.poll(5, TimeUnit.SECONDS);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertEquals("sha256=" + HexFormat.of().formatHex(mac.doFinal(request.body())),
                request.headers().getFirst("X-Ensign-Signature"));
    }

    @Test
    void non2xxAnswerFailsTheDelivery() throws Exception {
        URI url = receiver(500, Duration.ZERO);
        WebhookAuditSink sink = new WebhookAuditSink(url, Duration.ofSeconds(5), "");
        IOException failure = assertThrows(IOException.class, () -> sink.deliver(RECORD));
        assertEquals("the audit webhook answered 500 to record 42", failure.getMessage());
    }

    @Test
    void redirectIsNotTakenAsDelivered() throws Exception {
        URI url = receiver(302, Duration.ZERO);
        WebhookAuditSink sink = new WebhookAuditSink(url, Duration.ofSeconds(5), "");
        assertThrows(IOException.class, () -> sink.deliver(RECORD));
    }

    @Test
    void receiverSlowerThanTheTimeoutFailsTheDelivery() throws Exception {
        URI url = receiver(200, Duration.ofMillis(1500));
        WebhookAuditSink sink = new WebhookAuditSink(url, Duration.ofMillis(200), "");
        long started = System.nanoTime();
        assertThrows(HttpTimeoutException.class, () -> sink.deliver(RECORD));
        assertTrue(System.nanoTime() - started < Duration.ofMillis(1200).toNanos(), "gave up after the timeout");
    }

    @Test
    void urlMustBeAbsoluteHttpOrHttps() {
        assertThrows(IllegalArgumentException.class,
                () -> new WebhookAuditSink(URI.create("ftp://127.0.0.1/x"), Duration.ofSeconds(1), ""));
        assertThrows(IllegalArgumentException.class,
                () -> new WebhookAuditSink(URI.create("/relative"), Duration.ofSeconds(1), ""));
    }

    @Test
    void storedTextThatIsNotJsonIsSentAsAString() throws IOException {
        AuditRecord record = new AuditRecord(1, Instant.EPOCH, "ops", "create", "config", "k", null, 1, null,
                "plain text", null, null);
        JsonNode json = new ObjectMapper().readTree(WebhookPost.body(record));
        assertEquals("plain text", json.get("after").asText());
        assertTrue(json.get("before").isNull());
    }

    /** Starts a receiver on 127.0.0.1 answering {@code status} after {@code delay}; returns its URL. */
    @Test
    void aConfigurationEditAppliesToTheNextDeliveryAndAnUnusableOneIsRefused() throws Exception {
        URI url = receiver(204, Duration.ZERO);
        WebhookAuditSink sink = new WebhookAuditSink(URI.create("http://127.0.0.1:9/nowhere"), Duration.ofSeconds(1), "");

        sink.modified(config(url.toString(), 5000, "s3cret"));
        sink.deliver(RECORD);
        Received first = received.poll(5, TimeUnit.SECONDS);
        assertTrue(first.headers().getFirst("X-Ensign-Signature").startsWith("sha256="), "the new secret signs");

        sink.modified(config(url.toString(), 0, ""));
        sink.modified(config("not a url at all", 5000, ""));
        sink.deliver(RECORD);
        Received second = received.poll(5, TimeUnit.SECONDS);
        assertTrue(second.headers().getFirst("X-Ensign-Signature").startsWith("sha256="), "the target in force stays");
    }

    private static WebhookAuditSink.Config config(String url, long timeoutMillis, String secret) {
        return new WebhookAuditSink.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return WebhookAuditSink.Config.class;
            }

            @Override
            public String url() {
                return url;
            }

            @Override
            public long timeoutMillis() {
                return timeoutMillis;
            }

            @Override
            public String _secret() {
                return secret;
            }
        };
    }

    private URI receiver(int status, Duration delay) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/audit", exchange -> {
            received.add(new Received(exchange.getRequestHeaders(), exchange.getRequestBody().readAllBytes()));
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/audit");
    }
}
