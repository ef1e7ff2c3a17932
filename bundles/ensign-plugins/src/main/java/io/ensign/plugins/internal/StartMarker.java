package io.ensign.plugins.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The files of the deploy directory whose bundles are starting right now, kept on disk ({@value #FILE_NAME} in the
 * directory, written and synced before each start and after it), so that the next run knows which jar was starting
 * when the process ended: its activator (or a component started with it) ended or hung the process.
 */
final class StartMarker {
    static final String FILE_NAME = ".ensign-starting";
    private static final System.Logger LOG = System.getLogger(StartMarker.class.getName());

    private final Path directory;
    private final Path file;
    private final Set<String> starting = new LinkedHashSet<>();

    StartMarker(Path directory) {
        this.directory = directory;
        this.file = directory.resolve(FILE_NAME);
    }

    /** The file names the marker holds, written by an earlier run; empty when there is no marker. */
    List<String> recorded() {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not read " + file, e);
            return List.of();
        }
    }

    /** Replaces what the marker holds. */
    synchronized void reset(Collection<String> names) {
        starting.clear();
        starting.addAll(names);
        write();
    }

    /** The bundle of this file starts now; on disk before this returns. */
    synchronized void starting(String name) {
        if (starting.add(name)) {
            write();
        }
    }

    /** The bundle of this file has started, failed to start, or gone. */
    synchronized void done(String name) {
        if (starting.remove(name)) {
            write();
        }
    }

    private void write() {
        try {
            if (starting.isEmpty()) {
                Files.deleteIfExists(file);
            } else {
                Path staged = directory.resolve(FILE_NAME + ".tmp");
                try (FileChannel channel = FileChannel.open(staged, StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    channel.write(StandardCharsets.UTF_8.encode(String.join("\n", starting) + "\n"));
                    channel.force(true);
                }
                try {
                    Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            syncDirectory();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not write " + file + "; a bundle that ends the process while "
                    + "starting will not be quarantined", e);
        }
    }

    /** The rename or removal is durable only once the directory is; not every platform can open one to sync it. */
    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException notSupported) {
            // the platform syncs directory entries by itself or not at all
        }
    }
}
