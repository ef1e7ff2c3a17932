package io.ensign.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * The change stream of a real server over real HTTP: events for flag and config changes an environment sees, and a
 * reconnect with Last-Event-ID that gets exactly the missed events.
 */
public class StreamHttpIT extends FrameworkServerTest {
    private static final String FLAG = "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},"
            + "\"defaultVariant\":\"off\"}";

    /** One received event: its id and JSON data. */
    private record Event(long id, JsonNode data) {
    }

    /** A stream read on a thread of its own into a queue. */
    private final class Subscription implements AutoCloseable {
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final InputStream body;

        Subscription(String query, String token, Long lastEventId) throws Exception {
            var request = http.request("GET", "/api/v1/stream" + query, token, null)
                    .timeout(java.time.Duration.ofMinutes(5));
            if (lastEventId != null) {
                request.header("Last-Event-ID", Long.toString(lastEventId));
            }
            HttpResponse<InputStream> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            body = response.body();
            Thread reader = new Thread(this::read, "stream-it-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            ObjectMapper mapper = new ObjectMapper();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                long id = -1;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("id: ")) {
                        id = Long.parseLong(line.substring(4));
                    } else if (line.startsWith("data: ")) {
                        events.add(new Event(id, mapper.readTree(line.substring(6))));
                    }
                }
            } catch (IOException e) {
                // closed by the test
            }
        }

        Event next() throws InterruptedException {
            return events.poll(10, TimeUnit.SECONDS);
        }

        List<Event> take(int n) throws InterruptedException {
            List<Event> taken = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Event event = next();
                assertNotNull("event " + (i + 1) + " of " + n + " after " + taken, event);
                taken.add(event);
            }
            return taken;
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    @Test
    public void aSubscriberReceivesTheChangesItsEnvironmentSees() throws Exception {
        try (Subscription staging = new Subscription("?environment=staging", http.token("sdk", "staging"), null)) {
            http.expect(201, "PUT", "/api/v1/flags/streamed", ADMIN, FLAG);
            http.expect(201, http.request("PUT", "/api/v1/config/app/limit?environment=production", ADMIN,
                    "{\"value\":1}").header("X-Ensign-Reason", "it"));
            http.expect(201, "PUT", "/api/v1/config/app/limit?environment=staging", ADMIN, "{\"value\":2}");

            List<Event> events = staging.take(2);
            assertEquals("flag", events.get(0).data().path("kind").asText());
            assertEquals("streamed", events.get(0).data().path("key").asText());
            assertEquals("config", events.get(1).data().path("kind").asText());
            assertEquals("app/limit", events.get(1).data().path("key").asText());
            assertEquals("staging", events.get(1).data().path("environment").asText());
            assertEquals(1, events.get(1).data().path("version").asLong());
            assertTrue(events.get(0).id() < events.get(1).id());
            assertEquals(events.get(1).id(), events.get(1).data().path("sequence").asLong());
            assertNull("production's change is not in staging's stream", staging.events.poll(300, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    public void reconnectingWithLastEventIdGetsExactlyTheMissedEvents() throws Exception {
        long lastSeen;
        try (Subscription first = new Subscription("?environment=development", ADMIN, null)) {
            http.expect(201, "PUT", "/api/v1/config/resume/a?environment=development", ADMIN, "{\"value\":0}");
            lastSeen = first.take(1).get(0).id();
        }
        for (int i = 1; i <= 5; i++) {
            http.expect(200, "PUT", "/api/v1/config/resume/a?environment=development", ADMIN, "{\"value\":" + i + "}");
        }
        http.expect(201, http.request("PUT", "/api/v1/config/resume/a?environment=production", ADMIN, "{\"value\":9}")
                .header("X-Ensign-Reason", "it"));

        try (Subscription resumed = new Subscription("?environment=development", ADMIN, lastSeen)) {
            List<Event> missed = resumed.take(5);
            for (int i = 0; i < 5; i++) {
                assertEquals(i + 2, missed.get(i).data().path("version").asLong());
            }
            http.expect(200, "PUT", "/api/v1/config/resume/a?environment=development", ADMIN, "{\"value\":6}");
            Event live = resumed.next();
            assertEquals(7, live.data().path("version").asLong());
            assertNull("no event twice", resumed.events.poll(500, TimeUnit.MILLISECONDS));
        }
    }
}
