package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server's OFREP answers validate against the protocol's own OpenAPI document (open-feature/protocol
 * {@code service/openapi.yaml} at {@value #SPEC_COMMIT}, in test resources): for every status a request can get,
 * the body is checked against the schema the document gives for that operation and status. The cases cover every
 * reason and value type, the failures, and the bulk answer's {@code eventStreams}, which the test then follows
 * without a token to receive a {@code refetchEvaluation} notification as the document's {@code sseEventData}
 * describes it.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class OfrepSpecConformanceIT {
    static final String SPEC_COMMIT = "d1a63a4e84e6297599ce566126e7764c1419f80a";
    private static final String SPEC_URI = "https://ofrep.invalid/openapi.json";
    private static final String SINGLE = "/ofrep/v1/evaluate/flags/{key}";
    private static final String BULK = "/ofrep/v1/evaluate/flags";
    private static final String TOKEN = EnsignConfiguration.ADMIN_TOKEN;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    private static ServerProcess server;
    private static JsonNode spec;
    private static SchemaRegistry schemas;

    private static final Map<String, String> FLAGS = new LinkedHashMap<>();

    static {
        FLAGS.put("static-string", "{\"type\":\"string\",\"variants\":{\"a\":\"A\"},\"defaultVariant\":\"a\"}");
        FLAGS.put("targeted-int", "{\"type\":\"number\",\"variants\":{\"low\":3,\"high\":1000},\"defaultVariant\":\"low\","
                + "\"overrides\":{\"vip\":\"high\"},\"rules\":[{\"conditions\":[{\"attribute\":\"plan\",\"operator\":"
                + "\"equals\",\"values\":[\"pro\"]}],\"variant\":\"high\"}]}");
        FLAGS.put("split-float", "{\"type\":\"number\",\"variants\":{\"x\":0.25,\"y\":2.5},\"defaultVariant\":\"x\","
                + "\"rules\":[{\"rollout\":{\"weights\":{\"x\":50,\"y\":50}}}]}");
        FLAGS.put("off-boolean", "{\"type\":\"boolean\",\"enabled\":false,\"variants\":{\"on\":true,\"off\":false},"
                + "\"defaultVariant\":\"off\"}");
        FLAGS.put("default-object", "{\"type\":\"object\",\"variants\":{\"plain\":{\"theme\":\"light\"},"
                + "\"dark\":{\"theme\":\"dark\",\"contrast\":2}},\"defaultVariant\":\"plain\",\"rules\":[{\"conditions\":"
                + "[{\"attribute\":\"country\",\"operator\":\"in\",\"values\":[\"NL\"]}],\"variant\":\"dark\"}]}");
    }

    @BeforeAll
    static void start() throws Exception {
        try (InputStream in = OfrepSpecConformanceIT.class.getResourceAsStream("/ofrep/openapi.yaml")) {
            spec = new YAMLMapper().readTree(in);
        }
        assertEquals("0.3.0", spec.path("info").path("version").asText(), "the spec file of commit " + SPEC_COMMIT);
        String specJson = JSON.writeValueAsString(asIntended(spec.deepCopy()));
        schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemas(Map.of(SPEC_URI, specJson)));
        server = ServerProcess.start(Files.createDirectories(work.resolve("data")), work.resolve("server.log"), HTTP);
        server.driver().awaitReady();
        for (Map.Entry<String, String> flag : FLAGS.entrySet()) {
            assertEquals(201, send("PUT", "/api/v1/flags/" + flag.getKey(), flag.getValue()).statusCode());
        }
    }

    /**
     * The document's {@code evaluationSuccess} cannot be met as written: its {@code oneOf} of value shapes holds
     * {@code codeDefaultFlag}, which every object matches, and {@code integerFlag} and {@code floatFlag}, which every
     * whole number matches, so no answer with a value has exactly one match (its own examples included). It is read
     * as its descriptions say: a value of one of the five types, or no value at all (a code default). Nothing else
     * of the document changes.
     */
    static JsonNode asIntended(JsonNode document) {
        ObjectNode schemas = (ObjectNode) document.path("components").path("schemas");
        ObjectNode codeDefault = (ObjectNode) schemas.path("codeDefaultFlag");
        codeDefault.set("not", JSON.createObjectNode().set("required", JSON.createArrayNode().add("value")));
        for (JsonNode part : schemas.path("evaluationSuccess").path("allOf")) {
            if (part.has("oneOf")) {
                ((ObjectNode) part).set("anyOf", ((ObjectNode) part).remove("oneOf"));
            }
        }
        return document;
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The schema the spec gives for an operation's status, by following its {@code $ref}s. */
    private static Schema responseSchema(String path, int status) {
        JsonNode response = spec.path("paths").path(path).path("post").path("responses").path(Integer.toString(status));
        assertFalse(response.isMissingNode(), "the spec has no " + status + " for " + path);
        String ref = response.path("content").path("application/json").path("schema").path("$ref").asText();
        assertTrue(ref.startsWith("#/"), "a JSON body is specified for " + status + " of " + path);
        return schema(ref);
    }

    private static Schema schema(String ref) {
        return schemas.getSchema(SchemaLocation.of(SPEC_URI + ref));
    }

    /** Posts, then checks the status and that the body validates against the spec's schema for it. */
    private static JsonNode conforming(String specPath, String path, String body, int status) throws Exception {
        HttpResponse<String> response = send("POST", path, body);
        assertEquals(status, response.statusCode(), path + " " + body + " -> " + response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode json = JSON.readTree(response.body());
        List<Error> errors = responseSchema(specPath, status).validate(json);
        assertEquals(List.of(), errors, path + " " + body + " answered " + json);
        return json;
    }

    private static JsonNode single(String key, String context, int status) throws Exception {
        return conforming(SINGLE, "/ofrep/v1/evaluate/flags/" + key, "{\"context\":" + context + "}", status);
    }

    @Test
    void everyReasonAndTypeOfASingleEvaluationValidates() throws Exception {
        JsonNode plain = single("static-string", "{\"targetingKey\":\"u1\"}", 200);
        assertEquals("UNKNOWN", plain.path("reason").asText(), "the spec has no DEFAULT");
        assertEquals("DEFAULT", plain.path("metadata").path("ensignReason").asText());
        JsonNode vip = single("targeted-int", "{\"targetingKey\":\"vip\"}", 200);
        assertEquals("TARGETING_MATCH", vip.path("reason").asText());
        assertTrue(vip.path("value").isIntegralNumber(), vip.toString());
        assertEquals("TARGETING_MATCH", single("targeted-int", "{\"targetingKey\":\"u1\",\"plan\":\"pro\"}", 200)
                .path("reason").asText());
        JsonNode split = single("split-float", "{\"targetingKey\":\"u1\"}", 200);
        assertEquals("SPLIT", split.path("reason").asText());
        assertTrue(split.path("value").isFloatingPointNumber(), split.toString());
        assertEquals("DISABLED", single("off-boolean", "{\"targetingKey\":\"u1\"}", 200).path("reason").asText());
        JsonNode dark = single("default-object", "{\"targetingKey\":\"u1\",\"country\":\"NL\"}", 200);
        assertEquals("dark", dark.path("value").path("theme").asText());

        JsonNode fellThrough = single("default-object", "{\"targetingKey\":\"u1\",\"country\":\"FR\"}", 200);
        assertEquals("UNKNOWN", fellThrough.path("reason").asText(), "the spec has no DEFAULT");
        assertEquals("DEFAULT", fellThrough.path("metadata").path("ensignReason").asText());
        assertEquals("plain", fellThrough.path("variant").asText());
    }

    @Test
    void failuresHaveTheShapesTheSpecGivesTheirStatus() throws Exception {
        JsonNode keyless = single("split-float", "{}", 400);
        assertEquals("TARGETING_KEY_MISSING", keyless.path("errorCode").asText());
        assertEquals("split-float", keyless.path("key").asText());
        assertEquals("A", single("static-string", "{}", 200).path("value").asText(),
                "a flag that needs no targeting key evaluates without one");
        assertEquals("FLAG_NOT_FOUND", single("no-such-flag", "{\"targetingKey\":\"u1\"}", 404)
                .path("errorCode").asText());
        assertEquals("INVALID_CONTEXT", single("static-string", "[1]", 400).path("errorCode").asText());
        for (String body : new String[] {"{}", "{\"targetingKey\":\"u1\"}"}) {
            JsonNode noContext = conforming(SINGLE, "/ofrep/v1/evaluate/flags/static-string", body, 400);
            assertEquals("INVALID_CONTEXT", noContext.path("errorCode").asText(), "the spec requires the context");
            assertEquals("INVALID_CONTEXT", conforming(BULK, BULK, body, 400).path("errorCode").asText());
        }
        assertEquals("PARSE_ERROR", conforming(SINGLE, "/ofrep/v1/evaluate/flags/static-string", "{\"context\":", 400)
                .path("errorCode").asText());
        assertEquals("PARSE_ERROR", conforming(BULK, BULK, "{\"context\":", 400).path("errorCode").asText());
    }

    @Test
    void theBulkAnswerValidatesAndItsEventStreamNotifiesEveryChange() throws Exception {
        JsonNode bulk = conforming(BULK, BULK + "?flagConfigEtag=x&flagConfigLastModified=1771622898",
                "{\"context\":{\"country\":\"NL\"}}", 200);
        Map<String, String> outcomes = new LinkedHashMap<>();
        bulk.path("flags").forEach(f -> outcomes.put(f.path("key").asText(),
                f.has("errorCode") ? f.path("errorCode").asText() : f.path("reason").asText()));
        assertEquals("TARGETING_KEY_MISSING", outcomes.get("split-float"), outcomes.toString());
        assertEquals("TARGETING_MATCH", outcomes.get("default-object"), outcomes.toString());
        JsonNode stream = bulk.path("eventStreams").path(0);
        assertEquals("sse", stream.path("type").asText(), bulk.toString());
        String requestUri = stream.path("endpoint").path("requestUri").asText();

        HttpResponse<InputStream> forged = HTTP.send(HttpRequest.newBuilder(server.uri(
                requestUri.replaceAll("ticket=[^&]*", "ticket=tok_x.bad"))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(401, forged.statusCode(), "a ticket is checked");
        forged.body().close();

        // The provider builds the URL from its OFREP origin and requestUri, and sends no Authorization header.
        HttpResponse<InputStream> events = HTTP.send(HttpRequest.newBuilder(URI.create(server.uri("/").toString()
                .replaceAll("/$", "") + requestUri)).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, events.statusCode());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
            long before = System.currentTimeMillis() / 1000;
            assertEquals(200, send("PUT", "/api/v1/flags/static-string", FLAGS.get("static-string")
                    .replace("\"A\"", "\"B\"")).statusCode());
            List<String> event = nextEvent(reader);
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : event) {
                fields.merge(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1).strip(),
                        (a, b) -> a + "\n" + b);
            }
            JsonNode sse = JSON.valueToTree(fields);
            assertEquals(List.of(), schema("#/components/schemas/sseEvent").validate(sse), event.toString());
            assertEquals("message", fields.get("event"));
            JsonNode data = JSON.readTree(fields.get("data"));
            assertEquals(List.of(), schema("#/components/schemas/sseEventData").validate(data), data.toString());
            assertEquals("refetchEvaluation", data.path("type").asText());
            assertTrue(Math.abs(data.path("lastModified").asLong() - before) <= 5, data.toString());
            assertTrue(Long.parseLong(fields.get("id")) > 0, "ids resume with Last-Event-ID");
        }
    }

    /** The field lines of the next event on the stream, comments and the retry hint skipped. */
    private static List<String> nextEvent(BufferedReader reader) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isEmpty()) {
                if (lines.stream().anyMatch(l -> l.startsWith("data:"))) {
                    return lines;
                }
                lines.clear();
            } else if (!line.startsWith(":") && !line.startsWith("retry:")) {
                lines.add(line);
            }
        }
        throw new IOException("the stream ended before an event: " + lines);
    }
}
