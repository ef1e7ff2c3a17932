package io.ensign.engine.stream.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.auth.Role;
import io.ensign.api.store.Mutation;
import io.ensign.config.http.internal.ConfigResource;
import io.ensign.config.internal.ConfigCatalog;
import io.ensign.http.internal.ApiHarness;
import io.ensign.http.internal.OpenApiChecks;
import io.ensign.testing.fakes.InMemoryCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server-sent events of changes: filtering by environment, ids, resuming without gaps or repeats, slow clients. */
class StreamResourceTest {
    /** Events that may wait for a slow subscriber. */
    private static final int QUEUE = 100;
    @TempDir
    Path data;
    private ApiHarness api;
    private StreamResource stream;
    private String editor;

    /** The stream over the harness's store, beside the real configuration routes that write config changes there. */
    @BeforeEach
    void start() throws Exception {
        api = ApiHarness.start();
        InMemoryCatalog catalog = new InMemoryCatalog();
        stream = new StreamResource(api.store, catalog, api.tokens, config());
        ConfigCatalog config = new ConfigCatalog(api.store, catalog, data.resolve(ConfigCatalog.KEY_FILE));
        api.add(stream, new ConfigResource(config));
        editor = api.token(Role.EDITOR, null);
    }

    @AfterEach
    void stop() throws Exception {
        stream.deactivate();
        api.close();
    }

    /** Heartbeats every second and room for {@value #QUEUE} waiting events, so that tests see both soon. */
    static StreamResource.Config config() {
        return new StreamResource.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return StreamResource.Config.class;
            }

            @Override
            public int heartbeatSeconds() {
                return 1;
            }

