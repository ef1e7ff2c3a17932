package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import com.fasterxml.jackson.databind.JsonNode;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of the real server, read as Prometheus reads it: the text format parsed by an independent
 * parser of it (Hawkular's, from Maven Central; the server writes it with the Prometheus Java client). The counters
 * move by exactly the requests and evaluations the test makes, the HTTP histogram is labelled by route template and
 * never by raw path, event ingestion counts accepted, duplicate and rejected events, callers without the metrics
 * role get the documented 401/403 bodies, and an allow-list edited in conf/ turns away an address outside it.
 */
class MetricsIT {
    private static final String FLAG = "metrics-checkout";
    private static final String EVALUATE = "/ofrep/v1/evaluate/flags/";
    private static final String OFREP_ROUTE = "/ofrep/v1/evaluate/flags/{key}";
    private static final String EVALUATIONS = "ensign_evaluations_total";
    private static final String REQUESTS = "ensign_http_request_duration_seconds";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Kept when the test fails: the server's log is there. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void metricsCountExactlyWhatWasDoneAndOnlyTheMetricsRoleReadsThem() throws Exception {
        Path home = ServerProcess.copyOfDistribution(work.resolve("ensign"));
        try (ServerProcess server = ServerProcess.start(home, Files.createDirectories(work.resolve("data")),
                work.resolve("server.log"), client)) {
            HttpDriver http = server.driver().awaitReady();
            awaitMetricsBundle(http);
            http.expect(201, "PUT", "/api/v1/flags/" + FLAG, EnsignConfiguration.ADMIN_TOKEN,
                    "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\","
                            + "\"overrides\":{\"user-42\":\"on\"},\"rules\":[{\"conditions\":[{\"attribute\":"
                            + "\"country\",\"operator\":\"in\",\"values\":[\"NL\"]}],\"variant\":\"on\"}]}");
            String metrics = http.token("metrics", null);
            http.expect(201, "PUT", "/api/v1/flags/metrics-experiment-flag", EnsignConfiguration.ADMIN_TOKEN,
                    "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\"}");
            http.expect(201, "PUT", "/api/v1/experiments/metrics-experiment", EnsignConfiguration.ADMIN_TOKEN,
                    "{\"flag\":\"metrics-experiment-flag\",\"environment\":\"production\",\"control\":\"off\","
                            + "\"weights\":{\"off\":50,\"on\":50},\"metrics\":[{\"name\":\"converted\","
                            + "\"kind\":\"proportion\"}],\"primaryMetric\":\"converted\","
                            + "\"minimumDetectableEffect\":0.05}");
            http.expect(200, "POST", "/api/v1/experiments/metrics-experiment/start", EnsignConfiguration.ADMIN_TOKEN,
                    null);

            refusals(http);

            Map<String, MetricFamily> before = scrape(http, metrics);
            int overridden = 7;
            int matched = 4;
            int defaulted = 5;
            int unknown = 3;
            evaluate(http, FLAG, overridden, "\"targetingKey\":\"user-42\"", 200);
            evaluate(http, FLAG, matched, "\"targetingKey\":\"u\",\"country\":\"NL\"", 200);
            evaluate(http, FLAG, defaulted, "\"targetingKey\":\"u\",\"country\":\"FR\"", 200);
            evaluate(http, "no-such-flag", unknown, "\"targetingKey\":\"u\"", 404);
            http.expect(200, "PUT", "/api/v1/flags/" + FLAG, EnsignConfiguration.ADMIN_TOKEN,
                    "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\"}");
            JsonNode ingested = http.expect(202, "POST", "/api/v1/events", EnsignConfiguration.ADMIN_TOKEN,
                    "{\"events\":[" + exposure("e1", "u1") + "," + exposure("e2", "u2") + "," + exposure("e1", "u1")
                            + ",{\"id\":\"e3\",\"type\":\"exposure\"}]}");
            assertEquals("2 1 1", ingested.path("accepted").asInt() + " " + ingested.path("duplicates").asInt() + " "
                    + ingested.path("rejected").size(), ingested.toString());
            Map<String, MetricFamily> after = scrape(http, metrics);

            assertEquals(overridden + matched, delta(before, after, EVALUATIONS,
                    evaluation(FLAG, "on", "TARGETING_MATCH")), "the override's and the rule's matches");
            assertEquals(defaulted, delta(before, after, EVALUATIONS, evaluation(FLAG, "off", "DEFAULT")));
            assertEquals(unknown, delta(before, after, EVALUATIONS, evaluation("(unknown)", "", "ERROR")));
            assertEquals(overridden + matched + defaulted,
                    requests(after, "POST", OFREP_ROUTE, "200") - requests(before, "POST", OFREP_ROUTE, "200"));
            assertEquals(unknown, requests(after, "POST", OFREP_ROUTE, "404")
                    - requests(before, "POST", OFREP_ROUTE, "404"));
            assertEquals(1, requests(after, "GET", "/metrics", "200") - requests(before, "GET", "/metrics", "200"),
                    "the first scrape, recorded once it was answered");
            assertEquals(1, requests(after, "PUT", "/api/v1/flags/{key}", "200")
                    - requests(before, "PUT", "/api/v1/flags/{key}", "200"));
            for (Metric m : after.get(REQUESTS).getMetrics()) {
                assertFalse(m.getLabels().getOrDefault("route", "").contains(FLAG), "a raw path as route: " + m);
            }
            assertEquals(1, count(after, "ensign_store_commit_duration_seconds", Map.of())
                    - count(before, "ensign_store_commit_duration_seconds", Map.of()), "the flag write's commit");
            assertTrue(count(after, "ensign_snapshot_build_duration_seconds", Map.of())
                    > count(before, "ensign_snapshot_build_duration_seconds", Map.of()), "the write's snapshot");
            assertEquals(matched + defaulted, delta(before, after, "ensign_plugin_calls_total",
                    Map.of("plugin", "operator/in")), "the rule's operator, called by the evaluations that reached it");
            for (String[] result : new String[][] {{"accepted", "2"}, {"duplicate", "1"}, {"rejected", "1"}}) {
                assertEquals(Long.parseLong(result[1]), delta(before, after, "ensign_experiment_events_total",
                        Map.of("result", result[0])), "events " + result[0]);
            }
            assertTrue(after.containsKey("jvm_memory_used_bytes"), "JVM metrics: " + after.keySet());
            assertTrue(after.containsKey("ensign_audit_sink_lag_records"), "audit sink lag: " + after.keySet());

            HttpResponse<String> open = http.send(http.request("GET", "/metrics", metrics, null)
                    .header("Accept", "application/openmetrics-text; version=1.0.0"));
            assertEquals(200, open.statusCode());
            assertTrue(open.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
            assertTrue(open.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");

            allowList(home, http, metrics);
        }
    }

    /**
     * Waits until {@code /metrics} is served: {@code /health/ready} can answer 200 while the launcher is still starting
     * the bundles listed after ensign-http (their components are not known yet), ensign-metrics among them.
     */
    private static void awaitMetricsBundle(HttpDriver http) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (http.send("GET", "/metrics", EnsignConfiguration.ADMIN_TOKEN, null).statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "GET /metrics did not answer 200 within 60 s");
            Thread.sleep(100);
        }
    }

    /** No token: 401; a token of another role than metrics or admin: 403; both with the API's JSON error. */
    private static void refusals(HttpDriver http) {
        HttpResponse<String> anonymous = http.send("GET", "/metrics", null, null);
        http.assertError(anonymous, 401, "UNAUTHORIZED");
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        http.assertError(http.send("GET", "/metrics", "not-a-token", null), 401, "UNAUTHORIZED");
        http.assertError(http.send("GET", "/metrics", http.token("viewer", null), null), 403, "FORBIDDEN");
        http.assertError(http.send("GET", "/metrics", http.token("sdk", "production"), null), 403, "FORBIDDEN");
        http.assertError(http.send("GET", "/api/v1/flags", http.token("metrics", null), null), 403, "FORBIDDEN");
    }

    /** conf/io.ensign.metrics.config naming only another network turns this client away with 403, at once. */
    private static void allowList(Path home, HttpDriver http, String metrics) throws Exception {
        TlsIT.write(home.resolve("conf/io.ensign.metrics.config"), "allowedAddresses=[\"10.0.0.0/8\"]\n");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpResponse<String> response = http.send("GET", "/metrics", metrics, null);
        while (response.statusCode() == 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            response = http.send("GET", "/metrics", metrics, null);
        }
        assertTrue(http.assertError(response, 403, "FORBIDDEN").path("message").asText().contains("127.0.0.1"));
        TlsIT.write(home.resolve("conf/io.ensign.metrics.config"), "allowedAddresses=[\"127.0.0.0/8\"]\n");
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (response.statusCode() == 403 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            response = http.send("GET", "/metrics", metrics, null);
        }
        assertEquals(200, response.statusCode(), response.body());
    }

    private static String exposure(String id, String unit) {
        return "{\"id\":\"" + id + "\",\"type\":\"exposure\",\"experiment\":\"metrics-experiment\",\"unit\":\""
                + unit + "\",\"variant\":\"on\",\"timestamp\":\"2026-12-03T08:00:00Z\"}";
    }

    private static void evaluate(HttpDriver http, String flag, int times, String context, int status) {
        for (int i = 0; i < times; i++) {
            HttpResponse<String> response = http.send("POST", EVALUATE + flag, EnsignConfiguration.ADMIN_TOKEN,
                    "{\"context\":{" + context + "}}");
            assertEquals(status, response.statusCode(), response.body());
        }
    }

    private static Map<String, String> evaluation(String flag, String variant, String reason) {
        return Map.of("flag", flag, "environment", "production", "variant", variant, "reason", reason);
    }

    /** The metric families of one scrape in the Prometheus text format, by name. */
    private static Map<String, MetricFamily> scrape(HttpDriver http, String token) throws IOException {
        HttpResponse<String> response = http.send("GET", "/metrics", token, null);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                response.headers().toString());
        Map<String, MetricFamily> families = new HashMap<>();
        TextPrometheusMetricDataParser parser = new TextPrometheusMetricDataParser(
                new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8)));
        for (MetricFamily family = parser.parse(); family != null; family = parser.parse()) {
            families.put(family.getName(), family);
        }
        return families;
    }

    /** How much the counter with exactly these labels grew between two scrapes (absent counts as 0). */
    private static long delta(Map<String, MetricFamily> before, Map<String, MetricFamily> after, String name,
                              Map<String, String> labels) {
        return Math.round(counter(after, name, labels) - counter(before, name, labels));
    }

    private static double counter(Map<String, MetricFamily> families, String name, Map<String, String> labels) {
        return sum(families, name, labels, m -> ((Counter) m).getValue());
    }

    private static long requests(Map<String, MetricFamily> families, String method, String route, String status) {
        return count(families, REQUESTS, Map.of("method", method, "route", route, "status", status));
    }

    /** The observation count of the histogram with exactly these labels (absent: 0). */
    private static long count(Map<String, MetricFamily> families, String name, Map<String, String> labels) {
        return Math.round(sum(families, name, labels, m -> ((Histogram) m).getSampleCount()));
    }

    /** A value of the metric with exactly these labels in a family (absent: 0). */
    private static double sum(Map<String, MetricFamily> families, String name, Map<String, String> labels,
                              ToDoubleFunction<Metric> value) {
        MetricFamily family = families.get(name);
        return family == null ? 0 : family.getMetrics().stream().filter(m -> m.getLabels().equals(labels))
                .mapToDouble(value).sum();
    }
}
