package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.ensign.testing.postgresql.PostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three server processes on one PostgreSQL database under write and evaluation load on every node, as an operator
 * would try them: {@code kill -9} of one node — the other two answer every request meanwhile, and every write any
 * node acknowledged is there afterwards; then PostgreSQL stopped with {@code pg_ctl stop -m immediate} — writes
 * answer 503 with {@code Retry-After} and change nothing, evaluations go on with 200 — and started again: writes
 * resume on both nodes without a restart. The times from each fault to the first failed and the first successful
 * request are printed.
 */
class FailoverIT extends PostgresServers {
    /**
     * One request's outcome: the node, what it was, when it was sent and when it ended (nanoTime), and its status
     * (-1: no answer).
     */
    private record Outcome(String node, String what, String key, long sent, long at, int status, String retryAfter) {
        boolean ok() {
            return status == 200 || status == 201;
        }
    }

    /** A node under load: one thread creating flags, one evaluating over OFREP, until told to stop. */
    private final class Load {
        final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stopped;

        void on(String name, HttpDriver node) {
            Thread writer = new Thread(() -> {
                for (int i = 0; !stopped; i++) {
                    String key = "failover-" + name + "-" + i;
                    record(name, "write", key, () -> node.send("PUT", "/api/v1/flags/" + key, ADMIN, FLAG));
                }
            }, "load-write-" + name);
            Thread evaluator = new Thread(() -> {
                while (!stopped) {
                    record(name, "evaluate", null, () -> node.send("POST", "/ofrep/v1/evaluate/flags/steady", ADMIN,
                            "{\"context\":{\"targetingKey\":\"u\"}}"));
                    pause(5);
                }
            }, "load-evaluate-" + name);
            threads.add(writer);
            threads.add(evaluator);
            writer.start();
            evaluator.start();
        }

