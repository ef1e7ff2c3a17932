package io.ensign.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Webhook subscriptions over real HTTP, with a receiver on loopback: the changes of the subscribed kinds committed
 * after the subscription arrive signed with the configuration secret it names; other kinds, older changes and
 * removed subscriptions send nothing; bad subscriptions are refused naming the field and store nothing.
 */
public class WebhookSubscriptionsIT extends FrameworkServerTest {
    private static final String FLAG = "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},"
            + "\"defaultVariant\":\"off\"}";
    private static final String KEY = "hook-key-" + System.nanoTime();

    /** One request the receiver got, on the path it was sent to. */
    private record Delivery(String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }

        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(body);
        }
    }

    private final BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
    private HttpServer receiver;

    @Before
    public void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            received.add(new Delivery(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                    exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    /** Removes what a test subscribed, even when it failed, so no sink keeps retrying a stopped receiver. */
    @After
    public void stopReceiver() {
        http.expect(200, "GET", "/api/v1/webhooks", ADMIN, null).forEach(subscription -> http.expect(204, "DELETE",
                "/api/v1/webhooks/" + subscription.path("id").asText(), ADMIN, null));
        receiver.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private JsonNode subscribe(String body) {
        return http.expect(201, "POST", "/api/v1/webhooks", ADMIN, body);
    }

    /** The next delivery, failing after ten seconds. */
    private Delivery next() throws InterruptedException {
        Delivery delivery = received.poll(10, TimeUnit.SECONDS);
        assertNotNull("a delivery within 10 s", delivery);
        return delivery;
    }

    private static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    public void changesOfTheSubscribedKindsAfterTheSubscriptionArriveSignedWithTheConfigurationSecret()
            throws Exception {
        http.expect(201, "PUT", "/api/v1/flags/hook-before", ADMIN, FLAG);
        http.expect(201, "PUT", "/api/v1/config/hooks/" + KEY, ADMIN, "{\"value\":\"s3cret-1\",\"secret\":true}");
        JsonNode signed = subscribe("{\"url\":\"" + url("/signed") + "\",\"kinds\":[\"flag\"],"
                + "\"secret\":{\"namespace\":\"hooks\",\"key\":\"" + KEY + "\"}}");
        assertEquals("webhook-" + signed.path("id").asText(), signed.path("sink").asText());

        http.expect(201, "PUT", "/api/v1/config/hooks/other", ADMIN, "{\"value\":1}");
        http.expect(201, http.request("PUT", "/api/v1/flags/hook-after", ADMIN, FLAG).header("X-Ensign-Reason", "go"));

        Delivery first = next();
        assertEquals("/signed", first.path());
        JsonNode record = first.json();
        assertEquals("the flag written before the subscription is not sent, nor the config change", "hook-after",
                record.path("key").asText());
        assertEquals("flag", record.path("kind").asText());
        assertEquals("go", record.path("reason").asText());
        assertEquals(record.path("sequence").asText(), first.header("X-Ensign-Sequence"));
        assertEquals(hmac("s3cret-1", first.body()), first.header("X-Ensign-Signature"));

        // A rotated secret signs the next delivery.
        http.expect(200, "PUT", "/api/v1/config/hooks/" + KEY, ADMIN, "{\"value\":\"s3cret-2\"}");
        http.expect(200, "PUT", "/api/v1/flags/hook-after", ADMIN, FLAG.replace("\"off\"}", "\"on\"}"));
        Delivery second = next();
        assertEquals(hmac("s3cret-2", second.body()), second.header("X-Ensign-Signature"));
        assertEquals("the secret's change is config, not sent", record.path("sequence").asLong() + 2,
                second.json().path("sequence").asLong());

        // Removed, it sends nothing more; a second subscription shows the next change was dispatched.
        http.expect(204, "DELETE", "/api/v1/webhooks/" + signed.path("id").asText(), ADMIN, null);
        assertEquals(404, http.send("GET", "/api/v1/webhooks/" + signed.path("id").asText(), ADMIN, null)
                .statusCode());
        JsonNode witness = subscribe("{\"url\":\"" + url("/witness") + "\",\"kinds\":[\"flag\",\"config\"],"
                + "\"environments\":[\"staging\"]}");
        http.expect(201, "PUT", "/api/v1/config/hooks/elsewhere?environment=production", ADMIN,
                "{\"value\":1,\"reason\":\"not for staging\"}");
        http.expect(201, "PUT", "/api/v1/flags/hook-last", ADMIN, FLAG);
        Delivery last = next();
        assertEquals("/witness", last.path());
        assertEquals("a change for another environment is not sent", "hook-last", last.json().path("key").asText());
        assertNull("unsigned without a secret", last.header("X-Ensign-Signature"));
        Thread.sleep(300);
        assertTrue("nothing else arrived: " + received, received.isEmpty());
        assertEquals(List.of(witness.path("id").asText()), http.expect(200, "GET", "/api/v1/webhooks", ADMIN, null)
                .findValuesAsText("id"));
    }

    @Test
    public void badSubscriptionsAreRefusedNamingTheFieldAndStoreNothing() {
        int before = http.expect(200, "GET", "/api/v1/webhooks", ADMIN, null).size();
        http.expect(201, "PUT", "/api/v1/config/hooks/plain", ADMIN, "{\"value\":\"not secret\"}");
        Map<String, String> refused = Map.of(
                "{\"url\":\"ftp://127.0.0.1/x\",\"kinds\":[\"flag\"]}", "/url",
                "{\"url\":\"http://user:pw@127.0.0.1/x\",\"kinds\":[\"flag\"]}", "/url",
                "{\"url\":\"" + url("/x") + "\",\"kinds\":[]}", "/kinds",
                "{\"url\":\"" + url("/x") + "\",\"kinds\":[\"Flag!\"]}", "/kinds/0",
                "{\"url\":\"" + url("/x") + "\",\"kinds\":[\"flag\"],\"colour\":1}", "/colour",
                "{\"url\":\"" + url("/x") + "\",\"kinds\":[\"flag\"],\"secret\":{\"namespace\":\"hooks\",\"key\":\"plain\"}}",
                "/secret");
        refused.forEach((body, field) -> {
            JsonNode error = http.expect(422, "POST", "/api/v1/webhooks", ADMIN, body);
            assertEquals(body, field, error.path("field").asText());
        });
        assertEquals(403, http.send("POST", "/api/v1/webhooks", http.token("editor", null),
                "{\"url\":\"" + url("/x") + "\",\"kinds\":[\"flag\"]}").statusCode());
        assertEquals(400, http.send("POST", "/api/v1/webhooks", ADMIN, "{\"url\":").statusCode());
        assertEquals(before, http.expect(200, "GET", "/api/v1/webhooks", ADMIN, null).size());
        assertTrue(received.isEmpty());
    }
}
