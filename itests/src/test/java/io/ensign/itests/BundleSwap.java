package io.ensign.itests;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The life of a plugin bundle under load, as the hot-swap tests drive it through the API: version 1 serving,
 * replaced in place by version 2, removed for a while, then version 1 installed again. Meanwhile several threads send
 * requests back to back; each result is kept with the time its request started, so a test can check what was served
 * in each phase.
 */
public final class BundleSwap {
    private static final String ADMIN = EnsignConfiguration.ADMIN_TOKEN;
    /** How long each version serves before the next step; new behaviour must show within the first second. */
    private static final long PHASE_MILLIS = 1_500;

    /** One request's result and the time it was sent. */
    public record Sample<T>(long at, T result) {
    }

    /** What the test checks at two moments: right after the removal, and at the end of the absence. */
    public interface Checks {
        void removed() throws Exception;

        void absent() throws Exception;
    }

    /** When a step's request was sent and when its response came: the change happened in between. */
    public record Step(long sent, long done) {
    }

    /**
     * When each step happened and what was seen.
     *
     * @param updatedVersion the version the update reported
     * @param failures       requests that got no response at all (the exception's text)
     */
    public record Run<T>(Step update, String updatedVersion, Step removal, Step reinstall, List<Sample<T>> samples,
                         List<String> failures) {
        /** The results of requests sent in [from, to). */
        public List<T> between(long from, long to) {
            return samples.stream().filter(s -> s.at() >= from && s.at() < to).map(Sample::result).toList();
        }

        /** The results of requests sent in [from, to) that do not satisfy {@code expected}. */
        public List<T> unexpected(long from, long to, Predicate<T> expected) {
            return between(from, to).stream().filter(expected.negate()).toList();
        }

        /** Every result. */
        public List<T> results() {
            return between(Long.MIN_VALUE, Long.MAX_VALUE);
        }
    }

    private BundleSwap() {
    }

    /** The entry of GET /api/v1/plugins for the plugin {@code name}. */
    public static JsonNode plugin(HttpDriver http, String name) {
        JsonNode plugins = http.expect(200, "GET", "/api/v1/plugins", ADMIN, null);
        for (JsonNode p : plugins) {
            if (name.equals(p.path("name").asText())) {
                return p;
            }
        }
        throw new AssertionError("no plugin " + name + " in " + plugins);
    }

    /** Asserts that GET /api/v1/plugins lists the plugin in its grace period, with the version and bundle it had. */
    public static void assertListedInGrace(HttpDriver http, String kind, String name, String version, String bundle) {
        JsonNode listed = plugin(http, name);
        assertEquals(listed.toString(), List.of(kind, version, bundle, "grace"), List.of(listed.path("kind").asText(),
                listed.path("version").asText(), listed.path("bundle").asText(), listed.path("state").asText()));
    }

    /**
     * Sends a request that changes nothing (an evaluation, a calculation), and once more when its kept-alive
     * connection was closed before one byte of an answer came back — what HTTP clients do for such requests; the
     * retry is printed, so a run shows how often it happened.
     */
    public static HttpResponse<String> readOnly(Supplier<HttpResponse<String>> send) {
        try {
            return send.get();
        } catch (UncheckedIOException e) {
            if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
                throw e;
            }
            System.out.println("BundleSwap: a read-only request sent again after " + e.getMessage());
            return send.get();
        }
    }

    /**
     * Runs the swap of {@code symbolicName} (version 1 installed already) while {@code threads} threads call
     * {@code request} with a number unique to each call.
     *
     * @param absentMillis how long the bundle stays removed
     */
    public static <T> Run<T> run(HttpDriver http, String symbolicName, Path v1, Path v2, long absentMillis,
                                 int threads, IntFunction<T> request, Checks checks) throws Exception {
        ConcurrentLinkedQueue<Sample<T>> samples = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger numbers = new AtomicInteger();
        List<Thread> load = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    long at = System.currentTimeMillis();
                    try {
                        samples.add(new Sample<>(at, request.apply(numbers.incrementAndGet())));
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                    }
                }
            }, "it-load-" + i);
            t.start();
            load.add(t);
        }
        try {
            Thread.sleep(500);
            long sent = System.currentTimeMillis();
            HttpResponse<String> updated = http.sendJar("PUT", "/api/v1/bundles/" + symbolicName, ADMIN, v2);
            Step update = new Step(sent, System.currentTimeMillis());
            assertEquals(updated.body(), 200, updated.statusCode());
            Thread.sleep(PHASE_MILLIS);

            sent = System.currentTimeMillis();
            assertEquals(204, http.send("DELETE", "/api/v1/bundles/" + symbolicName, ADMIN, null).statusCode());
            Step removal = new Step(sent, System.currentTimeMillis());
            checks.removed();
            Thread.sleep(Math.max(0, removal.done() + absentMillis - System.currentTimeMillis()));
            checks.absent();

            sent = System.currentTimeMillis();
            HttpResponse<String> reinstalled = http.sendJar("POST", "/api/v1/bundles", ADMIN, v1);
            Step reinstall = new Step(sent, System.currentTimeMillis());
            assertEquals(reinstalled.body(), 201, reinstalled.statusCode());
            Thread.sleep(PHASE_MILLIS);
            running.set(false);
            for (Thread t : load) {
                t.join();
            }
            return new Run<>(update, http.json(updated).path("version").asText(), removal, reinstall,
                    List.copyOf(samples), List.copyOf(failures));
        } finally {
            running.set(false);
        }
    }
}
