package io.ensign.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.model.EvaluationContext;
import io.ensign.api.model.EvaluationResult;
import io.ensign.client.EnsignClient;

/**
 * The heap one {@link EnsignClient} keeps for a state of many flags: {@link EvaluationBenchmark}'s flag (a segment
 * rule, two ANDed conditions, a conditioned rollout), once per key with its own values and salt so that nothing is
 * shared between flags, started from a bootstrap file (its server address refusing connections). The heap in use
 * after full collections is read before the client is built and while it holds the state; the difference is what
 * the client keeps: the compiled snapshot, the configuration and the document's bytes for the backup file.
 *
 * <p>Usage: {@code java -cp ... io.ensign.benchmarks.ClientMemory [flags=10000]}
 */
public final class ClientMemory {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClientMemory() {
    }

    public static void main(String[] args) throws Exception {
        int flags = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path dir = Files.createTempDirectory("ensign-client-memory");
        Path bootstrap = dir.resolve("bootstrap.json");
        byte[] document = document(flags);
        Files.write(bootstrap, document);
        String nowhere;
        try (ServerSocket s = new ServerSocket(0)) {
            nowhere = "http://127.0.0.1:" + s.getLocalPort();
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        // The client's classes loaded and initialised by a client of an empty state, so the figure is its data.
        EnsignClient.builder(nowhere, "sdk-token").build().close();
        long before = settledHeap(memory);
        EnsignClient client = EnsignClient.builder(nowhere, "sdk-token").bootstrapFile(bootstrap)
                .reconnectDelay(Duration.ofSeconds(30), Duration.ofSeconds(60)).build();
        EvaluationResult probe = client.evaluate("flag-" + (flags - 1),
                new EvaluationContext("user-1", Map.of("plan", "pro", "country", "NL")));
        if (probe.isError()) {
            throw new IllegalStateException("the client does not serve the state: " + probe);
        }
        long after = settledHeap(memory);
        System.out.printf("flags %d, document %.1f MB: the client keeps %.1f MB of heap, %.0f bytes per flag"
                        + " (the document's bytes %.0f of them)%n", flags, document.length / 1e6,
                (after - before) / 1e6, (after - before) / (double) flags, document.length / (double) flags);
        client.close();
        Files.delete(bootstrap);
        Files.delete(dir);
    }

    /** The heap in use once full collections no longer free anything more (or after ten). */
    static long settledHeap(MemoryMXBean memory) throws InterruptedException {
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(100);
            long used = memory.getHeapMemoryUsage().getUsed();
            if (used >= last - 64 * 1024) {
                return Math.min(used, last);
            }
            last = used;
        }
        return last;
    }

    /** A sync document of {@code flags} flags like the engine benchmark's and its segment. */
    private static byte[] document(int flags) throws Exception {
        ObjectNode doc = JSON.createObjectNode().put("environment", "production").put("version", flags + 1);
        ArrayNode list = doc.putArray("flags");
        ObjectNode template = (ObjectNode) JSON.readTree(EvaluationBenchmark.FLAG);
        for (int i = 0; i < flags; i++) {
            ObjectNode flag = template.deepCopy().put("key", "flag-" + i).put("version", 1);
            ArrayNode rules = (ArrayNode) flag.get("rules");
            ObjectNode countries = (ObjectNode) rules.get(1).get("conditions").get(0);
            countries.putArray("values").add("NL").add("DE").add("C" + i);
            ((ObjectNode) rules.get(1).get("conditions").get(1)).putArray("values").add("9." + i + ".0");
            ((ObjectNode) rules.get(2).get("rollout")).put("salt", "salt-" + i);
            list.add(flag);
        }
        return ClientEvaluationBenchmark.withStaffSegment(JSON, doc);
    }
}
