package io.ensign.store.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.store.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStoreDurabilityTest {
    private static final int ACKS_BEFORE_KILL = 50;

    @TempDir
    Path directory;

    @Test
    @Timeout(60)
    void everyAcknowledgedWriteSurvivesKillMinusNineOfTheWritingProcess() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Surefire runs tests from a manifest-only jar; this property holds the real test class path.
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // Into a file, not a pipe: killing the process closes the pipe, and lines printed just before the kill
        // were acknowledged too.
        Path output = directory.resolve("probe.out");
        Process probe = new ProcessBuilder(java, "-cp", classpath, DurabilityProbe.class.getName(),
                directory.resolve("store").toString()).redirectErrorStream(true).redirectOutput(output.toFile())
                .start();
        try {
            while (probe.isAlive() && acknowledged(output).size() < ACKS_BEFORE_KILL) {
                Thread.sleep(10);
            }
        } finally {
            probe.destroyForcibly();
            probe.waitFor(10, TimeUnit.SECONDS);
        }
        List<Acknowledged> acknowledged = acknowledged(output);
        assertTrue(acknowledged.size() >= ACKS_BEFORE_KILL, "the probe stopped early:\n" + Files.readString(output));
        assertNotEquals(0, probe.exitValue(), "the probe was killed, it did not exit");

        try (EmbeddedStore reopened = new EmbeddedStore(directory.resolve("store"), true)) {
            for (Acknowledged ack : acknowledged) {
                List<Document> history = reopened.history("flag", ack.key());
                assertTrue(history.size() >= ack.version(), ack + " is lost: only " + history.size() + " revisions");
                Document revision = history.get((int) ack.version() - 1);
                assertEquals(ack.version(), revision.version());
                assertEquals(DurabilityProbe.json(ack.write()), revision.json(), ack + " has the wrong content");
            }
            long last = reopened.lastSequence();
            assertTrue(last >= acknowledged.size(), "change log has " + last + " records for "
                    + acknowledged.size() + " acknowledged writes");
            assertEquals(LongStream.rangeClosed(1, last).boxed().toList(),
                    reopened.changes(0, (int) last + 10).stream().map(AuditRecord::sequence).toList());
        }
    }

    /** The acknowledgments printed so far; a line still being written is not one yet. */
    private static List<Acknowledged> acknowledged(Path output) throws IOException {
        String text = Files.exists(output) ? Files.readString(output) : "";
        return text.substring(0, text.lastIndexOf('\n') + 1).lines()
                .filter(line -> line.startsWith("ack "))
                .map(Acknowledged::parse)
                .toList();
    }

    private record Acknowledged(String key, long version, int write) {
        static Acknowledged parse(String line) {
            String[] fields = line.split(" ");
            return new Acknowledged(fields[1], Long.parseLong(fields[2]), Integer.parseInt(fields[3]));
        }
    }
}
