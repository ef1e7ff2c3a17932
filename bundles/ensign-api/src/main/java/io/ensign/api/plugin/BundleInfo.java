package io.ensign.api.plugin;

/**
 * One bundle of the deploy directory.
 *
 * @param id           the framework's bundle id, -1 when the framework has not installed it (yet)
 * @param symbolicName its {@code Bundle-SymbolicName}
 * @param version      its {@code Bundle-Version}
 * @param state        {@code installed}, {@code resolved}, {@code starting}, {@code active}, {@code stopping},
 *                     {@code uninstalled}, or {@code pending} while the deploy directory's watcher has not
 *                     picked it up
 * @param location     where the framework installed it from (a file of the deploy directory)
 */
public record BundleInfo(long id, String symbolicName, String version, String state, String location) {
}
