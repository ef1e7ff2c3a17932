package io.ensign.launcher;

/**
 * One bundle of a feature, by its Maven coordinates, as a line of a features/NAME.bundles file
 * ({@code groupId:artifactId:type:version}, or with a classifier before the version).
 */
public record FeatureBundle(String groupId, String artifactId, String version) {

    /** Reads one line of a bundle list. */
    public static FeatureBundle parse(String line) {
        String[] parts = line.trim().split(":");
        if (parts.length < 4 || parts.length > 5) {
            throw new IllegalArgumentException("not groupId:artifactId:type[:classifier]:version: '" + line + "'");
        }
        return new FeatureBundle(parts[0], parts[1], parts[parts.length - 1]);
    }

    /** The jar's name in the distribution's bundles/ directory, as Maven copies it there. */
    public String fileName() {
        return artifactId + "-" + version + ".jar";
    }
}
