package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged write survives the process being killed: the real server takes flag writes from several
 * clients, dies by SIGKILL in the middle of them, and after a restart on the same data every flag whose
 * PUT was answered 200/201 is there.
 */
class DurabilityIT {
    private static final int WRITERS = 4;
    private static final int ACKNOWLEDGED_BEFORE_KILL = 60;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path work;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void everyAcknowledgedFlagWriteSurvivesSigkill() throws Exception {
        Path data = Files.createDirectories(work.resolve("data"));
        Path log = work.resolve("server.log");
        Queue<String> acknowledged = new ConcurrentLinkedQueue<>();

        try (ServerProcess first = ServerProcess.start(data, log, http)) {
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger next = new AtomicInteger();
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            for (int i = 0; i < WRITERS; i++) {
                writers.submit(() -> writeFlags(first, next, writing, acknowledged));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledged.size() < ACKNOWLEDGED_BEFORE_KILL && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            first.kill();
            writing.set(false);
            writers.shutdown();
            assertTrue(writers.awaitTermination(30, TimeUnit.SECONDS), "writers still running after the kill");
        }
        assertTrue(acknowledged.size() >= ACKNOWLEDGED_BEFORE_KILL,
                "only " + acknowledged.size() + " writes were acknowledged in 60 s; log in " + log);

        try (ServerProcess second = ServerProcess.start(data, log, http)) {
            List<String> lost = new ArrayList<>();
            for (String key : acknowledged) {
                HttpRequest get = HttpRequest.newBuilder(second.uri("/api/v1/flags/" + key))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + EnsignConfiguration.ADMIN_TOKEN)
                        .GET().build();
                int status = http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status != 200) {
                    lost.add(key + " -> " + status);
                }
            }
            assertEquals(List.of(), lost, "acknowledged flags missing after restart (of " + acknowledged.size() + ")");
        }
    }

    // Writes until the server is gone; a key counts only when its PUT was answered 200 or 201.
    private void writeFlags(ServerProcess server, AtomicInteger next, AtomicBoolean writing, Queue<String> acknowledged) {
        while (writing.get()) {
            String key = "dur-" + next.getAndIncrement();
            String body = "{\"key\":\"" + key + "\",\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},"
                    + "\"defaultVariant\":\"off\"}";
            HttpRequest put = HttpRequest.newBuilder(server.uri("/api/v1/flags/" + key))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + EnsignConfiguration.ADMIN_TOKEN)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
            try {
                int status = http.send(put, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 201) {
                    acknowledged.add(key);
                }
            } catch (IOException serverGone) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
