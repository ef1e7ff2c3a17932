package io.ensign.plugins.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployDirectoryTest {
    @TempDir
    Path home;

    @Test
    void aConfiguredDirectoryWinsOverTheOneInHome() {
        assertEquals(Path.of("/x/plugins"), DeployDirectory.choose("/x/plugins", home.toString()).path());
        assertEquals(home.resolve("deploy"), DeployDirectory.choose(" ", home.toString()).path());
    }

    @Test
    void onlyFilesDirectlyInTheDirectoryAreItsBundles() {
        DeployDirectory deploy = new DeployDirectory(home.resolve("deploy"));

        assertEquals(home.resolve("deploy/a.jar"), deploy.fileOf(home.resolve("deploy/a.jar").toUri().toString()));
        assertNull(deploy.fileOf(home.resolve("deploy/sub/a.jar").toUri().toString()));
        assertNull(deploy.fileOf("mvn:io.ensign/ensign-api/1.0.0"));
        assertNull(deploy.fileOf(BundleValidation.TRIAL_LOCATION + "123"));
    }

    @Test
    void onlyJarsDirectlyInTheDirectoryAreHeld() {
        DeployDirectory deploy = new DeployDirectory(home.resolve("deploy"));

        assertTrue(deploy.holds(home.resolve("deploy/a.jar")));
        assertTrue(deploy.holds(home.resolve("deploy/sub/../a.jar")));
        assertFalse(deploy.holds(home.resolve("deploy/quarantine/a.jar")));
        assertFalse(deploy.holds(home.resolve("deploy/.ensign-starting")));
        assertFalse(deploy.holds(home.resolve("a.jar")));
    }

    @Test
    void aNewBundleNeverTakesTheFileOfAnother() throws Exception {
        DeployDirectory deploy = new DeployDirectory(home.resolve("deploy"));
        Files.createDirectories(deploy.path());
        Files.writeString(deploy.path().resolve("x.jar"), "a bundle put there by hand");

        assertEquals(deploy.path().resolve("x-2.jar"), deploy.fileForNew("x"));
        Files.writeString(deploy.path().resolve("x-2.jar"), "another");
        assertEquals(deploy.path().resolve("x-3.jar"), deploy.fileForNew("x"));
    }

    @Test
    void writeReplacesTheFileAndLeavesNoStagingFileBehind() throws Exception {
        DeployDirectory deploy = new DeployDirectory(home.resolve("deploy"));
        Path target = deploy.fileForNew("x");
        deploy.write(target, new ByteArrayInputStream("one".getBytes(StandardCharsets.UTF_8)));
        deploy.write(target, new ByteArrayInputStream("two".getBytes(StandardCharsets.UTF_8)));

        assertEquals("two", Files.readString(target));
        try (var files = Files.list(home)) {
            assertEquals(1, files.count(), "only deploy/ remains in the parent");
        }
    }
}