        private void record(String node, String what, String key, Supplier<HttpResponse<String>> call) {
            long sent = System.nanoTime();
            try {
                HttpResponse<String> response = call.get();
                outcomes.add(new Outcome(node, what, key, sent, System.nanoTime(), response.statusCode(),
                        response.headers().firstValue("Retry-After").orElse(null)));
            } catch (UncheckedIOException e) {
                outcomes.add(new Outcome(node, what, key, sent, System.nanoTime(), -1, null));
                pause(20);
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
        }

        List<Outcome> of(String node, String what, long from, long to) {
            return outcomes.stream().filter(o -> o.node().equals(node) && o.what().equals(what) && o.at() >= from
                    && o.at() < to).toList();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aKilledNodeAndAStoppedDatabaseLoseNoAcknowledgedWriteAndTheOtherNodesKeepServing() throws Exception {
        PostgresCluster cluster = POSTGRES.cluster();
        String url = newDatabase();
        try (ServerProcess a = node("a", url);
             ServerProcess b = node("b", url);
             ServerProcess c = node("c", url)) {
            HttpDriver onA = a.driver().awaitReady();
            HttpDriver onB = b.driver().awaitReady();
            HttpDriver onC = c.driver().awaitReady();
            onA.expect(201, "PUT", "/api/v1/flags/steady", ADMIN, FLAG);
            Eventually.await(Duration.ofSeconds(20), () -> onB.send("POST", "/ofrep/v1/evaluate/flags/steady", ADMIN,
                    "{\"context\":{}}").statusCode() == 200 && onC.send("POST", "/ofrep/v1/evaluate/flags/steady",
                    ADMIN, "{\"context\":{}}").statusCode() == 200, "every node evaluates the flag");
            Load load = new Load();
            load.on("a", onA);
            load.on("b", onB);
            load.on("c", onC);
            Thread.sleep(3_000);

            long killed = System.nanoTime();
            a.kill();
            Thread.sleep(3_000);
            long stopped = System.nanoTime();
            cluster.stopImmediately();
            long down = System.nanoTime();
            // until each remaining node has refused a write (a write may wait out the pool's time-out first)
            Eventually.await(Duration.ofSeconds(60), () -> List.of("b", "c").stream().allMatch(node -> load.of(node,
                    "write", stopped, System.nanoTime()).stream().anyMatch(o -> !o.ok())),
                    "both remaining nodes refuse a write while PostgreSQL is stopped");
            long started = System.nanoTime();
            cluster.restart();
            Eventually.await(Duration.ofSeconds(60), () -> List.of("b", "c").stream().allMatch(node -> load.of(node,
                    "write", started, System.nanoTime()).stream().anyMatch(Outcome::ok)),
                    "both remaining nodes write again after PostgreSQL is back, without a restart");
            Thread.sleep(1_000);
            load.stop();
            long end = System.nanoTime();

            for (String node : List.of("b", "c")) {
                for (String what : List.of("write", "evaluate")) {
                    List<Outcome> failed = load.of(node, what, 0, stopped).stream().filter(o -> !o.ok()).toList();
                    assertEquals(List.of(), failed, node + " answers every " + what + " while node a dies");
                }
                List<Outcome> evaluations = load.of(node, "evaluate", stopped, end);
                assertTrue(evaluations.size() > 20 && evaluations.stream().allMatch(Outcome::ok),
                        node + " evaluates with 200 while PostgreSQL is away: " + failures(evaluations));
                List<Outcome> refused = load.of(node, "write", stopped, end).stream().filter(o -> !o.ok()).toList();
                for (Outcome o : refused) {
                    assertEquals(503, o.status(), node + " refuses a write with 503: " + o);
                    assertTrue(o.retryAfter() != null, "with Retry-After: " + o);
                }
            }
            List<Outcome> writes = load.outcomes.stream().filter(o -> o.what().equals("write")).toList();
            long acknowledged = 0;
            for (Outcome write : writes) {
                int status = onB.send("GET", "/api/v1/flags/" + write.key(), ADMIN, null).statusCode();
                if (write.ok()) {
                    acknowledged++;
                    assertEquals(200, status, "an acknowledged write is there: " + write);
                } else if (write.status() == 503 && write.sent() > down && write.at() < started) {
                    // sent while the database was down: it cannot have committed (one in flight when the database
                    // died may have, its answer lost)
                    assertEquals(404, status, "a refused write changed nothing: " + write);
                }
            }
            assertTrue(load.of("a", "write", 0, killed).stream().anyMatch(Outcome::ok), "node a wrote before it died");
            System.out.printf("failover: %d writes acknowledged by three nodes, none lost; node a killed: its first"
                            + " failed request after %.0f ms, nodes b and c failed none; PostgreSQL stopped: first"
                            + " refused write after %.0f ms; started: first successful write after %.0f ms%n",
                    acknowledged, firstAfter(load, "a", killed, false), firstRefusal(load, stopped),
                    firstSuccessAfter(load, started));
        }
    }

    private static String failures(List<Outcome> outcomes) {
        return outcomes.stream().filter(o -> !o.ok()).limit(5).toList().toString();
    }

    private static double firstAfter(Load load, String node, long from, boolean ok) {
        return load.outcomes.stream().filter(o -> o.node().equals(node) && o.at() >= from && o.ok() == ok)
                .mapToLong(Outcome::at).min().stream().mapToDouble(t -> (t - from) / 1e6).findFirst().orElse(-1);
    }

    private static double firstRefusal(Load load, long from) {
        return Math.min(firstAfter(load, "b", from, false), firstAfter(load, "c", from, false));
    }

    private static double firstSuccessAfter(Load load, long from) {
        return load.outcomes.stream().filter(o -> o.what().equals("write") && o.ok() && o.at() >= from
                && !o.node().equals("a")).mapToLong(Outcome::at).min().stream()
                .mapToDouble(t -> (t - from) / 1e6).findFirst().orElse(-1);
    }
}
