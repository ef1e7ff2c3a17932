package io.ensign.plugins.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.osgi.framework.BundleContext;

/**
 * The directory FileInstall deploys plugin bundles from: which bundle locations lie in it, and writing jars into
 * it so that the watcher never sees half a file.
 */
final class DeployDirectory {
    /** The directory's name in the server's home. */
    static final String NAME = "deploy";

    private final Path directory;

    DeployDirectory(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** The deploy directory of the configuration: the one it names, else {@code <ensign.home>/deploy}. */
    static DeployDirectory of(BundleContext context, PluginBundlesConfig config) {
        return choose(config.deployDirectory(), context.getProperty("ensign.home"));
    }

    /** The directory configured, else {@code <home>/deploy} ({@code ./deploy} without a home). */
    static DeployDirectory choose(String configured, String home) {
        if (configured != null && !configured.isBlank()) {
            return new DeployDirectory(Path.of(configured.strip()));
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

    /** Whether the file is a jar directly in this directory, which makes it a bundle of it. */
    boolean holds(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return directory.equals(absolute.getParent()) && absolute.getFileName().toString().endsWith(".jar");
    }

    /**
     * The file a new bundle of this symbolic name goes to: {@code <name>.jar}, or {@code <name>-2.jar} and so on when
     * a file of that name is there already (put there by hand, it may hold another bundle).
     */
    Path fileForNew(String symbolicName) {
        Path file = directory.resolve(BundleNames.fileName(symbolicName));
        for (int n = 2; Files.exists(file); n++) {
            file = directory.resolve(BundleNames.fileName(symbolicName + "-" + n));
        }
        return file;
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
