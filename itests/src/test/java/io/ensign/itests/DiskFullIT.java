package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server on a real full device: its data directory on a 64 MiB tmpfs (mounting needs root, which CI
 * has; elsewhere the test is skipped), filled up by a file while the server runs. Writes are refused with 507
 * and the documented JSON error, readiness says the store is down and why, evaluation keeps serving, nothing
 * acknowledged is lost, and once the file is gone the server takes writes again by itself within seconds.
 */
class DiskFullIT {
    private static final String ADMIN = EnsignConfiguration.ADMIN_TOKEN;
    private static final String FLAG = "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},"
            + "\"defaultVariant\":\"on\"}";
    private static final Duration RECOVERY = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path work;
    private Path mount;

    @BeforeEach
    void mountTmpfs() throws Exception {
        mount = Files.createDirectories(work.resolve("small"));
        Process mounting = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        assumeTrue(mounting.waitFor() == 0, "mounting a tmpfs needs root: "
                + new String(mounting.getInputStream().readAllBytes()));
    }

    @AfterEach
    void unmount() throws Exception {
        // Not the test JVM's own streams: its standard input and output are the test runner's channel.
        Process umount = new ProcessBuilder("umount", "-l", mount.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        umount.getOutputStream().close();
        umount.waitFor();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aFullDiskRefusesWritesWith507AndTheServerRecoversByItselfOnceSpaceIsFree() throws Exception {
        Path data = Files.createDirectories(mount.resolve("data"));
        Path filler = mount.resolve("filler");
        Path log = work.resolve("server.log");
        try (ServerProcess server = ServerProcess.start(data, log, http)) {
            assertEquals(201, server.driver().send("PUT", "/api/v1/flags/kept", ADMIN, FLAG).statusCode());
            fill(filler);

            for (String[] write : new String[][] {
                    {"PUT", "/api/v1/flags/refused", FLAG},
                    {"PUT", "/api/v1/config/payments/limit", "{\"value\":5}"},
                    {"POST", "/api/v1/tokens", "{\"name\":\"t\",\"role\":\"viewer\"}"}}) {
                HttpResponse<String> refused = server.driver().send(write[0], write[1], ADMIN, write[2]);
                assertEquals(507, refused.statusCode(), write[1] + ": " + refused.body());
                assertTrue(refused.headers().firstValue("Retry-After").isPresent(), write[1]);
                assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
                JsonNode error = mapper.readTree(refused.body());
                assertEquals("INSUFFICIENT_STORAGE", error.path("error").asText(), refused.body());
                assertTrue(error.path("message").asText().contains("full"), refused.body());
            }
            HttpResponse<String> ready = server.driver().send("GET", "/health/ready", null, null);
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("DOWN") && ready.body().contains("full"), ready.body());

            // evaluation needs no disk: it keeps serving from the snapshot
            HttpResponse<String> evaluated = server.driver().send("POST", "/ofrep/v1/evaluate/flags/kept", ADMIN,
                    "{\"context\":{\"targetingKey\":\"u1\"}}");
            assertEquals(200, evaluated.statusCode(), evaluated.body());
            assertEquals(404, server.driver().send("GET", "/api/v1/flags/refused", ADMIN, null).statusCode());

            Files.delete(filler);
            long deadline = System.nanoTime() + RECOVERY.toNanos();
            int readyStatus = 0;
            while (System.nanoTime() < deadline && readyStatus != 200) {
                Thread.sleep(200);
                readyStatus = server.driver().send("GET", "/health/ready", null, null).statusCode();
            }
            assertEquals(200, readyStatus, "ready again within " + RECOVERY.toSeconds() + " s of freeing space");
            assertEquals(201, server.driver().send("PUT", "/api/v1/flags/after", ADMIN, FLAG).statusCode());
            server.kill();
        }
        try (ServerProcess restarted = ServerProcess.start(data, log, http)) {
            assertEquals(200, restarted.driver().send("GET", "/api/v1/flags/kept", ADMIN, null).statusCode());
            assertEquals(200, restarted.driver().send("GET", "/api/v1/flags/after", ADMIN, null).statusCode());
            assertEquals(404, restarted.driver().send("GET", "/api/v1/flags/refused", ADMIN, null).statusCode());
            JsonNode verify = mapper.readTree(restarted.driver().send("GET", "/api/v1/audit/verify", ADMIN, null).body());
            assertTrue(verify.path("valid").asBoolean(), verify.toString());
        }
    }

    /** Writes a file until the device has no room left. */
    private static void fill(Path filler) throws IOException {
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            assertTrue(Files.getFileStore(filler.getParent()).getUsableSpace() < chunk.length, full.getMessage());
        }
    }
}
