package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.operator.EvaluationOperator;
import io.ensign.itests.plugins.HaltingOperator;
import io.ensign.itests.plugins.HostileActivators;
import io.ensign.itests.plugins.MatchAllOperator;
import io.ensign.itests.plugins.PluginJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins cannot take the real server down. Jars that end the process, bring native code, extend the framework,
 * carry a path or a server bundle's name as their name, or fail in their activator are refused over the API with 422
 * naming what is wrong, and moved to {@code deploy/quarantine/} when dropped into {@code deploy/} by hand; a jar whose component
 * kills the process in a way no check sees, or whose activator never returns, is quarantined by the next start. Through all
 * of it the server keeps evaluating over OFREP and restarts cleanly.
 */
class HostilePluginIT {
    private static final String FLAG = "hostile-check";
    private static final String JAR = "application/java-archive";
    private static final Duration SETTLE = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper mapper = new ObjectMapper();

    /** Kept when the test fails: the server's log is there. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void hostilePluginsNeverTakeTheServerDown() throws Exception {
        Path home = ServerProcess.copyOfDistribution(work.resolve("ensign"));
        Path deploy = home.resolve("deploy");
        Path quarantine = deploy.resolve("quarantine");
        Path jars = Files.createDirectories(work.resolve("jars"));
        Path data = Files.createDirectories(work.resolve("data"));
        Path log = work.resolve("server.log");

        Path exits = PluginJars.activator(jars.resolve("exits.jar"), "it.hostile.exits", HostileActivators.Exits.class);
        Path halts = PluginJars.activator(jars.resolve("halts.jar"), "it.hostile.halts", HostileActivators.Halts.class);
        Path throwing = PluginJars.activator(jars.resolve("throws.jar"), "it.hostile.throws",
                HostileActivators.Throws.class);
        Path extension = PluginJars.manifestOnly(jars.resolve("extension.jar"), "it.hostile.extension",
                Map.of("Fragment-Host", "system.bundle; extension:=framework"));
        Path good = PluginJars.write(jars.resolve("good.jar"), "it.hostile.good", "1.0.0", PluginJars.OPERATOR_IMPORTS,
                PluginJars.operator(MatchAllOperator.class, "it_hostile_match_all"));

        try (ServerProcess server = ServerProcess.start(home, data, log, http)) {
            createFlag(server);

            assertRefused(post(server, exits), null, "HostileActivators$Exits", "java.lang.System.exit");
            assertRefused(post(server, halts), null, "HostileActivators$Halts", "java.lang.Runtime.halt");
            assertRefused(post(server, extension), "Fragment-Host", "framework");
            assertRefused(post(server, PluginJars.manifestOnly(jars.resolve("native.jar"), "it.hostile.native",
                    Map.of("Bundle-NativeCode", "lib/libhostile.so; osname=Linux"))), "Bundle-NativeCode", "native code");
            assertRefused(post(server, PluginJars.manifestOnly(jars.resolve("felix-fragment.jar"), "it.hostile.felix",
                    Map.of("Fragment-Host", "org.apache.felix.framework"))), "Fragment-Host", "framework");

            assertEquals(201, post(server, good).statusCode(), "a harmless plugin is still installed");
            assertRefused(put(server, "it.hostile.good", PluginJars.manifestOnly(jars.resolve("good-extension.jar"),
                    "it.hostile.good", Map.of("Fragment-Host", "system.bundle"))), "Fragment-Host", "framework");

            for (String name : List.of("../../evil", "../conf/evil", "a/b", "x".repeat(300), "..", "a\u0000b")) {
                Path jar = PluginJars.manifestOnly(jars.resolve("named.jar"), name, Map.of());
                assertRefused(post(server, jar), "Bundle-SymbolicName", "Bundle-SymbolicName");
            }
            assertFalse(Files.exists(home.getParent().resolve("evil.jar")), "nothing was written outside the server");
            assertFalse(Files.exists(home.resolve("conf/evil.jar")), "nothing was written into conf/");

            for (String core : List.of("io.ensign.http", "ensign-http", "org.apache.felix.scr")) {
                Path jar = PluginJars.manifestOnly(jars.resolve("core.jar"), core, Map.of());
                assertRefused(post(server, jar), "Bundle-SymbolicName", "part of the server");
                assertRefused(put(server, core, jar), "symbolicName", "part of the server");
                assertRefused(send(server, "DELETE", "/api/v1/bundles/" + core, null, null), "symbolicName",
                        "part of the server");
            }

            HttpResponse<String> thrown = post(server, throwing);
            assertEquals(201, thrown.statusCode(), thrown.body());
            assertEquals("resolved", mapper.readTree(thrown.body()).path("state").asText(),
                    "a bundle whose activator throws is installed but not started: " + thrown.body());
            assertServes(server);

            for (Path hostile : List.of(exits, halts, extension,
                    PluginJars.manifestOnly(jars.resolve("core-by-hand.jar"), "ensign-http", Map.of()))) {
                drop(hostile, deploy);
            }
            for (String file : List.of("exits.jar", "halts.jar", "extension.jar", "core-by-hand.jar")) {
                await(() -> Files.exists(quarantine.resolve(file)) && !Files.exists(deploy.resolve(file)),
                        file + " is moved from deploy/ to deploy/quarantine/");
            }
            assertQuarantineAudited(server, "it.hostile.exits", "it.hostile.halts", "it.hostile.extension", "ensign-http");
            assertServes(server);

            drop(PluginJars.write(jars.resolve("reflective.jar"), "it.hostile.reflective", "1.0.0",
                    PluginJars.OPERATOR_IMPORTS, new PluginJars.Component(HaltingOperator.class,
                            EvaluationOperator.class, "it_hostile_halting", Map.of(), true)), deploy);
            assertTrue(server.exitsWithin(SETTLE), "a component that halts by reflection passes every check and ends "
                    + "the process as it starts (the case the safe start is for)");
        }

        try (ServerProcess second = ServerProcess.start(home, data, log, http)) {
            await(() -> Files.exists(quarantine.resolve("reflective.jar")) && !Files.exists(deploy.resolve(
                    "reflective.jar")), "the next start quarantines the jar");
            assertTrue(second.logText().contains("it.hostile.reflective"), "the quarantine is logged");
            assertQuarantineAudited(second, "it.hostile.reflective");
            assertServes(second);

            drop(PluginJars.activator(jars.resolve("spins.jar"), "it.hostile.spins", HostileActivators.Spins.class),
                    deploy);
            await(() -> "starting".equals(stateOf(second, "it.hostile.spins")), "the spinning bundle is starting");
            assertServes(second);
            second.kill();
        }

        try (ServerProcess third = ServerProcess.start(home, data, log, http)) {
            await(() -> Files.exists(quarantine.resolve("spins.jar")), "the next start quarantines the spinning jar");
            assertQuarantineAudited(third, "it.hostile.spins");
            assertServes(third);
            await(() -> "active".equals(stateOf(third, "it.hostile.good")), "the harmless plugin comes back");
            await(() -> "resolved".equals(stateOf(third, "it.hostile.throws")), "the throwing one is back, not started");
        }
    }

    private void createFlag(ServerProcess server) throws Exception {
        HttpResponse<String> put = send(server, "PUT", "/api/v1/flags/" + FLAG, "application/json",
                HttpRequest.BodyPublishers.ofString("{\"key\":\"" + FLAG + "\",\"type\":\"boolean\","
                        + "\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"on\"}"));
        assertEquals(201, put.statusCode(), put.body());
    }

    /** The server is ready and evaluates the test flag over OFREP. */
    private void assertServes(ServerProcess server) throws Exception {
        await(() -> status(server, "/health/ready") == 200, "/health/ready answers 200");
        HttpResponse<String> evaluated = send(server, "POST", "/ofrep/v1/evaluate/flags/" + FLAG, "application/json",
                HttpRequest.BodyPublishers.ofString("{\"context\":{\"targetingKey\":\"u1\"}}"));
        assertEquals(200, evaluated.statusCode(), evaluated.body());
        assertTrue(mapper.readTree(evaluated.body()).path("value").asBoolean(), evaluated.body());
    }

