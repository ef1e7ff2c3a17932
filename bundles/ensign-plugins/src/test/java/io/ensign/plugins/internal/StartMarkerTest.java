package io.ensign.plugins.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartMarkerTest {
    @TempDir
    Path deploy;

    @Test
    void whatIsStartingWhenTheProcessEndsIsWhatTheNextRunReads() {
        StartMarker run = new StartMarker(deploy);
        run.starting("a.jar");
        run.starting("b.jar");
        run.done("a.jar");

        assertEquals(List.of("b.jar"), new StartMarker(deploy).recorded(), "the next run, after a crash");
    }

    @Test
    void nothingStartingLeavesNoMarkerAndNoStagingFile() throws Exception {
        StartMarker run = new StartMarker(deploy);
        run.starting("a.jar");
        run.done("a.jar");

        assertEquals(List.of(), new StartMarker(deploy).recorded());
        try (var files = Files.list(deploy)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void resetReplacesWhatAnEarlierRunLeft() {
        new StartMarker(deploy).starting("old.jar");
        StartMarker next = new StartMarker(deploy);
        next.reset(List.of("kept.jar"));

        assertEquals(List.of("kept.jar"), new StartMarker(deploy).recorded());
        next.reset(List.of());
        assertFalse(Files.exists(deploy.resolve(StartMarker.FILE_NAME)));
    }
}
