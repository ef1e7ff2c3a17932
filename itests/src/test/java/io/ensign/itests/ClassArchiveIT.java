package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive the build trains ({@code lib/ensign.jsa}) fits the distribution it was made for: a start
 * as {@code ./ensign run} makes it maps most of its classes from the archive, and {@code --stop-when-ready} on any
 * free port ({@code --port 0}) stops it cleanly once ready.
 */
class ClassArchiveIT {
    private static final String FROM_ARCHIVE = "source: shared objects file (top)";

    @TempDir
    Path work;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aStartMapsMostOfItsClassesFromTheTrainedArchive() throws Exception {
        Path distribution = ServerProcess.distribution();
        assertTrue(Files.isRegularFile(distribution.resolve(ServerProcess.CLASS_ARCHIVE)), "the build made no archive");
        Path classes = work.resolve("classes.log");
        Path log = work.resolve("server.log");
        List<String> command = ServerProcess.command(distribution, "--stop-when-ready", "--port", "0",
                "--host", "127.0.0.1", "--data", work.resolve("data").toString());
        // -Xshare:on: a JVM that cannot map the archive refuses to start, instead of starting without it
        command.addAll(1, List.of("-Xshare:on", "-Xlog:class+load=info:file=" + classes));

        Process server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(server.waitFor(150, TimeUnit.SECONDS), "still running after 150 s");

        String output = Files.readString(log);
        assertEquals(0, server.exitValue(), output);
        assertTrue(output.contains("Ensign ready on http://127.0.0.1:") && output.contains("Ensign stopped"), output);
        List<String> loaded = Files.readAllLines(classes).stream().filter(l -> l.contains("[class,load]")).toList();
        long fromArchive = loaded.stream().filter(l -> l.contains(FROM_ARCHIVE)).count();
        assertTrue(fromArchive * 2 > loaded.size(), fromArchive + " of " + loaded.size() + " classes from the archive");
    }
}
