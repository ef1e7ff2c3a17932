package io.ensign.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A named set of bundles in start order, read from the list the features module generates
 * (features/NAME.bundles); the distribution and the integration tests read the same files.
 */
public record Feature(String name, List<FeatureBundle> bundles) {

    /** The resource or file path of a feature's bundle list, relative to the distribution or the class path. */
    public static String listPath(String name) {
        return "features/" + name + ".bundles";
    }

    /** Reads a bundle list; blank lines are skipped. */
    public static Feature read(String name, InputStream list) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(list, StandardCharsets.UTF_8))) {
            return new Feature(name, reader.lines()
                    .filter(line -> !line.isBlank())
                    .map(FeatureBundle::parse)
                    .toList());
        }
    }
}
