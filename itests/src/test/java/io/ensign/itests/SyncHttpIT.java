package io.ensign.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.Test;

/**
 * The SDK sync document of a real server: an environment's whole evaluation state at the change-log sequence it
 * names, each object as its own route gives it, served with an ETag, 304 and gzip, and followed without a gap by
 * the change stream resumed at its version.
 */
public class SyncHttpIT extends FrameworkServerTest {
    private static final String FLAG = "{\"type\":\"string\",\"variants\":{\"a\":\"A\",\"b\":\"B\"},\"defaultVariant\":\"a\","
            + "\"rules\":[{\"segment\":\"sync-beta\",\"variant\":\"b\"}],\"environments\":{\"staging\":{\"defaultVariant\":\"b\"}}}";
    private static final String PLAIN = FLAG.replace(",\"rules\":[{\"segment\":\"sync-beta\",\"variant\":\"b\"}]", "");

    private JsonNode sync(String token, String query) {
        return http.expect(200, "GET", "/api/v1/sync" + query, token, null);
    }

    private long lastSequence() {
        return http.expect(200, "GET", "/api/v1/audit?limit=1", ADMIN, null).path("lastSequence").asLong();
    }

    private static JsonNode byKey(JsonNode array, String field, String key) {
        for (JsonNode item : array) {
            if (item.path(field).asText().equals(key)) {
                return item;
            }
        }
        return null;
    }

    @Test
    public void theDocumentIsTheEnvironmentsStateAsEachRouteGivesIt() throws Exception {
        http.expect(201, "PUT", "/api/v1/segments/sync-beta", ADMIN, "{\"included\":[\"u1\"],\"conditions\":[]}");
        http.expect(201, "PUT", "/api/v1/flags/sync-flag", ADMIN, FLAG);
        http.expect(201, "PUT", "/api/v1/flags/sync-other", ADMIN, FLAG);
        http.expect(201, "PUT", "/api/v1/config/sync-ns/greeting", ADMIN, "{\"value\":\"hello\"}");
        http.expect(201, "PUT", "/api/v1/config/sync-ns/greeting?environment=staging", ADMIN, "{\"value\":\"hi\"}");
        http.expect(201, "PUT", "/api/v1/config/sync-ns/password", ADMIN, "{\"value\":\"s3cret\",\"secret\":true}");
        http.expect(201, "PUT", "/api/v1/experiments/sync-exp", ADMIN, "{\"flag\":\"sync-other\",\"environment\":\"staging\","
                + "\"control\":\"a\",\"weights\":{\"a\":50,\"b\":50},\"metrics\":[{\"name\":\"converted\",\"kind\":\"proportion\"}],"
                + "\"primaryMetric\":\"converted\",\"minimumDetectableEffect\":0.05}");
        http.expect(200, "POST", "/api/v1/experiments/sync-exp/start", ADMIN, null);
        String sdk = http.token("sdk", "staging");

        long sequence = lastSequence();
        JsonNode document = sync(sdk, "");
        assertEquals("staging", document.path("environment").asText());
        assertEquals("the document is at the store's last sequence", sequence, document.path("version").asLong());
        for (String key : new String[] {"sync-flag", "sync-other"}) {
            assertEquals(http.expect(200, "GET", "/api/v1/flags/" + key, ADMIN, null),
                    byKey(document.path("flags"), "key", key));
        }
        assertEquals(http.expect(200, "GET", "/api/v1/segments/sync-beta", ADMIN, null),
                byKey(document.path("segments"), "key", "sync-beta"));
        assertEquals(http.expect(200, "GET", "/api/v1/environments/staging", ADMIN, null),
                byKey(document.path("environments"), "name", "staging"));
        JsonNode experiment = byKey(document.path("experiments"), "key", "sync-exp");
        assertEquals(http.expect(200, "GET", "/api/v1/experiments/sync-exp", ADMIN, null), experiment);
        assertEquals("running", experiment.path("status").asText());
        assertEquals("an experiment runs in one environment only", 0,
                sync(ADMIN, "?environment=production").path("experiments").size());

        JsonNode resolved = http.expect(200, "GET", "/api/v1/config/sync-ns", sdk, null);
        assertEquals("hi", document.path("config").path("sync-ns").path("greeting").asText());
        assertEquals("hello", sync(ADMIN, "?environment=production").path("config").path("sync-ns").path("greeting")
                .asText());
        assertEquals("secrets are masked as for sdk tokens", resolved.path("password").path("value"),
                document.path("config").path("sync-ns").path("password"));
        assertNotEquals("s3cret", document.path("config").path("sync-ns").path("password").asText());
    }

    @Test
    public void anETagAndGzipServeTheSameDocumentAndTheStreamResumesAtItsVersion() throws Exception {
        http.expect(201, "PUT", "/api/v1/flags/sync-etag", ADMIN, PLAIN);
        HttpResponse<String> first = http.send(http.request("GET", "/api/v1/sync", ADMIN, null));
        assertEquals(200, first.statusCode());
        long version = http.json(first).path("version").asLong();
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertEquals("\"sync-" + version + "\"", etag);
        assertEquals(304, http.send(http.request("GET", "/api/v1/sync", ADMIN, null).header("If-None-Match", etag))
                .statusCode());

        HttpResponse<byte[]> gzipped = HttpClient.newHttpClient().send(http.request("GET", "/api/v1/sync", ADMIN, null)
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse(""));
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertArrayEquals(first.body().getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }

        var stream = http.request("GET", "/api/v1/stream", ADMIN, null).timeout(Duration.ofSeconds(30))
                .header("Last-Event-ID", Long.toString(version));
        HttpResponse<InputStream> events = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(stream.build(), HttpResponse.BodyHandlers.ofInputStream());
        http.expect(200, "PUT", "/api/v1/flags/sync-etag", ADMIN, PLAIN.replace("\"B\"", "\"BB\""));
        List<Long> ids = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null && ids.isEmpty(); line = lines.readLine()) {
                if (line.startsWith("id:")) {
                    ids.add(Long.parseLong(line.substring(3).strip()));
                }
            }
        }
        HttpResponse<String> changed = http.send(http.request("GET", "/api/v1/sync", ADMIN, null)
                .header("If-None-Match", etag));
        assertEquals(200, changed.statusCode());
        long next = http.json(changed).path("version").asLong();
        assertEquals("the first event after the document's version is the change it lacks", List.of(next), ids);
        assertTrue(next > version);
        assertEquals("BB", byKey(http.json(changed).path("flags"), "key", "sync-etag").path("variants").path("b")
                .asText());
    }

    @Test
    public void sdkTokensReadTheirOwnEnvironmentOnly() {
        String sdk = http.token("sdk", "staging");
        http.assertError(http.send("GET", "/api/v1/sync?environment=production", sdk, null), 403, "FORBIDDEN");
        http.assertError(http.send("GET", "/api/v1/sync?environment=moon", ADMIN, null), 400, "UNKNOWN_ENVIRONMENT");
        http.assertError(http.send("GET", "/api/v1/sync", null, null), 401, "UNAUTHORIZED");
        assertEquals("production", sync(ADMIN, "").path("environment").asText());
    }
}