    private void assertRefused(HttpResponse<String> response, String field, String... messageParts)
            throws IOException {
        assertEquals(422, response.statusCode(), response.body());
        JsonNode error = mapper.readTree(response.body());
        assertEquals("INVALID_BUNDLE", error.path("error").asText(), response.body());
        for (String part : messageParts) {
            assertTrue(error.path("message").asText().contains(part), "'" + part + "' in " + response.body());
        }
        if (field != null) {
            assertEquals(field, error.path("field").asText(), response.body());
        }
    }

    private void assertQuarantineAudited(ServerProcess server, String... symbolicNames) throws Exception {
        for (String name : symbolicNames) {
            await(() -> quarantineRecords(server).contains(name), "the quarantine of " + name + " is audited");
        }
    }

    private List<String> quarantineRecords(ServerProcess server) {
        try {
            JsonNode records = mapper.readTree(send(server, "GET", "/api/v1/audit?limit=1000", null, null).body())
                    .path("records");
            return java.util.stream.StreamSupport.stream(records.spliterator(), false)
                    .filter(r -> "bundle".equals(r.path("kind").asText())
                            && "quarantine".equals(r.path("action").asText()))
                    .map(r -> r.path("key").asText()).toList();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private String stateOf(ServerProcess server, String symbolicName) {
        try {
            for (JsonNode bundle : mapper.readTree(send(server, "GET", "/api/v1/bundles", null, null).body())) {
                if (symbolicName.equals(bundle.path("symbolicName").asText())) {
                    return bundle.path("state").asText();
                }
            }
            return null;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Puts the jar into the directory in one step, as an operator's {@code mv} would. */
    private static void drop(Path jar, Path directory) throws IOException {
        Path staged = Files.copy(jar, directory.getParent().resolve(jar.getFileName() + ".part"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, directory.resolve(jar.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    private HttpResponse<String> post(ServerProcess server, Path jar) throws Exception {
        return send(server, "POST", "/api/v1/bundles", JAR, HttpRequest.BodyPublishers.ofFile(jar));
    }

    private HttpResponse<String> put(ServerProcess server, String symbolicName, Path jar) throws Exception {
        return send(server, "PUT", "/api/v1/bundles/" + symbolicName, JAR, HttpRequest.BodyPublishers.ofFile(jar));
    }

    private int status(ServerProcess server, String path) {
        try {
            return send(server, "GET", path, null, null).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private HttpResponse<String> send(ServerProcess server, String method, String path, String contentType,
                                      HttpRequest.BodyPublisher body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).timeout(SETTLE)
                .header("Authorization", "Bearer " + EnsignConfiguration.ADMIN_TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Eventually.await(SETTLE, condition, what);
    }
}
