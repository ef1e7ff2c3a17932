package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unleash's own client specification suite (npm {@code @unleash/client-specification}, installed by the build;
 * the directory of its files is the system property {@code unleash.specification}) as a team leaving Unleash would
 * try it: each file's state is imported over HTTP into the running server (the dry run first; then every feature it
 * accepts), and every test of the file is asked of Ensign's OFREP with the Unleash context as docs/migration.md maps
 * it. A test of an accepted feature passes when the answer equals the file's expected result (isEnabled as the
 * boolean value; getVariant as the variant and its payload); a test of a feature the dry run reports untranslatable
 * is counted as reported, and so is an isEnabled test of a feature imported as a flag of variants, which the
 * dry run notes answers getVariant only. None may be wrong, and every test ends as one or the other.
 */
class UnleashClientSpecificationIT {
    private static final String DISABLED = "disabled";
    private static final Set<String> KNOWN_FIELDS = Set.of("name", "state", "tests", "variantTests");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path work;

    /** One file's outcome. */
    private record Result(String file, int tests, int passed, int reported, List<String> wrong) {
    }

    @Test
    @Timeout(120)
    void everySpecificationTestPassesOrIsReported() throws Exception {
        Path specifications = Path.of(System.getProperty("unleash.specification",
                "../testing/unleash-client-specification/node_modules/@unleash/client-specification/specifications"));
        assertTrue(Files.isRegularFile(specifications.resolve("index.json")),
                "no specification suite at " + specifications.toAbsolutePath() + ": the itests build installs it");
        List<Result> results = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(work.resolve("data"), work.resolve("server.log"), http)) {
            HttpDriver api = server.driver();
            for (JsonNode name : mapper.readTree(specifications.resolve("index.json").toFile())) {
                results.add(run(api, name.asText(), mapper.readTree(specifications.resolve(name.asText()).toFile())));
            }
        }
        System.out.println("Unleash client specification " + version(specifications));
        System.out.printf("%-42s %6s %7s %9s %6s%n", "file", "tests", "passed", "reported", "wrong");
        int tests = 0;
        int passed = 0;
        int reported = 0;
        List<String> wrong = new ArrayList<>();
        for (Result r : results) {
            System.out.printf("%-42s %6d %7d %9d %6d%n", r.file(), r.tests(), r.passed(), r.reported(),
                    r.wrong().size());
            assertEquals(r.tests(), r.passed() + r.reported() + r.wrong().size(), r.file() + ": every test counted");
            tests += r.tests();
            passed += r.passed();
            reported += r.reported();
            wrong.addAll(r.wrong());
        }
        System.out.printf("%-42s %6d %7d %9d %6d%n", "all", tests, passed, reported, wrong.size());
        wrong.forEach(System.out::println);
        assertTrue(wrong.isEmpty(), wrong.size() + " answers differ from the specification:\n"
                + String.join("\n", wrong));
        assertTrue(passed > 0 && tests > 0, "the suite has tests and some pass");
    }

    private String version(Path specifications) throws Exception {
        return mapper.readTree(specifications.resolveSibling("package.json").toFile()).path("version").asText();
    }

    /** One file: its state imported (what translates), its tests asked, the imported flags deleted again. */
    private Result run(HttpDriver api, String file, JsonNode specification) throws Exception {
        String token = EnsignConfiguration.ADMIN_TOKEN;
        specification.fieldNames().forEachRemaining(field -> assertTrue(KNOWN_FIELDS.contains(field),
                file + ": a field this test does not read, which may hold tests it would skip: " + field));
        ObjectNode state = state(specification.path("state"));
        JsonNode dryRun = api.expect(200, "POST", "/api/v1/import?from=unleash&dryRun=true", token,
                mapper.writeValueAsString(state));
        Set<String> reported = new HashSet<>();
        Set<String> variantsOnly = new HashSet<>();
        Map<String, JsonNode> problems = new LinkedHashMap<>();
        for (JsonNode flag : dryRun.path("flags")) {
            if ("untranslatable".equals(flag.path("status").asText())) {
                reported.add(flag.path("key").asText());
                problems.put(flag.path("key").asText(), flag.path("problems"));
            } else if (flag.path("notes").toString().contains("not isEnabled")) {
                variantsOnly.add(flag.path("key").asText());
            }
        }
        ArrayNode accepted = mapper.createArrayNode();
        Set<String> known = new HashSet<>();
        for (JsonNode feature : state.path("features")) {
            known.add(feature.path("name").asText());
            if (!reported.contains(feature.path("name").asText())) {
                accepted.add(feature);
            }
        }
        state.set("features", accepted);
        if (!accepted.isEmpty()) {
            api.expect(201, "POST", "/api/v1/import?from=unleash", token, mapper.writeValueAsString(state));
        }
        problems.forEach((key, p) -> System.out.println(file + ": reported " + key + ": " + p));
        int tests = 0;
        int passed = 0;
        int countedReported = 0;
        List<String> wrong = new ArrayList<>();
        for (String kind : List.of("tests", "variantTests")) {
            for (JsonNode test : specification.path(kind)) {
                tests++;
                String toggle = test.path("toggleName").asText();
                if (reported.contains(toggle) || "tests".equals(kind) && variantsOnly.contains(toggle)) {
                    countedReported++;
                    continue;
                }
                HttpResponse<String> response = api.send("POST", "/ofrep/v1/evaluate/flags/"
                        + URLEncoder.encode(toggle, StandardCharsets.UTF_8), token,
                        mapper.writeValueAsString(mapper.createObjectNode().set("context", context(test))));
                JsonNode answer = mapper.readTree(response.body());
                String mismatch = "tests".equals(kind)
                        ? enabled(test.path("expectedResult"), response.statusCode(), answer, known.contains(toggle))
                        : variant(test.path("expectedResult"), response.statusCode(), answer, known.contains(toggle));
                if (mismatch == null) {
                    passed++;
                } else {
                    wrong.add(file + " '" + test.path("description").asText() + "' (" + toggle + ", context "
                            + test.path("context") + "): " + mismatch);
                }
            }
        }
        for (JsonNode feature : accepted) {
            api.expect(204, "DELETE", "/api/v1/flags/" + feature.path("name").asText(), token, null);
        }
        return new Result(file, tests, passed, countedReported, wrong);
    }

    /**
     * The file's state as the export the importer reads: the client API's features and segments as they are, or,
     * for the delta API's events, the features and segments they leave (hydration replaces everything, an update
     * replaces one object, a removal drops one), as a client applying them holds.
     */
    private ObjectNode state(JsonNode state) {
        if (!state.has("events")) {
            return state.deepCopy();
        }
        Map<String, JsonNode> features = new LinkedHashMap<>();
        Map<Long, JsonNode> segments = new LinkedHashMap<>();
        for (JsonNode event : state.path("events")) {
            switch (event.path("type").asText()) {
                case "hydration" -> {
                    features.clear();
                    segments.clear();
                    event.path("features").forEach(f -> features.put(f.path("name").asText(), f));
                    event.path("segments").forEach(s -> segments.put(s.path("id").asLong(), s));
                }
                case "feature-updated" -> features.put(event.path("feature").path("name").asText(),
                        event.path("feature"));
                case "feature-removed" -> features.remove(event.path("featureName").asText());
                case "segment-updated" -> segments.put(event.path("segment").path("id").asLong(),
                        event.path("segment"));
                case "segment-removed" -> segments.remove(event.path("segmentId").asLong());
                default -> throw new AssertionError("an event of an unknown type: " + event);
            }
        }
        ObjectNode export = mapper.createObjectNode();
        features.values().forEach(export.putArray("features")::add);
        segments.values().forEach(export.putArray("segments")::add);
        return export;
    }

    /**
     * The Unleash context as the OFREP context, as docs/migration.md maps it: {@code userId} is the targeting key,
     * the other fields ({@code sessionId}, {@code remoteAddress}, {@code environment}, {@code appName},
     * {@code currentTime}) and each of {@code properties} attributes of their own name.
     */
    private ObjectNode context(JsonNode test) {
        ObjectNode context = mapper.createObjectNode();
        test.path("context").fields().forEachRemaining(field -> {
            if ("userId".equals(field.getKey())) {
                context.set("targetingKey", field.getValue());
            } else if ("properties".equals(field.getKey())) {
                field.getValue().fields().forEachRemaining(p -> context.set(p.getKey(), p.getValue()));
            } else {
                context.set(field.getKey(), field.getValue());
            }
        });
        return context;
    }

    /**
     * isEnabled: a boolean flag's value (a flag of variants answers getVariant, and the dry run notes that an
     * isEnabled test of it is not what it answers: such tests are counted as reported). A feature the state lacks
     * is FLAG_NOT_FOUND, for which an OpenFeature caller gets its own default: false, what Unleash answers for it.
     */
    private static String enabled(JsonNode expected, int status, JsonNode answer, boolean known) {
        if (!known) {
            return status == 404 && !expected.asBoolean() ? null : "expected " + expected + ", answered " + answer;
        }
        JsonNode value = answer.path("value");
        return status == 200 && value.isBoolean() && value.asBoolean() == expected.asBoolean() ? null
                : "expected " + expected + ", answered " + status + " " + answer;
    }

    /**
     * getVariant: of a flag of variants, the variant's name, and its payload's value as the flag's value (the name
     * without payload). A feature without variants is a boolean flag, whose getVariant is {@code disabled} with
     * {@code feature_enabled} the flag's value.
     */
    private static String variant(JsonNode expected, int status, JsonNode answer, boolean known) {
        String name = expected.path("name").asText();
        if (!known) {
            return status == 404 && DISABLED.equals(name) ? null : "expected " + expected + ", answered " + answer;
        }
        JsonNode payload = expected.path("payload");
        String value = payload.isMissingNode() ? name : payload.path("value").asText();
        JsonNode answered = answer.path("value");
        boolean same = answered.isBoolean()
                ? DISABLED.equals(name) && answered.asBoolean() == expected.path("feature_enabled").asBoolean()
                : name.equals(answer.path("variant").asText()) && value.equals(answered.asText());
        return status == 200 && same ? null : "expected " + expected + ", answered " + status + " " + answer;
    }
}
