package io.ensign.store.embedded.internal;

import java.nio.file.Path;
import java.util.List;

import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;

/**
 * Run in a separate JVM by {@link EmbeddedStoreDurabilityTest}: commits write after write with the production
 * durability setting and prints a line for each one only after {@code commit} returned, until it is killed.
 */
public final class DurabilityProbe {
    static final int KEYS = 5;

    private DurabilityProbe() {
    }

    /** The JSON of the {@code i}th write; the test recomputes it to check what survived. */
    static String json(int i) {
        return "{\"write\":" + i + "}";
    }

    public static void main(String[] args) {
        EmbeddedStore store = new EmbeddedStore(Path.of(args[0]), true);
        for (int i = 0; ; i++) {
            String key = "k" + (i % KEYS);
            Document written = store.commit(List.of(new Mutation("flag", key, null, json(i), Mutation.ANY_VERSION,
                    null, "probe", null, null))).get(0);
            System.out.println("ack " + key + " " + written.version() + " " + i);
            System.out.flush();
        }
    }
}
