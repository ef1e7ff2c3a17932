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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The assembled distribution running as a child process, the way an operator runs it. */
final class ServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String LAUNCHER = "lib/ensign-launcher.jar";
    /** The class-data archive the build trains for this distribution's launcher (distribution/pom.xml). */
    static final String CLASS_ARCHIVE = "lib/ensign.jsa";

    private final Process process;
    private final Path log;
    private final URI base;
    private final HttpDriver driver;

    private ServerProcess(Process process, Path log, URI base) {
        this.process = process;
        this.log = log;
        this.base = base;
        this.driver = new HttpDriver(base.toString());
    }

    /** The assembled distribution the build made, named by the system property {@code ensign.distribution}. */
    static Path distribution() {
        Path distribution = Path.of(System.getProperty("ensign.distribution", "../distribution/target/ensign"));
        if (!Files.isRegularFile(distribution.resolve(LAUNCHER))) {
            throw new IllegalStateException("no distribution at " + distribution.toAbsolutePath() + ": run mvn install");
        }
        return distribution;
    }

    /**
     * A copy of the distribution in {@code target}, for a test that changes its {@code deploy/} or {@code conf/}:
     * everything is copied except the bundles, which are linked, and the class-data archive, which is made for the
     * original's launcher jar only.
     */
    static Path copyOfDistribution(Path target) throws IOException {
        Path distribution = distribution().toAbsolutePath();
        Files.createDirectories(target);
        try (var entries = Files.list(distribution)) {
            for (Path entry : entries.toList()) {
                Path copy = target.resolve(entry.getFileName().toString());
                if (entry.getFileName().toString().equals("bundles")) {
                    Files.createSymbolicLink(copy, entry);
                } else {
                    copyTree(entry, copy);
                }
            }
        }
        Files.deleteIfExists(target.resolve(CLASS_ARCHIVE));
        return target;
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (var paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Files.copy(path, target.resolve(source.relativize(path).toString()));
            }
        }
    }

    /**
     * Starts the server of the build's distribution on a free loopback port and waits until {@code /health/live}
     * answers 200.
     */
    static ServerProcess start(Path dataDir, Path log, HttpClient http) throws IOException, InterruptedException {
        return start(distribution(), dataDir, log, http);
    }

    /** Starts the server of {@code distribution} and waits until {@code /health/live} answers 200. */
    static ServerProcess start(Path distribution, Path dataDir, Path log, HttpClient http)
            throws IOException, InterruptedException {
        return start(distribution, dataDir, log, http, Map.of());
    }

    /** Starts the server of {@code distribution} on {@code port} (a restart at the same address) and waits for it. */
    static ServerProcess start(Path distribution, Path dataDir, Path log, HttpClient http, int port)
            throws IOException, InterruptedException {
        return start(distribution, dataDir, log, http, port, Map.of());
    }

    /**
     * Starts the server of {@code distribution} with {@code environment} added to its environment and
     * {@code arguments} after the port, host and data directory, and waits until {@code /health/live} answers 200.
     */
    static ServerProcess start(Path distribution, Path dataDir, Path log, HttpClient http,
                               Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException {
        return start(distribution, dataDir, log, http, EnsignConfiguration.freePort(), environment, arguments);
    }

    private static ServerProcess start(Path distribution, Path dataDir, Path log, HttpClient http, int port,
                                       Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(List.of("--port", Integer.toString(port), "--host", "127.0.0.1",
                "--data", dataDir.toString()));
        options.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command(distribution, options.toArray(String[]::new)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("ENSIGN_ADMIN_TOKEN", EnsignConfiguration.ADMIN_TOKEN);
        builder.environment().putAll(environment);
        ServerProcess server = new ServerProcess(builder.start(), log, URI.create("http://127.0.0.1:" + port));
        server.awaitLive(http);
        return server;
    }

    /**
     * Starts the build's distribution on PostgreSQL ({@code --store url}, the password in ENSIGN_STORE_PASSWORD) with
     * its data directory {@code work/name} and its log {@code work/name.log}, and waits until it is live.
     */
    static ServerProcess onPostgres(Path work, String name, HttpClient http, String url, String password)
            throws IOException, InterruptedException {
        return start(distribution(), Files.createDirectories(work.resolve(name)), work.resolve(name + ".log"), http,
                Map.of("ENSIGN_STORE_PASSWORD", password), "--store", url);
    }

    /** The command that starts {@code distribution}'s launcher with {@code arguments}, as {@code ./ensign run} does. */
    static List<String> command(Path distribution, String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        Path archive = distribution.resolve(CLASS_ARCHIVE);
        if (Files.isRegularFile(archive)) {
            command.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        command.addAll(List.of("-jar", distribution.resolve(LAUNCHER).toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    /** The ITs' HTTP driver, pointed at this server. */
    HttpDriver driver() {
        return driver;
    }

    /** Kills the process at once, as a power cut would, and waits until it is gone. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the server did not die on SIGKILL");
        }
    }

    /** Whether the process ends by itself within the timeout. */
    boolean exitsWithin(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
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

    /** Everything the server (and its earlier runs on the same log) wrote. */
    String logText() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
