package io.ensign.store.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite driver's native library goes to the data directory, and a dead run's copy does not stay there. */
class NativeLibraryDirectoryTest {
    private String before;

    @TempDir
    Path data;

    @BeforeEach
    void clearChoice() {
        before = System.clearProperty(NativeLibraryDirectory.PROPERTY);
    }

    @AfterEach
    void restoreChoice() {
        if (before == null) {
            System.clearProperty(NativeLibraryDirectory.PROPERTY);
        } else {
            System.setProperty(NativeLibraryDirectory.PROPERTY, before);
        }
    }

    @Test
    void pointsTheDriverAtTheDataDirectoryAndDeletesCopiesOfDeadRuns() throws IOException {
        Path directory = Files.createDirectories(data.resolve(NativeLibraryDirectory.NAME));
        Path copy = Files.writeString(directory.resolve("sqlite-3.50.3.0-1b2c-libsqlitejdbc.so"), "killed run");
        Path marker = Files.writeString(directory.resolve("sqlite-3.50.3.0-1b2c-libsqlitejdbc.so.lck"), "");
        Path unrelated = Files.writeString(directory.resolve("README.txt"), "kept");

        NativeLibraryDirectory.prepare(data);

        assertEquals(directory.toAbsolutePath().toString(), System.getProperty(NativeLibraryDirectory.PROPERTY));
        assertFalse(Files.exists(copy), "the dead run's copy");
        assertFalse(Files.exists(marker), "the dead run's lock marker");
        assertTrue(Files.exists(unrelated), "a file that is not the driver's");
    }

    @Test
    void onceChosenTheDirectoryStaysAndItsCopiesAreLeftAlone(@TempDir Path other) throws IOException {
        Path chosen = other.resolve("operator's choice");
        System.setProperty(NativeLibraryDirectory.PROPERTY, chosen.toString());

        NativeLibraryDirectory.prepare(data);
        Path loaded = Files.writeString(chosen.resolve("sqlite-3.50.3.0-9f8e-libsqlitejdbc.so"), "in use");
        NativeLibraryDirectory.prepare(data);

        assertEquals(chosen.toString(), System.getProperty(NativeLibraryDirectory.PROPERTY));
        assertTrue(Files.exists(loaded), "the copy this JVM loaded");
        assertFalse(Files.exists(data.resolve(NativeLibraryDirectory.NAME)), "a second directory");
    }
}
