package io.ensign.plugins.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import io.ensign.api.plugin.InvalidBundleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleValidationTest {
    @TempDir
    Path dir;

    private Path jar(String... headers) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        for (int i = 0; i < headers.length; i += 2) {
            manifest.getMainAttributes().putValue(headers[i], headers[i + 1]);
        }
        Path jar = Files.createTempFile(dir, "b", ".jar");
        try (OutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        return jar;
    }

    @Test
    void aBundleManifestGivesNameWithoutDirectivesAndNormalisedVersion() throws Exception {
        Path jar = jar("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "com.example.op;singleton:=true",
                "Bundle-Version", "1.2");

        assertEquals(new BundleValidation.Candidate("com.example.op", "1.2.0"), BundleValidation.read(jar));
    }

    @Test
    void somethingThatIsNoJarIsRefusedSayingSo() throws Exception {
        Path text = Files.writeString(dir.resolve("x.jar"), "hello");

        InvalidBundleException e = assertThrows(InvalidBundleException.class, () -> BundleValidation.read(text));
        assertTrue(e.getMessage().contains("not a jar"), e.getMessage());
    }

    @Test
    void aPlainJarWithoutSymbolicNameIsNoBundle() throws Exception {
        InvalidBundleException e = assertThrows(InvalidBundleException.class,
                () -> BundleValidation.read(jar("Main-Class", "x.Y")));
        assertTrue(e.getMessage().contains("Bundle-SymbolicName"), e.getMessage());
    }

    @Test
    void aBadVersionIsRefused() throws Exception {
        Path jar = jar("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "a", "Bundle-Version", "one");

        assertThrows(InvalidBundleException.class, () -> BundleValidation.read(jar));
    }
}
