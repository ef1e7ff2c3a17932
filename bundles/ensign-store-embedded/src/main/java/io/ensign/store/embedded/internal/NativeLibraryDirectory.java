package io.ensign.store.embedded.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the SQLite driver unpacks its native library: a directory inside the data directory instead of the
 * shared temporary directory.
 *
 * <p>The driver copies its library into {@code org.sqlite.tmpdir} (the JVM's temporary directory unless set) on
 * every start and deletes the copy at a clean exit only. A server stopped by {@code kill -9}, a crash or the
 * out-of-memory killer leaves its 1.5 MB copy behind for good, and the driver lists the whole directory on every
 * start looking for old copies, so a busy {@code /tmp} both fills up and slows every start down. In a directory of
 * its own, the leftovers of earlier runs are deleted before the library is unpacked again.
 */
final class NativeLibraryDirectory {
    /** The system property the SQLite driver reads; an operator who sets it keeps the choice. */
    static final String PROPERTY = "org.sqlite.tmpdir";
    /** The name of the directory, beside the database files. */
    static final String NAME = "native";
    /** The prefix of the driver's copies (and of their {@code .lck} markers). */
    private static final String COPY_PREFIX = "sqlite-";

    private NativeLibraryDirectory() {
    }

    /**
     * Points the driver at {@code dataDirectory}'s own native directory, removing copies left there by earlier
     * runs; does nothing but ensure the directory exists once the property is set (by the operator, or by an
     * earlier store of this JVM, whose library is already loaded). Called before the first connection.
     */
    static synchronized void prepare(Path dataDirectory) {
        String chosen = System.getProperty(PROPERTY);
        Path directory = chosen != null ? Path.of(chosen) : dataDirectory.resolve(NAME);
        try {
            Files.createDirectories(directory);
            if (chosen == null) {
                deleteCopies(directory);
                System.setProperty(PROPERTY, directory.toAbsolutePath().toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + directory + " for SQLite's native library", e);
        }
    }

    // Nothing in this JVM unpacks there before the property names the directory: every copy in it is a dead run's.
    private static void deleteCopies(Path directory) throws IOException {
        try (DirectoryStream<Path> copies = Files.newDirectoryStream(directory, COPY_PREFIX + "*")) {
            for (Path copy : copies) {
                Files.deleteIfExists(copy);
            }
        }
    }
}
