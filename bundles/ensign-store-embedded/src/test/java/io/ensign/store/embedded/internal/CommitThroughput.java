package io.ensign.store.embedded.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.ensign.api.store.Mutation;

/**
 * Prints how many single-mutation commits per second the store does here, with and without the per-commit
 * fsync, on a database already holding {@code objects} objects of about 1 KiB. A measurement to run by hand,
 * not a test: {@code java -cp <test classpath> io.ensign.store.embedded.internal.CommitThroughput [commits]
 * [objects]}.
 */
public final class CommitThroughput {
    private static final String PAYLOAD = "x".repeat(1000);

    private CommitThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int commits = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int objects = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        for (int round = 0; round < 2; round++) {
            for (boolean sync : new boolean[] {false, true}) {
                Path directory = Files.createTempDirectory("ensign-throughput");
                try (EmbeddedStore store = new EmbeddedStore(directory, sync)) {
                    fill(store, objects);
                    long start = System.nanoTime();
                    for (int i = 0; i < commits; i++) {
                        store.commit(List.of(mutation("k" + (i * 7919 % objects), i)));
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("round %d, syncEachCommit=%s, %d objects: %d commits in %.2f s = %.0f/s%n",
                            round, sync, objects, commits, seconds, commits / seconds);
                }
            }
        }
    }

    private static void fill(EmbeddedStore store, int objects) {
        List<Mutation> batch = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            batch.add(mutation("k" + i, -1));
            if (batch.size() == 500 || i == objects - 1) {
                store.commit(batch);
                batch.clear();
            }
        }
    }

    private static Mutation mutation(String key, int write) {
        return new Mutation("flag", key, null, "{\"write\":" + write + ",\"pad\":\"" + PAYLOAD + "\"}",
                Mutation.ANY_VERSION, null, "bench", null, null);
    }
}
