package io.ensign.itests;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.itests.TortureFigures.Finding;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The crash torture: rounds of mixed write load from four threads against the real server process, each ended by
 * SIGKILL at a random (seeded) moment, then a restart on the same data directory and a check of everything the
 * server had acknowledged, streamed or shown in its change log. CrashTortureIT runs a short version in the build;
 * {@code benchmarks/torture.sh} runs {@link #main} for the long one (docs/benchmarks.md, "Crash torture").
 */
public final class CrashTorture {
    static final int WRITERS = 4;
    private static final String ADMIN = EnsignConfiguration.ADMIN_TOKEN;

    /**
     * How long a run is and where it keeps its data; the same seed gives the same op sequences and kill times. The
     * audit verify runs after every {@code verifyEvery}th round and after the last: it re-reads the whole journal on
     * a freshly started (cold) server, so on a long run it is most of a round, while whatever it would find in a
     * round it skips stays in the journal for the next one that runs it.
     */
    record Settings(int rounds, long seed, Duration minLoad, Duration maxLoad, int verifyEvery, Path work) {
        boolean verifies(int round) {
            return round % verifyEvery == 0 || round == rounds;
        }
    }

    private final Settings settings;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final TortureFigures figures = new TortureFigures();
    private final ChangeLogWatch watch = new ChangeLogWatch(figures, http);
    private final List<TortureWriter> writers = new ArrayList<>();

    CrashTorture(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
        for (int i = 0; i < WRITERS; i++) {
            writers.add(new TortureWriter(i, figures));
        }
    }

    /**
     * {@code --rounds N} (1000), {@code --seed S} (the clock), {@code --min-load-ms} (300), {@code --max-load-ms}
     * (2000), {@code --verify-every N} (1), {@code --work DIR} (a new temporary directory); the distribution comes
     * from the system property {@code ensign.distribution}. Exits 1 when anything was found.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        Settings settings = new Settings(Integer.parseInt(options.getOrDefault("--rounds", "1000")),
                Long.parseLong(options.getOrDefault("--seed", Long.toString(System.nanoTime()))),
                Duration.ofMillis(Long.parseLong(options.getOrDefault("--min-load-ms", "300"))),
                Duration.ofMillis(Long.parseLong(options.getOrDefault("--max-load-ms", "2000"))),
                Integer.parseInt(options.getOrDefault("--verify-every", "1")),
                options.containsKey("--work") ? Path.of(options.get("--work"))
                        : Files.createTempDirectory("ensign-torture"));
        TortureFigures figures = new CrashTorture(settings, System.out).run();
        System.exit(figures.totalFindings() == 0 ? 0 : 1);
    }

    /** Runs every round and returns the figures (also printed, with the seed, as the run goes). */
    TortureFigures run() throws Exception {
        Path data = Files.createDirectories(settings.work().resolve("data"));
        Path log = settings.work().resolve("server.log");
        out.printf("crash torture: seed %d, %d rounds of %d-%d ms load, audit verify every %d, data in %s,"
                + " server log %s%n", settings.seed(), settings.rounds(), settings.minLoad().toMillis(),
                settings.maxLoad().toMillis(), settings.verifyEvery(), data, log);
        Random random = new Random(settings.seed());
        ServerProcess server = ServerProcess.start(data, log, http);
        try {
            HttpDriver driver = ready(server);
            startExperiment(driver);
            for (int round = 1; round <= settings.rounds(); round++) {
                long loadMillis = settings.minLoad().toMillis()
                        + random.nextInt((int) (settings.maxLoad().toMillis() - settings.minLoad().toMillis() + 1));
                long before = figures.totalFindings();
                load(driver, server, round, loadMillis, random.nextLong());
                long restart = System.nanoTime();
                server = ServerProcess.start(data, log, http);
                driver = ready(server);
                long checking = System.nanoTime();
                check(driver, round);
                checkNativeCopies(data, round);
                figures.roundDone();
                out.printf("round %d: load %d ms, restart %d ms, check %d ms, %d streamed, last sequence %d,"
                        + " findings %d%n", round, loadMillis, (checking - restart) / 1_000_000,
                        (System.nanoTime() - checking) / 1_000_000, watch.streamedThisRound(), watch.lastSequence(),
                        figures.totalFindings() - before);
            }
        } finally {
            server.close();
        }
        out.println("crash torture: seed " + settings.seed() + "\n" + figures.summary());
        return figures;
    }

    /**
     * The SQLite driver unpacks its native library into the data directory at every start; a killed run's copy is
     * deleted by the next start, so only the running server's copy is there.
     */
    private void checkNativeCopies(Path data, int round) throws IOException {
        List<Path> copies;
        try (Stream<Path> files = Files.walk(data)) {
            copies = files.filter(p -> p.getParent().getFileName().toString().equals("native"))
                    .filter(p -> p.getFileName().toString().startsWith("sqlite-"))
                    .filter(p -> !p.getFileName().toString().endsWith(".lck")).toList();
        }
        if (copies.size() != 1) {
            figures.found(Finding.NATIVE_COPIES, round, copies.size() + " copies: " + copies);
        }
    }

    private HttpDriver ready(ServerProcess server) throws InterruptedException {
        return server.driver().awaitReady();
    }

    // A flag with an experiment running on it in development, for the event batches.
    private static void startExperiment(HttpDriver driver) {
        String key = TortureWriter.EXPERIMENT;
        driver.expect(201, "PUT", "/api/v1/flags/" + key, ADMIN,
                "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\"}");
        driver.expect(201, "PUT", "/api/v1/experiments/" + key, ADMIN, "{\"flag\":\"" + key + "\","
                + "\"environment\":\"development\",\"control\":\"off\",\"weights\":{\"off\":50,\"on\":50},"
                + "\"metrics\":[{\"name\":\"revenue\",\"kind\":\"mean\"}],\"primaryMetric\":\"revenue\","
                + "\"minimumDetectableEffect\":0.01}");
        driver.expect(200, "POST", "/api/v1/experiments/" + key + "/start", ADMIN, null);
    }

    /** Writes from every writer for {@code loadMillis}, then kills the server while they still write. */
    private void load(HttpDriver driver, ServerProcess server, int round, long loadMillis, long seed)
            throws InterruptedException {
        watch.start(driver, round);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            TortureWriter writer = writers.get(i);
            writer.prepare(driver, seed + i, round);
            Thread thread = new Thread(writer::run, "torture-writer-" + i);
            thread.start();
            threads.add(thread);
        }
        Thread.sleep(loadMillis);
        server.kill();
        for (int i = 0; i < WRITERS; i++) {
            writers.get(i).stop();
            threads.get(i).join(TimeUnit.SECONDS.toMillis(30));
        }
        watch.stop();
    }

    private void check(HttpDriver driver, int round) throws InterruptedException, ExecutionException {
        watch.checkAfterRestart(driver);
        // the writers' objects are disjoint: checking them side by side shortens a round
        ExecutorService checkers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> checks = new ArrayList<>();
            for (TortureWriter writer : writers) {
                checks.add(checkers.submit(() -> writer.check(driver, round)));
            }
            for (Future<?> check : checks) {
                check.get();
            }
        } finally {
            checkers.shutdown();
        }
        if (!settings.verifies(round)) {
            return;
        }
        figures.verified();
        // verify re-reads the whole journal: past 100 000 records on a loaded machine it outlasts the usual 10 s
        HttpResponse<String> response = driver.send(driver.request("GET", "/api/v1/audit/verify", ADMIN, null)
                .timeout(Duration.ofMinutes(2)));
        JsonNode verify = driver.json(response);
        if (response.statusCode() != 200 || !verify.path("valid").asBoolean()) {
            figures.found(Finding.VERIFY_FAILED, round, response.statusCode() + " " + response.body());
        }
    }
}