            @Override
            public int maxQueuedEvents() {
                return QUEUE;
            }
        };
    }

    private SseClient open(String query, String token, String lastEventId) {
        var request = api.request("GET", "/api/v1/stream" + query, token, null);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        SseClient client = new SseClient(request.build());
        assertEquals(200, client.response.statusCode());
        return client;
    }

    private void putConfig(String key, String environment, int value) {
        String query = environment == null ? "" : "?environment=" + environment;
        assertTrue(api.send("PUT", "/api/v1/config/app/" + key + query, editor, "{\"value\":" + value + "}")
                .statusCode() < 300);
    }

    /** A flag change as the engine commits it (the harness's catalog keeps flags apart from the store). */
    private void commitFlag(String key) {
        api.store.commit(List.of(new Mutation("flag", key, null, "{}", Mutation.ANY_VERSION, null, "test", null, null)));
    }

    @Test
    void anEnvironmentsStreamShowsItsOwnAndGlobalChangesWithTheSequenceAsId() throws Exception {
        try (SseClient staging = open("?environment=staging", editor, null)) {
            assertTrue(staging.response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
            commitFlag("checkout");
            putConfig("timeout", "production", 1);
            putConfig("timeout", "staging", 2);
            putConfig("timeout", null, 3);

            List<SseClient.Event> events = staging.take(3);
            assertEquals("flag", events.get(0).name());
            assertEquals("checkout", events.get(0).data().path("key").asText());
            assertTrue(events.get(0).data().path("environment").isNull());
            assertEquals("create", events.get(0).data().path("action").asText());
            assertEquals(1, events.get(0).data().path("version").asLong());
            SseClient.Event config = events.get(1);
            assertEquals("config", config.name());
            assertEquals("app/timeout", config.data().path("key").asText());
            assertEquals("staging", config.data().path("environment").asText());
            assertEquals("app/timeout", events.get(2).data().path("key").asText());
            assertTrue(events.get(2).data().path("environment").isNull());
            List<AuditRecord> log = api.store.changes(0, 1000);
            for (SseClient.Event event : events) {
                assertEquals(event.id(), event.data().path("sequence").asLong());
                AuditRecord record = log.get((int) event.id() - 1);
                assertEquals(record.kind(), event.name());
                assertEquals(record.version(), event.data().path("version").asLong());
                assertEquals(record.time(), Instant.parse(event.data().path("time").asText()), "the commit's time");
                Instant published = Instant.parse(event.data().path("published").asText());
                assertTrue(!published.isBefore(record.time()) && !published.isAfter(Instant.now()),
                        "published after the commit: " + published);
                assertFalse(event.data().has("value"), "events say what changed, not to what");
            }
            assertNull(staging.drain().stream().findAny().orElse(null), "production's change is not staging's");
        }
    }

    @Test
    void resumingWithLastEventIdReplaysExactlyTheMissedChangesThenGoesLive() throws Exception {
        long lastSeen;
        try (SseClient first = open("?environment=staging", editor, null)) {
            putConfig("a", "staging", 1);
            lastSeen = first.take(1).get(0).id();
        }
        putConfig("a", "staging", 2);
        putConfig("a", "production", 3);
        putConfig("b", null, 4);
        api.token(Role.VIEWER, null);

        try (SseClient resumed = open("?environment=staging", editor, Long.toString(lastSeen))) {
            List<SseClient.Event> missed = resumed.take(2);
            assertEquals(2, missed.get(0).data().path("version").asLong());
            assertEquals("app/b", missed.get(1).data().path("key").asText());
            assertTrue(missed.get(0).id() > lastSeen && missed.get(1).id() > missed.get(0).id());
            putConfig("a", "staging", 5);
            SseClient.Event live = resumed.next();
            assertEquals(3, live.data().path("version").asLong());
            Thread.sleep(200);
            assertTrue(resumed.drain().isEmpty(), "nothing twice");
        }
    }

    @Test
    void theLastEventIdMayComeAsAQueryParameter() throws Exception {
        putConfig("q", null, 1);
        long first = api.store.lastSequence();
        putConfig("q", null, 2);
        try (SseClient resumed = open("?lastEventId=" + first, editor, null)) {
            assertEquals(first + 1, resumed.take(1).get(0).id());
        }
    }

    /**
     * A client that resumes from its last event whenever its stream ends (as a slow one's does under a burst) sees
     * every change once, in order, while changes keep coming during replay and hand-over.
     */
    @Test
    void resumingClientsGetEveryChangeOnceInOrderUnderConcurrentWrites() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            int i = 0;
            while (writing.get()) {
                commitFlag("f" + (i++ % 7));
                if (i % 50 == 0) {
                    Thread.onSpinWait();
                }
            }
        });
        writer.start();
        List<Long> received = new ArrayList<>();
        int connections = 0;
        try {
            while (api.store.lastSequence() < 3000) {
                Thread.sleep(5);
            }
            long deadline = System.currentTimeMillis() + 20_000;
            long stopWritingAt = System.currentTimeMillis() + 500;
            long expectedLast = Long.MAX_VALUE;
            while (System.currentTimeMillis() < deadline && (received.isEmpty() || received.get(received.size() - 1) < expectedLast)) {
                String resumeFrom = received.isEmpty() ? "0" : Long.toString(received.get(received.size() - 1));
                connections++;
                try (SseClient client = open("", editor, resumeFrom)) {
                    while (System.currentTimeMillis() < deadline) {
                        if (writing.get() && System.currentTimeMillis() > stopWritingAt) {
                            writing.set(false);
                            writer.join();
                            expectedLast = api.store.lastSequence();
                        }
                        SseClient.Event event = client.nextWithin(100);
                        if (event != null) {
                            received.add(event.id());
                            if (event.id() >= expectedLast) {
                                break;
                            }
                        } else if (client.ended()) {
                            break;
                        }
                    }
                }
            }
        } finally {
            writing.set(false);
            writer.join();
        }
        List<Long> expected = api.store.changes(0, Integer.MAX_VALUE).stream()
                .filter(r -> StreamEvent.KINDS.contains(r.kind())).map(AuditRecord::sequence).toList();
        assertEquals(expected.size(), received.size(), "events received over " + connections + " connections");
        assertTrue(expected.equals(received), "every change once and in order, over " + connections + " connections");
    }

    @Test
    void sdkTokensStreamTheirOwnEnvironmentOnly() throws Exception {
        String sdk = api.token(Role.SDK, "staging");
        assertEquals(403, api.send("GET", "/api/v1/stream?environment=production", sdk, null).statusCode());
        try (SseClient own = open("", sdk, null)) {
            putConfig("s", "production", 1);
            putConfig("s", "staging", 2);
            assertEquals("staging", own.take(1).get(0).data().path("environment").asText());
        }
    }

    @Test
    void badRequestsGetTheApisErrorBodies() {
        assertEquals(401, api.send("GET", "/api/v1/stream", null, null).statusCode());
        var unknown = api.send("GET", "/api/v1/stream?environment=nowhere", editor, null);
        assertEquals(400, unknown.statusCode());
        assertEquals("UNKNOWN_ENVIRONMENT", api.json(unknown).path("error").asText());
        var badId = api.send(api.request("GET", "/api/v1/stream", editor, null).header("Last-Event-ID", "abc"));
        assertEquals(400, badId.statusCode());
        assertEquals("Last-Event-ID", api.json(badId).path("field").asText());
        var badObjects = api.send("GET", "/api/v1/stream?objects=yes", editor, null);
        assertEquals(400, badObjects.statusCode());
        assertEquals("objects", api.json(badObjects).path("field").asText());
    }

    @Test
    void withObjectsAFlagsEventCarriesTheCommittedObjectAndAConfigEventNoValue() throws Exception {
        try (SseClient live = open("?environment=staging&objects=true", editor, null);
             SseClient plain = open("?environment=staging", editor, null)) {
            api.store.commit(List.of(new Mutation("flag", "checkout", null, "{\"key\":\"checkout\",\n\"enabled\":true}",
                    Mutation.ANY_VERSION, null, "test", null, null)));
            putConfig("timeout", "staging", 7);
            api.store.commit(List.of(new Mutation("flag", "checkout", null, null, 1, null, "test", null, null)));

            List<SseClient.Event> events = live.take(3);
            assertEquals(true, events.get(0).data().path("object").path("enabled").asBoolean(),
                    "the object as committed, its line break no end of the data line");
            assertEquals("checkout", events.get(0).data().path("object").path("key").asText());
            assertFalse(events.get(1).data().has("object"), "config values never travel");
            assertFalse(events.get(1).data().has("value"));
            assertTrue(events.get(2).data().path("object").isNull(), "a deletion carries a null object");
            assertEquals("delete", events.get(2).data().path("action").asText());
            List<SseClient.Event> without = plain.take(3);
            assertEquals(events.stream().map(SseClient.Event::id).toList(),
                    without.stream().map(SseClient.Event::id).toList());
            assertTrue(without.stream().noneMatch(e -> e.data().has("object")), "only streams that ask get objects");
        }
        long afterCreate = api.store.changes(0, 1000).stream().filter(r -> r.kind().equals("flag")).findFirst()
                .orElseThrow().sequence() - 1;
        try (SseClient replayed = open("?environment=staging&objects=true", editor, Long.toString(afterCreate))) {
            assertEquals("checkout", replayed.take(1).get(0).data().path("object").path("key").asText(),
                    "a replayed event carries its object too");
        }
    }

    @Test
    void headAnswersTheStreamsHeadAndTheConnectionServesTheNextRequest() throws Exception {
        URI base = URI.create(api.request("GET", "/", null, null).build().uri().toString());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            socket.setSoTimeout(5000);
            String auth = "Host: x\r\nAuthorization: Bearer " + editor + "\r\n\r\n";
            socket.getOutputStream().write(("HEAD /api/v1/stream HTTP/1.1\r\n" + auth
                    + "GET /api/v1/stream?environment=nowhere HTTP/1.1\r\n" + auth)
                    .getBytes(StandardCharsets.US_ASCII));
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            List<String> head = new ArrayList<>();
            for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
                head.add(line.toLowerCase(java.util.Locale.ROOT));
            }
            assertTrue(head.get(0).startsWith("http/1.1 200"), head.toString());
            assertTrue(head.stream().anyMatch(h -> h.startsWith("content-type: text/event-stream")), head.toString());
            assertTrue(head.contains("cache-control: no-cache"), "the head of GET's answer: " + head);
            assertEquals(0, stream.openStreams(), "HEAD holds no stream open");
            String next = in.readLine();
            assertTrue(next.startsWith("HTTP/1.1 400"), "the connection answers its next request: " + next);
        }
    }

    @Test
    void idleStreamsGetHeartbeats() throws Exception {
        try (SseClient idle = open("", editor, null)) {
            int opening = 1;
            Thread.sleep(2500);
            assertTrue(idle.comments() >= opening + 1, "heartbeats: " + (idle.comments() - opening));
        }
    }

    @Test
    void aSubscriberThatStopsReadingIsClosedWhileOthersGetEveryEvent() throws Exception {
        URI base = URI.create(api.request("GET", "/", null, null).build().uri().toString());
        try (Socket slow = new Socket(); SseClient fast = open("", editor, null)) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            OutputStream out = slow.getOutputStream();
            out.write(("GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + editor + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long deadline = System.currentTimeMillis() + 5000;
            while (stream.openStreams() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(2, stream.openStreams());

            String longKey = "k".repeat(120);
            int changes = 30_000;
            long started = System.nanoTime();
            for (int i = 0; i < changes; i++) {
                api.store.commit(List.of(new Mutation("flag", longKey + (i % 10), null, "{}", Mutation.ANY_VERSION,
                        null, "test", null, null)));
            }
            long commitMillis = (System.nanoTime() - started) / 1_000_000;

            assertEquals(changes, fast.take(changes).size());
            deadline = System.currentTimeMillis() + 5000;
            while (stream.openStreams() > 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, stream.openStreams(), "the stream that fell behind was closed");
            assertFalse(fast.ended());
            assertTrue(commitMillis < 10_000, "commits took " + commitMillis + " ms");
        }
    }

    @Test
    void theOpenApiFragmentDocumentsTheStreamAndNothingElse() throws Exception {
        OpenApiChecks.assertDocumentedExactly(List.of(stream));
    }
}
