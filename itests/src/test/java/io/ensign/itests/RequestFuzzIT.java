package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of mutated requests on every route of the real server, as an attacker would send them: the routes
 * come from the server's own OpenAPI document, each starts from a valid example against seeded objects of every
 * kind and is then mutated in its body, path keys, query, headers, credentials (every role) and method, all drawn
 * from one seeded RNG. After each request: no 5xx, no answer slower than linear work allows, every 4xx is the
 * documented JSON error (the OFREP shape on /ofrep), and the store's change log after the last known sequence is
 * empty for every refused request (for refused event batches, the experiment's results are unchanged too).
 *
 * <p>{@code -Dfuzz.seed=N} repeats a run, {@code -Dfuzz.requests=N} sizes it (default sized for CI). No JUnit
 * timeout: every request has its own, and failsafe's fork timeout bounds the class.
 */
class RequestFuzzIT {
    private static final String ADMIN = EnsignConfiguration.ADMIN_TOKEN;
    private static final int DEFAULT_REQUESTS = 2000;
    /** Any request is linear in a body of at most 1 MiB: far more than this on loopback is a finding. */
    private static final long SLOW_MILLIS = 5000;
    /** Kept after the run (the data directory is not): the stack trace of a 5xx is in there. */
    private static final Path LOG = Path.of("target", "RequestFuzzIT-server.log");
    private static final String[] METHODS = {"GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"};

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private final Map<String, List<Example>> examples = new TreeMap<>();
    private final Map<String, Finding> findings = new LinkedHashMap<>();
    private final Map<String, Integer> outcomes = new TreeMap<>();

    @TempDir
    Path work;
    private ServerProcess server;
    private long lastSequence;

    /** A valid request on one operation: path parameters, query and body (null: none). */
    private record Example(Map<String, List<String>> parameters, String query, JsonNode body) {
    }

    /** The first request that showed a kind of problem, and how many more did. */
    private static final class Finding {
        final String first;
        int count = 1;

        Finding(String first) {
            this.first = first;
        }
    }

    /** One request as sent, for the failure message and for reproduction. */
    private record Sent(int index, String method, String target, String credential, Map<String, String> headers,
                        String mutation, String body) {
        @Override
        public String toString() {
            return "#" + index + " " + method + " " + RequestMutator.abbreviate(target) + " as " + credential
                    + " headers " + headers + " [" + mutation + "] body "
                    + (body == null ? "none" : RequestMutator.abbreviate(body));
        }
    }

    @Test
    void mutatedRequestsOnEveryRouteGetNo5xxAndRefusedOnesChangeNothing() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int requests = Integer.getInteger("fuzz.requests", DEFAULT_REQUESTS);
        System.out.println("RequestFuzzIT: seed " + seed + ", " + requests + " requests (-Dfuzz.seed=" + seed + ")");
        try (ServerProcess started = ServerProcess.start(Files.createDirectories(work.resolve("data")), LOG, http)) {
            server = started;
            server.driver().awaitReady();
            seed();
            List<String[]> operations = operations();
            RequestMutator mutator = new RequestMutator(new Random(seed), mapper);
            lastSequence = changeLog().path("lastSequence").asLong();
            long started0 = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                fuzzOne(i, mutator, mutator.pick(operations));
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started0);
            System.out.println("RequestFuzzIT: seed " + seed + ", " + requests + " requests in " + seconds
                    + " s; outcomes " + outcomes);
            StringBuilder report = new StringBuilder();
            findings.forEach((kind, finding) -> report.append("\n- ").append(kind).append(" (x").append(finding.count)
                    .append("): ").append(finding.first));
            assertTrue(findings.isEmpty(), "seed " + seed + ": " + findings.size() + " kinds of finding:" + report
                    + "\nserver log: " + LOG.toAbsolutePath());
        }
    }

    /** The operations of the server's OpenAPI document, as {method, path template}. */
    private List<String[]> operations() throws IOException, InterruptedException {
        JsonNode openApi = mapper.readTree(send("GET", "/api/v1/openapi.json", null).body());
        List<String[]> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase(java.util.Locale.ROOT);
                if (List.of(METHODS).contains(method)) {
                    operations.add(new String[] {method, path.getKey()});
                }
            }
        }
        assertTrue(operations.size() >= 40, "the OpenAPI document lists the routes: " + operations.size());
        for (String[] operation : operations) {
            assertTrue(examples.containsKey(operation[0] + " " + operation[1]) || !operation[1].contains("{"),
                    "no example for " + operation[0] + " " + operation[1]);
        }
        return operations;
    }

    private void fuzzOne(int index, RequestMutator mutator, String[] operation) throws Exception {
        List<Example> known = examples.getOrDefault(operation[0] + " " + operation[1],
                List.of(new Example(Map.of(), "", null)));
        Example example = mutator.pick(known);
        String method = mutator.chance(8) ? mutator.pick(METHODS) : operation[0];
        String path = operation[1];
        for (Map.Entry<String, List<String>> parameter : example.parameters().entrySet()) {
            path = path.replace("{" + parameter.getKey() + "}",
                    RequestMutator.encodePath(mutator.key(mutator.pick(parameter.getValue()))));
        }
        List<String> queryNames = List.of("environment", "since", "limit", "from", "to", "lastEventId");
        String target = path + mutator.query(example.query(), queryNames);
        String body = null;
        String mutation = "valid";
        if (example.body() != null || mutator.chance(10)) {
            if (mutator.chance(85)) {
                RequestMutator.Body mutated = mutator.mutate(example.body());
                body = mutated.text();
                mutation = mutated.mutation();
            } else {
                body = example.body() == null ? "{}" : mapper.writeValueAsString(example.body());
            }
        }
        String credential = credential(mutator);
        Map<String, String> headers = new LinkedHashMap<>();
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        for (int i = 0, n = mutator.chance(40) ? 1 + mutator.nextInt(2) : 0; i < n; i++) {
            Map.Entry<String, String> header = mutator.header();
            headers.put(header.getKey(), header.getValue());
        }
        Sent sent = new Sent(index, method, target, credential, headers, mutation, body);
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(server.uri("/") + target.substring(1)))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            authorize(request, credential);
        } catch (IllegalArgumentException unsendable) {
            count("unsendable by java.net.http");
            return;
        }
        JsonNode resultsBefore = null;
        if (isEvents(operation)) {
            resultsBefore = results();
            // that read recorded a point of the results history if events came since the last one: not this request
            lastSequence = changeLog().path("lastSequence").asLong();
        }
        long before = System.nanoTime();
        HttpResponse<InputStream> response;
        String contentType;
        String text;
        try {
            response = sendAnswered(request);
            contentType = response.headers().firstValue("Content-Type").orElse("");
            try (InputStream in = response.body()) {
                // an accepted stream never ends: its head is the answer
                text = contentType.startsWith("text/event-stream") ? "" : new String(in.readAllBytes(),
                        StandardCharsets.UTF_8);
            }
        } catch (IOException noAnswer) {
            report("no answer: " + operation[0] + " " + operation[1], sent + " -> " + noAnswer);
            return;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        int status = response.statusCode();
        count(status / 100 + "xx");
        if (millis > SLOW_MILLIS) {
            report("slow: " + operation[0] + " " + operation[1], millis + " ms: " + sent);
        }
        checkResponse(operation, sent, response, contentType, text);
        JsonNode changes = changeLog();
        if (status >= 400 && status < 500) {
            if (changes.path("records").size() > 0) {
                report("refused but changed: " + operation[0] + " " + operation[1] + " " + status,
                        sent + " -> " + RequestMutator.abbreviate(text) + "; change log: "
                                + RequestMutator.abbreviate(changes.path("records").toString()));
            }
            if (resultsBefore != null && !resultsBefore.equals(results())) {
                report("refused but events counted: " + status, sent + " -> " + RequestMutator.abbreviate(text));
            }
        }
        lastSequence = Math.max(lastSequence, changes.path("lastSequence").asLong());
    }

    private void checkResponse(String[] operation, Sent sent, HttpResponse<?> response, String contentType,
                               String text) {
        int status = response.statusCode();
        String route = sent.method() + " " + operation[1];
        if (status >= 500 && !(operation[1].equals("/health/ready") && status == 503)) {
            report(status + ": " + route, sent + " -> " + RequestMutator.abbreviate(text));
            return;
        }
        if (status < 400 || sent.method().equals("HEAD")) {
            if (contentType.startsWith("application/json") && !text.isEmpty() && parse(text) == null) {
                report("not JSON " + status + ": " + route, sent + " -> " + RequestMutator.abbreviate(text));
            }
            return;
        }
        String problem = errorShapeProblem(operation[1].startsWith("/ofrep"), status, contentType, text, response);
        if (problem != null) {
            report("error shape " + status + ": " + route + ": " + problem, sent + " -> "
                    + RequestMutator.abbreviate(text));
        }
    }

    /** What is wrong with a 4xx answer, or null when it is the documented error. */
    private String errorShapeProblem(boolean ofrep, int status, String contentType, String text,
                                     HttpResponse<?> response) {
        if (!contentType.startsWith("application/json")) {
            return "Content-Type " + contentType;
        }
        JsonNode body = parse(text);
        if (body == null || !body.isObject()) {
            return "body not a JSON object";
        }
        count(status + " " + body.path("error").asText(body.path("errorCode").asText())
                + (body.has("field") ? " +field" : ""));
        if (status == 405 && response.headers().firstValue("Allow").isEmpty()) {
            return "405 without Allow";
        }
        if (status == 401 && response.headers().firstValue("WWW-Authenticate").isEmpty()) {
            return "401 without WWW-Authenticate";
        }
        if (ofrep && nonBlank(body, "errorCode") && body.path("errorDetails").isTextual()
                && (body.has("key") || nonBlank(body, "error"))) {
            return null;
        }
        if (ofrep) {
            return "no OFREP errorCode/errorDetails";
        }
        if (!nonBlank(body, "error") || !nonBlank(body, "message")) {
            return "no error/message";
        }
        if (body.has("field") && !body.path("field").isTextual()) {
            return "field not a string";
        }
        if (body.path("error").asText().equals("VALIDATION_FAILED")) {
            JsonNode violations = body.path("violations");
            if (!violations.isArray() || violations.isEmpty()) {
                return "VALIDATION_FAILED without violations";
            }
            for (JsonNode violation : violations) {
                if (!nonBlank(violation, "rule") || !violation.path("field").isTextual()
                        || !nonBlank(violation, "message")) {
                    return "violation without rule/field/message";
                }
            }
        }
        return null;
    }

    private static boolean nonBlank(JsonNode node, String field) {
        return node.path(field).isTextual() && !node.path(field).asText().isBlank();
    }

    private JsonNode parse(String text) {
        try {
            return mapper.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private void report(String kind, String detail) {
        Finding finding = findings.get(kind);
        if (finding == null) {
            findings.put(kind, new Finding(detail));
            System.out.println("RequestFuzzIT finding: " + kind + ": " + detail);
        } else {
            finding.count++;
        }
    }

    private void count(String outcome) {
        outcomes.merge(outcome, 1, Integer::sum);
    }

    /** Which credential a request carries: every role, none, and malformed ones. */
    private String credential(RequestMutator mutator) {
        int roll = mutator.nextInt(100);
        if (roll < 45) {
            return "admin";
        }
        if (roll < 85) {
            return mutator.pick(new String[] {"editor", "viewer", "sdk", "sdk-staging"});
        }
        return mutator.pick(new String[] {"none", "unknown", "lowercase-bearer", "basic", "empty-bearer", "twice",
            "admin-suffix", "admin-padding"});
    }

    private void authorize(HttpRequest.Builder request, String credential) {
        switch (credential) {
            case "none" -> { }
            case "unknown" -> request.header("Authorization", "Bearer ens_unknown0000");
            case "lowercase-bearer" -> request.header("Authorization", "bearer " + ADMIN);
            case "basic" -> request.header("Authorization", "Basic " + ADMIN);
            case "empty-bearer" -> request.header("Authorization", "Bearer");
            case "twice" -> request.header("Authorization", "Bearer " + ADMIN)
                    .header("Authorization", "Bearer " + tokens.get("viewer"));
            case "admin-suffix" -> request.header("Authorization", "Bearer " + ADMIN + "x");
            case "admin-padding" -> request.header("Authorization", "Bearer " + ADMIN + "==");
            default -> request.header("Authorization", "Bearer " + tokens.get(credential));
        }
    }

    private static boolean isEvents(String[] operation) {
        return operation[1].equals("/api/v1/events");
    }

    /** The running experiment's per-variant statistics: a refused event batch must leave them as they were. */
    private JsonNode results() throws IOException, InterruptedException {
        return mapper.readTree(send("GET", "/api/v1/experiments/exp/results", null).body()).path("variants");
    }

    /** The change log after the last known sequence: empty unless something was written since. */
    private JsonNode changeLog() throws IOException, InterruptedException {
        HttpResponse<String> audit = send("GET", "/api/v1/audit?since=" + lastSequence + "&limit=20", null);
        assertEquals(200, audit.statusCode(), audit.body());
        return mapper.readTree(audit.body());
    }

    /** A request of the harness itself (seeding, the change log after each mutated request), as admin. */
    private HttpResponse<String> send(String method, String path, String json) {
        return server.driver().send(method, path, ADMIN, json);
    }

    private JsonNode expect(int status, String method, String path, String json) throws Exception {
        HttpResponse<String> response = send(method, path, json);
        assertEquals(status, response.statusCode(), method + " " + path + ": " + response.body());
        return response.body().isEmpty() ? mapper.missingNode() : mapper.readTree(response.body());
    }

    /** Writes an object of every kind and records a valid example request for every operation. */
    private void seed() throws Exception {
        tokens.put("admin", ADMIN);
        for (String[] role : new String[][] {{"editor", null}, {"viewer", null}, {"sdk", "production"},
            {"sdk-staging", "staging"}}) {
            String body = "{\"name\":\"fuzz " + role[0] + "\",\"role\":\"" + role[0].replace("-staging", "") + "\""
                    + (role[1] == null ? "" : ",\"environment\":\"" + role[1] + "\"") + "}";
            tokens.put(role[0], expect(201, "POST", "/api/v1/tokens", body).path("token").asText());
        }
        String victim = expect(201, "POST", "/api/v1/tokens", "{\"name\":\"victim\",\"role\":\"viewer\"}")
                .path("id").asText();
        String segment = "{\"conditions\":[{\"attribute\":\"plan\",\"operator\":\"equals\",\"values\":[\"pro\"]}],"
                + "\"included\":[\"u1\"],\"excluded\":[\"u9\"]}";
        expect(201, "PUT", "/api/v1/segments/beta", segment);
        String flag = "{\"type\":\"boolean\",\"description\":\"new checkout\",\"enabled\":true,"
                + "\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\",\"overrides\":{\"user-42\":\"on\"},"
                + "\"rules\":[{\"name\":\"beta\",\"segment\":\"beta\",\"variant\":\"on\"},"
                + "{\"conditions\":[{\"attribute\":\"country\",\"operator\":\"in\",\"values\":[\"NL\",\"DE\"]},"
                + "{\"attribute\":\"version\",\"operator\":\"semver_gt\",\"values\":[\"1.2.0\"]}],"
                + "\"rollout\":{\"strategy\":\"hash\",\"weights\":{\"on\":20,\"off\":80},\"bucketBy\":\"targetingKey\"}}],"
                + "\"environments\":{\"staging\":{\"defaultVariant\":\"on\",\"overrides\":{\"user-7\":\"off\"}},"
                + "\"production\":{\"enabled\":false}}}";
        expect(201, "PUT", "/api/v1/flags/checkout", flag);
        String banner = "{\"type\":\"string\",\"variants\":{\"a\":\"alpha\",\"b\":\"beta\"},\"defaultVariant\":\"a\","
                + "\"rules\":[{\"conditions\":[{\"attribute\":\"email\",\"operator\":\"matches\",\"values\":[\"^.*@x\\\\.io$\"]}],"
                + "\"variant\":\"b\"}]}";
        expect(201, "PUT", "/api/v1/flags/banner", banner);
        expect(201, "PUT", "/api/v1/flags/limits", "{\"type\":\"object\",\"variants\":{\"small\":{\"max\":3},"
                + "\"big\":{\"max\":30,\"tags\":[\"x\"]}},\"defaultVariant\":\"small\"}");
        expect(201, "PUT", "/api/v1/flags/exp-flag", "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},"
                + "\"defaultVariant\":\"off\"}");
        String experiment = "{\"flag\":\"exp-flag\",\"environment\":\"production\",\"control\":\"off\","
                + "\"weights\":{\"off\":50,\"on\":50},\"metrics\":[{\"name\":\"converted\",\"kind\":\"proportion\"},"
                + "{\"name\":\"revenue\",\"kind\":\"mean\"}],\"primaryMetric\":\"converted\",\"alpha\":0.05,"
                + "\"power\":0.8,\"minimumDetectableEffect\":0.01,\"autoStop\":{\"enabled\":false}}";
        expect(201, "PUT", "/api/v1/experiments/exp", experiment);
        expect(200, "POST", "/api/v1/experiments/exp/start", null);
        expect(201, "PUT", "/api/v1/experiments/draft-exp", experiment);
        StringBuilder events = new StringBuilder("{\"events\":[");
        for (int unit = 0; unit < 20; unit++) {
            String variant = unit % 2 == 0 ? "on" : "off";
            events.append(unit == 0 ? "" : ",").append("{\"id\":\"x").append(unit).append("\",\"type\":\"exposure\","
                    + "\"experiment\":\"exp\",\"unit\":\"u").append(unit).append("\",\"variant\":\"").append(variant)
                    .append("\",\"timestamp\":\"2026-11-26T10:00:00Z\"},{\"id\":\"m").append(unit)
                    .append("\",\"type\":\"metric\",\"experiment\":\"exp\",\"metric\":\"revenue\",\"unit\":\"u")
                    .append(unit).append("\",\"value\":").append(unit * 1.5).append(",\"timestamp\":\"2026-11-26T10:01:00Z\"}");
        }
        JsonNode eventsBody = mapper.readTree(events.append("]}").toString());
        expect(202, "POST", "/api/v1/events", eventsBody.toString());
        expect(201, "PUT", "/api/v1/config/checkout/timeout", "{\"value\":1000,\"reason\":\"seed\"}");
        expect(201, "PUT", "/api/v1/config/checkout/timeout?environment=production", "{\"value\":250,\"reason\":\"seed\"}");
        expect(201, "PUT", "/api/v1/config/limits/rate", "{\"value\":10,\"schema\":{\"type\":\"integer\",\"minimum\":1}}");
        expect(201, "PUT", "/api/v1/config/secrets/db-password", "{\"value\":\"s3cr3t-Pa55\",\"secret\":true}");
        expect(200, "PUT", "/api/v1/config/checkout/timeout", "{\"value\":1200}");

        Map<String, List<String>> flagKey = Map.of("key", List.of("checkout", "banner", "limits", "exp-flag"));
        Map<String, List<String>> config = Map.of("namespace", List.of("checkout", "limits", "secrets"),
                "key", List.of("timeout", "rate", "db-password"));
        example("PUT /api/v1/environments/{name}", Map.of("name", List.of("staging", "qa")), "",
                "{\"name\":\"staging\",\"description\":\"pre-production\"}");
        example("DELETE /api/v1/tokens/{id}", Map.of("id", List.of(victim)), "", null);
        example("POST /api/v1/tokens", Map.of(), "", "{\"name\":\"fz\",\"role\":\"sdk\",\"environment\":\"staging\"}");
        for (String method : List.of("GET", "PUT", "DELETE")) {
            example(method + " /api/v1/flags/{key}", flagKey, "", method.equals("PUT") ? flag : null);
            example(method + " /api/v1/flags/{key}", flagKey, "", method.equals("PUT") ? banner : null);
            example(method + " /api/v1/segments/{key}", Map.of("key", List.of("beta")), "",
                    method.equals("PUT") ? segment : null);
            example(method + " /api/v1/experiments/{key}", Map.of("key", List.of("exp", "draft-exp")), "",
                    method.equals("PUT") ? experiment : null);
            example(method + " /api/v1/config/{namespace}/{key}", config, "?environment=production",
                    method.equals("PUT") ? "{\"value\":300,\"reason\":\"fuzz\"}" : null);
            example(method + " /api/v1/config/{namespace}/{key}", config, "",
                    method.equals("PUT") ? "{\"value\":{\"a\":[1,2]},\"schema\":{\"type\":\"object\"},"
                            + "\"allowTypeChange\":true}" : null);
        }
        example("GET /api/v1/environments/{name}", Map.of("name", List.of("staging")), "", null);
        example("PUT /api/v1/bundles/{symbolicName}", Map.of("symbolicName", List.of("fz.no.such.bundle")), "", "{}");
        example("DELETE /api/v1/bundles/{symbolicName}", Map.of("symbolicName", List.of("fz.no.such.bundle")), "",
                null);
        example("POST /api/v1/bundles", Map.of(), "", "{}");
        example("GET /api/v1/config/{namespace}", config, "?environment=staging", null);
        example("POST /api/v1/config/{namespace}/promote", config, "",
                "{\"from\":null,\"to\":\"staging\",\"key\":\"timeout\",\"reason\":\"fuzz\"}");
        example("GET /api/v1/config/{namespace}/{key}/history", config, "?environment=production", null);
        example("POST /api/v1/config/{namespace}/{key}/rollback", config, "", "{\"version\":1,\"reason\":\"fuzz\"}");
        example("GET /api/v1/config/{namespace}/{key}/diff", config, "?from=1&to=2", null);
        example("GET /api/v1/audit", Map.of(), "?since=1&limit=5", null);
        // Port 9 (discard) refuses on loopback: the subscription's deliveries fail and retry, which changes nothing.
        String webhook = "{\"url\":\"http://127.0.0.1:9/fuzz\",\"kinds\":[\"flag\",\"config\"],"
                + "\"environments\":[\"staging\"],\"secret\":{\"namespace\":\"secrets\",\"key\":\"db-password\"}}";
        String subscription = expect(201, "POST", "/api/v1/webhooks", webhook).path("id").asText();
        example("POST /api/v1/webhooks", Map.of(), "", webhook);
        // A day ahead, so that no scheduled change applies while the fuzzer compares states.
        String scheduled = "{\"at\":\"" + java.time.Instant.now().plus(java.time.Duration.ofDays(1)) + "\",\"action\":"
                + "{\"type\":\"rollout-weights\",\"flag\":\"checkout\",\"rule\":1,\"weights\":{\"on\":50,\"off\":50}},"
                + "\"reason\":\"ramp\"}";
        String schedule = expect(201, "POST", "/api/v1/schedules", scheduled).path("id").asText();
        example("POST /api/v1/schedules", Map.of(), "", scheduled);
        for (String method : List.of("GET", "DELETE")) {
            example(method + " /api/v1/schedules/{id}", Map.of("id", List.of(schedule)), "", null);
        }
        for (String method : List.of("GET", "DELETE")) {
            example(method + " /api/v1/webhooks/{id}", Map.of("id", List.of(subscription)), "", null);
        }
        example("GET /api/v1/stream", Map.of(), "?environment=staging", null);
        Map<String, List<String>> experimentKey = Map.of("key", List.of("exp", "draft-exp"));
        for (String action : List.of("start", "stop")) {
            example("POST /api/v1/experiments/{key}/" + action, experimentKey, "", null);
        }
        example("POST /api/v1/experiments/{key}/conclude", experimentKey, "", "{\"winner\":\"on\"}");
        example("GET /api/v1/experiments/{key}/results", experimentKey, "", null);
        example("GET /api/v1/experiments/{key}/results/history", experimentKey,
                "?since=2026-01-01T00:00:00Z&limit=5", null);
        example("POST /api/v1/events", Map.of(), "", eventsBody.toString().replace("\"x1\"", "\"y1\""));
        Map<String, List<String>> noParameters = Map.of();
        example("POST /api/v1/stats/{test}", Map.of("test", List.of("welch-t")), "", "{\"control\":{\"n\":100,"
                + "\"mean\":1.0,\"variance\":0.5},\"treatment\":{\"n\":120,\"mean\":1.2,\"variance\":0.6},\"alpha\":0.05}");
        example("POST /api/v1/stats/{test}", Map.of("test", List.of("two-proportion-z")), "",
                "{\"control\":{\"n\":1000,\"successes\":100},\"treatment\":{\"n\":1000,\"successes\":130}}");
        example("POST /api/v1/stats/{test}", Map.of("test", List.of("srm-chi-square")), "",
                "{\"observed\":[510,490],\"weights\":[50,50]}");
        example("POST /api/v1/stats/{test}", Map.of("test", List.of("sample-size")), "",
                "{\"baselineRate\":0.1,\"minimumDetectableEffect\":0.02,\"alpha\":0.05,\"power\":0.8}");
        String context = "{\"context\":{\"targetingKey\":\"u1\",\"country\":\"NL\",\"plan\":\"pro\","
                + "\"version\":\"1.3.0\",\"email\":\"a@x.io\"}}";
        example("POST /ofrep/v1/evaluate/flags/{key}", flagKey, "?environment=staging", context);
        example("POST /ofrep/v1/evaluate/flags", noParameters, "", context);
    }

    private void example(String operation, Map<String, List<String>> parameters, String query, String body)
            throws IOException {
        examples.computeIfAbsent(operation, k -> new ArrayList<>())
                .add(new Example(parameters, query, body == null ? null : mapper.readTree(body)));
    }

    /**
     * Sends the request, and once more when the connection it went out on closed before a byte of the answer: a
     * server that refuses a request before reading its body (413, 401, 403) closes the connection, and the reset that
     * the unread body causes can discard the answer in the client's buffers. Such a retry is counted; a second
     * silence is a finding. (A lingering close that drains the refused body would keep the first answer.)
     */
    private HttpResponse<InputStream> sendAnswered(HttpRequest.Builder request) throws IOException, InterruptedException {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException closed) {
            if (!String.valueOf(closed.getMessage()).contains("received no bytes")) {
                throw closed;
            }
            count("sent again: the connection closed before its answer");
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        }
    }
}
