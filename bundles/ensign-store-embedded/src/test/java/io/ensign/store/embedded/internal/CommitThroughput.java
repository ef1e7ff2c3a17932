package io.ensign.store.embedded.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.ensign.api.store.Mutation;

/**
 * Prints how many single-mutation commits per second the store does here, with and without the per-commit
 * fsync. A measurement to run by hand (not a test): {@code java -cp <test classpath> ...CommitThroughput [n]}.
 */
public final class CommitThroughput {
    private CommitThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int commits = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        for (int round = 0; round < 2; round++) {
            for (boolean sync : new boolean[] {false, true}) {
                Path directory = Files.createTempDirectory("ensign-throughput");
                try (EmbeddedStore store = new EmbeddedStore(directory, sync)) {
                    long start = System.nanoTime();
                    for (int i = 0; i < commits; i++) {
                        store.commit(List.of(new Mutation("flag", "k" + (i % 100), null, "{\"i\":" + i + "}",
                                Mutation.ANY_VERSION, null, "bench", null, null)));
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("round %d, syncEachCommit=%s: %d commits in %.2f s = %.0f commits/s%n",
                            round, sync, commits, seconds, commits / seconds);
                }
            }
        }
    }
}
