package io.ensign.plugins.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The directory FileInstall deploys plugin bundles from: which bundle locations lie in it, and writing jars into
 * it so that the watcher never sees half a file.
 */
final class DeployDirectory {
    /** The directory's conventional name, used to pick it out of FileInstall's list of watched directories. */
    static final String NAME = "deploy";

    private final Path directory;

    DeployDirectory(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /**
     * The deploy directory: the one configured, else the entry named {@value #NAME} of FileInstall's watched
     * directories ({@code felix.fileinstall.dir}, comma separated), else {@code <ensign.home>/deploy}.
     */
    static DeployDirectory choose(String configured, String watchedDirectories, String home) {
        if (configured != null && !configured.isBlank()) {
            return new DeployDirectory(Path.of(configured.strip()));
        }
        if (watchedDirectories != null) {
            for (String entry : watchedDirectories.split(",")) {
                Path candidate = Path.of(entry.strip());
                if (candidate.getFileName() != null && candidate.getFileName().toString().equals(NAME)) {
                    return new DeployDirectory(candidate);
                }
            }
        }
        return new DeployDirectory(Path.of(home == null ? "." : home, NAME));
    }

    Path path() {
        return directory;
    }

    /** The file a bundle location names when it is a file directly in this directory, else null. */
    Path fileOf(String location) {
        if (location == null || !location.startsWith("file:")) {
            return null;
        }
        try {
            Path file = Path.of(URI.create(location)).toAbsolutePath().normalize();
            return directory.equals(file.getParent()) ? file : null;
        } catch (IllegalArgumentException e) {
            return null; // not a location FileInstall would write
        }
    }

    /** The file a new bundle of this symbolic name goes to. */
    Path fileFor(String symbolicName) {
        return directory.resolve(symbolicName + ".jar");
    }

    /**
     * Puts the content at {@code target} in one step: written beside the directory first (the watcher ignores it
     * there), then moved in atomically where the file system allows.
     */
    void write(Path target, InputStream content) throws IOException {
        Files.createDirectories(directory);
        Path parent = directory.getParent() == null ? directory : directory.getParent();
        Path staged = Files.createTempFile(parent, "." + target.getFileName(), ".part");
        try {
            Files.copy(content, staged, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(staged);
        }
    }
}
