package io.ensign.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;
import org.ops4j.pax.exam.Option;

/**
 * The example route bundle (examples/custom-route, built against the HTTP SPI alone) posted to
 * {@code POST /api/v1/bundles} and deleted again while other clients keep calling the API: its route answers with
 * the standard authentication and is documented in the OpenAPI document exactly while it is installed, and not one
 * of the other requests fails meanwhile.
 */
public class CustomRouteIT extends FrameworkServerTest {
    private static final String EXAMPLE = "ensign-example-custom-route";
    private static final String HELLO = "/api/v1/x/hello";
    private static final String HELLO_POINTER = "/paths/~1api~1v1~1x~1hello/get";
    private static final String FLAG = "it-route-load";
    private static final int LOADERS = 3;
    private static final long ROUTE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    @Override
    protected Option[] options(Path home) throws Exception {
        Files.createDirectories(home.resolve("deploy"));
        return EnsignConfiguration.fileInstall(home);
    }

    private static Path exampleJar() {
        return Path.of("..", "examples", "custom-route", "target", EXAMPLE + "-1.0.0.jar");
    }

    private JsonNode openApi() {
        return http.expect(200, "GET", "/api/v1/openapi.json", null, null);
    }

    @Test
    public void theRouteComesAndGoesWithItsBundleWhileEveryOtherRequestSucceeds() throws Exception {
        http.expect(201, "PUT", "/api/v1/flags/" + FLAG, ADMIN,
                "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"on\"}");
        assertTrue(openApi().at(HELLO_POINTER).isMissingNode());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        List<String> failures = new CopyOnWriteArrayList<>();
        List<Thread> loaders = new ArrayList<>();
        for (int i = 0; i < LOADERS; i++) {
            Thread loader = new Thread(() -> load(running, sent, failures), "route-it-load-" + i);
            loader.start();
            loaders.add(loader);
        }
        try {
            HttpResponse<String> installed = http.sendJar("POST", "/api/v1/bundles", ADMIN, exampleJar());
            assertEquals(installed.body(), 201, installed.statusCode());
            assertEquals("active", http.json(installed).path("state").asText());

            // the 201 comes once the bundle's service is registered; SCR binds it to the API servlet moments later
            long installedAt = System.nanoTime();
            HttpResponse<String> first = http.send("GET", HELLO, ADMIN, null);
            while (first.statusCode() == 404 && System.nanoTime() - installedAt < ROUTE_WAIT_NANOS) {
                Thread.sleep(20);
                first = http.send("GET", HELLO, ADMIN, null);
            }
            System.out.println("custom route: answered " + (System.nanoTime() - installedAt) / 1_000_000
                    + " ms after the 201 of its install");
            assertEquals(first.body(), 200, first.statusCode());
            JsonNode greeting = http.json(first);
            assertEquals("admin", greeting.path("role").asText());
            assertTrue(greeting.toString(), greeting.path("greeting").asText().startsWith("hello, "));
            assertEquals(401, http.send("GET", HELLO, null, null).statusCode());
            HttpResponse<String> sdk = http.send("GET", HELLO, http.token("sdk", "development"), null);
            assertEquals(sdk.body(), 403, sdk.statusCode());
            assertEquals("FORBIDDEN", http.json(sdk).path("error").asText());
            JsonNode documented = openApi();
            assertFalse(documented.at(HELLO_POINTER).isMissingNode());
            assertFalse(documented.at("/components/schemas/ExampleGreeting").isMissingNode());

            assertEquals(204, http.send("DELETE", "/api/v1/bundles/" + EXAMPLE, ADMIN, null).statusCode());
            HttpResponse<String> gone = http.send("GET", HELLO, ADMIN, null);
            assertEquals(gone.body(), 404, gone.statusCode());
            assertTrue(openApi().at(HELLO_POINTER).isMissingNode());
            assertTrue(openApi().at("/components/schemas/ExampleGreeting").isMissingNode());
        } finally {
            running.set(false);
            for (Thread loader : loaders) {
                loader.join(10_000);
            }
        }
        assertTrue("no load was sent", sent.get() > 0);
        System.out.println("custom route: " + sent.get() + " requests under load, " + failures.size() + " failed");
        assertEquals("of " + sent.get() + " requests under load: " + failures, List.of(), failures);
    }

    /** Evaluates, lists and reads the OpenAPI document until told to stop, noting every answer that is not a 200. */
    private void load(AtomicBoolean running, AtomicLong sent, List<String> failures) {
        String[][] calls = {{"POST", "/ofrep/v1/evaluate/flags/" + FLAG, "{\"context\":{\"targetingKey\":\"u\"}}"},
                {"GET", "/api/v1/flags", null}, {"GET", "/api/v1/openapi.json", null}};
        int n = 0;
        while (running.get()) {
            String[] call = calls[n++ % calls.length];
            try {
                HttpResponse<String> response = http.send(call[0], call[1], ADMIN, call[2]);
                if (response.statusCode() != 200) {
                    failures.add(call[0] + " " + call[1] + " " + response.statusCode() + " " + response.body());
                }
            } catch (RuntimeException e) {
                failures.add(call[0] + " " + call[1] + " " + e);
            }
            sent.incrementAndGet();
        }
    }
}
