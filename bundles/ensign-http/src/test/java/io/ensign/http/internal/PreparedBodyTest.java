package io.ensign.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;

import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Permission;
import io.ensign.api.http.PreparedBody;
import io.ensign.api.http.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A prepared body is served as made: plain or gzipped as the request accepts, under its ETag, 304 when matched. */
class PreparedBodyTest {
    private final AtomicReference<PreparedBody> served = new AtomicReference<>();
    private ApiHarness api;

    @BeforeEach
    void start() throws Exception {
        api = ApiHarness.start();
        api.add(new ApiResource() {
            @Override
            public java.net.URL openApi() {
                return null;
            }

            @Override
            public List<Route> routes() {
                return List.of(Route.get("/api/v1/test-prepared", Permission.PUBLIC, call -> call.respondPrepared(served.get())));
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void theBodyIsSentPlainOrGzippedAsAcceptedAndNotAgainWhenTheETagMatches() throws Exception {
        byte[] json = ("{\"items\":[" + "1,".repeat(5000) + "1]}").getBytes(StandardCharsets.UTF_8);
        PreparedBody body = PreparedBody.of(json, "\"v-7\"");
        served.set(body);
        assertSame(json, body.json(), "made once, never copied");

        HttpResponse<byte[]> plain = get(null, null);
        assertEquals(200, plain.statusCode());
        assertArrayEquals(json, plain.body());
        assertEquals("\"v-7\"", plain.headers().firstValue("ETag").orElseThrow());
        assertFalse(plain.headers().firstValue("Content-Encoding").isPresent());

        for (String accepted : new String[] {"gzip", "deflate, gzip;q=0.8", "*", "br, GZIP"}) {
            HttpResponse<byte[]> gzipped = get(accepted, null);
            assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse(""), accepted);
            assertTrue(gzipped.body().length < json.length / 10, accepted);
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
                assertArrayEquals(json, in.readAllBytes(), accepted);
            }
        }
        for (String refused : new String[] {"gzip;q=0", "identity", "deflate", "gzip; q=0.000"}) {
            assertArrayEquals(json, get(refused, null).body(), refused);
        }

        HttpResponse<byte[]> unchanged = get("gzip", "\"v-7\"");
        assertEquals(304, unchanged.statusCode());
        assertEquals(0, unchanged.body().length);
        assertEquals(200, get(null, "\"v-6\"").statusCode());
    }

    @Test
    void anETagMustBeStrongAndQuoted() {
        for (String bad : new String[] {null, "v1", "W/\"v1\"", "\""}) {
            assertThrows(IllegalArgumentException.class, () -> PreparedBody.of(new byte[0], bad), bad);
        }
    }

    private HttpResponse<byte[]> get(String acceptEncoding, String ifNoneMatch) throws Exception {
        var request = api.request("GET", "/api/v1/test-prepared", null, null);
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
