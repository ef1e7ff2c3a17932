package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real server processes: an embedded server with flags written and rewritten at random, a deleted one, a secret
 * config value and a running experiment with 400 events is exported over {@code GET /api/v1/admin/export}; a server
 * on a new PostgreSQL database started with {@code --restore} answers every GET the same (the experiment's results
 * and their history, flags, environments, the config value decrypted with the copied key file, the audit trail with
 * its sequences) and writes on with the next sequence; its own export restored into a new embedded data directory
 * answers the same again.
 */
class BackupRestoreIT extends PostgresServers {
    /** The results first: the first read of new results records a history point, a write the audit trail shows. */
    private static final List<String> READS = List.of("/api/v1/experiments/exp-flag/results",
            "/api/v1/experiments/exp-flag/results/history", "/api/v1/flags", "/api/v1/environments",
            "/api/v1/config/payments/apiKey?environment=production", "/api/v1/audit?since=0&limit=1000");

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void embeddedToPostgresqlAndBackAnswersEveryReadTheSame() throws Exception {
        Path home = ServerProcess.distribution();
        Path dataA = Files.createDirectories(work.resolve("data-a"));
        Path first = work.resolve("embedded.jsonl");
        Map<String, String> before;
        long last;
        try (ServerProcess server = ServerProcess.start(home, dataA, work.resolve("a.log"), client)) {
            HttpDriver http = server.driver().awaitReady();
            Random random = new Random(10);
            for (int i = 0; i < 30; i++) {
                String key = "flag-" + random.nextInt(8);
                http.expect(i < 8 ? 201 : 200, "PUT", "/api/v1/flags/" + (i < 8 ? "flag-" + i : key), ADMIN,
                        "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\""
                                + (random.nextBoolean() ? "on" : "off") + "\"}");
            }
            http.expect(204, "DELETE", "/api/v1/flags/flag-3", ADMIN, null);
            http.expect(201, "PUT", "/api/v1/config/payments/apiKey?environment=production", ADMIN,
                    "{\"value\":\"sk-live-" + random.nextLong() + "\",\"secret\":true,"
                            + "\"reason\":\"rotate the key\"}");
            startExperimentWithEvents(http, random);
            before = reads(http);
            JsonNode records = http.expect(200, "GET", "/api/v1/audit?since=0&limit=1000", ADMIN, null)
                    .path("records");
            last = records.path(records.size() - 1).path("sequence").asLong();
            export(server, first);
        }
        assertTrue(Files.readString(first).contains(dataA.resolve("secrets.key").toString()));

        String url = newDatabase();
        Path dataB = Files.createDirectories(work.resolve("data-b"));
        Files.copy(dataA.resolve("secrets.key"), dataB.resolve("secrets.key"));
        Path second = work.resolve("postgresql.jsonl");
        try (ServerProcess server = ServerProcess.start(home, dataB, work.resolve("b.log"), client,
                Map.of("ENSIGN_STORE_PASSWORD", POSTGRES.cluster().password()), "--store", url,
                "--restore", first.toString())) {
            HttpDriver http = server.driver().awaitReady();
            assertEquals(before, reads(http));
            export(server, second);
            http.expect(201, "PUT", "/api/v1/flags/after-restore", ADMIN, FLAG);
            JsonNode next = http.expect(200, "GET", "/api/v1/audit?since=" + last, ADMIN, null);
            assertEquals(last + 1, next.path("records").path(0).path("sequence").asLong(), next.toString());
        }

        Path dataC = Files.createDirectories(work.resolve("data-c"));
        Files.copy(dataA.resolve("secrets.key"), dataC.resolve("secrets.key"));
        try (ServerProcess server = ServerProcess.start(home, dataC, work.resolve("c.log"), client, Map.of(),
                "--restore", second.toString())) {
            HttpDriver http = server.driver().awaitReady();
            assertEquals(before, reads(http));
        }
    }

    /** An experiment on a new flag in development, started, with 200 units' exposures and revenue. */
    private static void startExperimentWithEvents(HttpDriver http, Random random) {
        http.expect(201, "PUT", "/api/v1/flags/exp-flag", ADMIN,
                "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\"}");
        http.expect(201, "PUT", "/api/v1/experiments/exp-flag", ADMIN, "{\"flag\":\"exp-flag\","
                + "\"environment\":\"development\",\"control\":\"off\",\"weights\":{\"off\":50,\"on\":50},"
                + "\"metrics\":[{\"name\":\"revenue\",\"kind\":\"mean\"}],\"primaryMetric\":\"revenue\","
                + "\"minimumDetectableEffect\":0.01}");
        http.expect(200, "POST", "/api/v1/experiments/exp-flag/start", ADMIN, null);
        StringBuilder events = new StringBuilder("{\"events\":[");
        for (int unit = 0; unit < 200; unit++) {
            String variant = random.nextBoolean() ? "on" : "off";
            events.append(unit == 0 ? "" : ",").append("{\"id\":\"x").append(unit)
                    .append("\",\"type\":\"exposure\",\"experiment\":\"exp-flag\",\"unit\":\"u").append(unit)
                    .append("\",\"variant\":\"").append(variant).append("\",\"timestamp\":\"2026-12-01T10:00:00Z\"},")
                    .append("{\"id\":\"m").append(unit).append("\",\"type\":\"metric\",\"experiment\":\"exp-flag\",")
                    .append("\"metric\":\"revenue\",\"unit\":\"u").append(unit).append("\",\"value\":")
                    .append(random.nextInt(5000) / 100.0).append(",\"timestamp\":\"2026-12-01T10:05:00Z\"}");
        }
        JsonNode ingested = http.expect(202, "POST", "/api/v1/events", ADMIN, events.append("]}").toString());
        assertEquals(400, ingested.path("accepted").asLong(), ingested.toString());
    }

    /** Every read's body, by path. */
    private static Map<String, String> reads(HttpDriver http) {
        Map<String, String> bodies = new LinkedHashMap<>();
        for (String path : READS) {
            bodies.put(path, http.expect(200, "GET", path, ADMIN, null).toString());
        }
        return bodies;
    }

    private void export(ServerProcess server, Path file) throws Exception {
        HttpResponse<Path> response = client.send(HttpRequest.newBuilder(server.uri("/api/v1/admin/export"))
                .header("Authorization", "Bearer " + ADMIN).GET().build(), HttpResponse.BodyHandlers.ofFile(file));
        assertEquals(200, response.statusCode(), Files.readString(file));
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        assertTrue(lines.get(lines.size() - 1).startsWith("{\"end\":"), lines.get(lines.size() - 1));
    }
}
