package io.ensign.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The configuration files the distribution ships in conf/ each become the configuration of the PID they are named
 * after: FileInstall reads "a-b.cfg" as instance b of factory configuration a, so a name with a '-' would configure
 * nothing that takes its PID.
 */
class ShippedConfigurationTest {
    private static final Path CONF = Path.of("src/main/dist/conf");

    @Test
    void everyShippedConfigurationFileNamesAPidNotAFactoryInstance() throws IOException {
        List<String> files;
        try (Stream<Path> entries = Files.list(CONF)) {
            files = entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".cfg") || name.endsWith(".config")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no configuration files under " + CONF.toAbsolutePath());
        assertEquals(List.of(), files.stream().filter(name -> name.contains("-")).toList());
    }
}
