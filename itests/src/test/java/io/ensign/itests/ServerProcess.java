package io.ensign.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The assembled distribution running as a child process, the way an operator runs it. */
final class ServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final Path log;
    private final URI base;

    private ServerProcess(Process process, Path log, URI base) {
        this.process = process;
        this.log = log;
        this.base = base;
    }

    /**
     * Starts the server of the distribution named by the system property {@code ensign.distribution} on a free
     * loopback port and waits until {@code /health/live} answers 200.
     */
    static ServerProcess start(Path dataDir, Path log, HttpClient http) throws IOException, InterruptedException {
        return start(distribution(), dataDir, log, http);
    }

    /** The assembled distribution the build made, for a test to run or to copy and configure. */
    static Path distribution() {
        return Path.of(System.getProperty("ensign.distribution", "../distribution/target/ensign"));
    }

    /** Starts the server of the distribution at {@code distribution} (e.g. a copy with its own conf/). */
    static ServerProcess start(Path distribution, Path dataDir, Path log, HttpClient http)
            throws IOException, InterruptedException {
        Path launcher = distribution.resolve("lib/ensign-launcher.jar");
        if (!Files.isRegularFile(launcher)) {
            throw new IllegalStateException("no distribution at " + distribution.toAbsolutePath() + ": run mvn install");
        }
        int port = EnsignConfiguration.freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", launcher.toString(), "--port", Integer.toString(port), "--host", "127.0.0.1",
                "--data", dataDir.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("ENSIGN_ADMIN_TOKEN", EnsignConfiguration.ADMIN_TOKEN);
        ServerProcess server = new ServerProcess(builder.start(), log, URI.create("http://127.0.0.1:" + port));
        server.awaitLive(http);
        return server;
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    /** Kills the process at once, as a power cut would, and waits until it is gone. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the server did not die on SIGKILL");
        }
    }

    /** Stops the process with SIGTERM (a clean stop) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private void awaitLive(HttpClient http) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        HttpRequest live = HttpRequest.newBuilder(uri("/health/live")).timeout(Duration.ofSeconds(5)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; log:\n" + logText());
            }
            try {
                if (http.send(live, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the port opens a moment after the process starts
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("GET /health/live did not answer 200 within " + START_TIMEOUT.toSeconds()
                + " s; log:\n" + logText());
    }

    private String logText() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
