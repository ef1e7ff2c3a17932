package io.ensign.plugins.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
    void theWatchedDirectoryNamedDeployIsChosenOverHome() {
        DeployDirectory chosen = DeployDirectory.choose("", "/srv/e/conf, /srv/e/deploy", home.toString());

        assertEquals(Path.of("/srv/e/deploy"), chosen.path());
    }

    @Test
    void aConfiguredDirectoryWinsAndHomeIsTheLastResort() {
        assertEquals(Path.of("/x/plugins"), DeployDirectory.choose("/x/plugins", "/srv/deploy", null).path());
        assertEquals(home.resolve("deploy"), DeployDirectory.choose(null, "/srv/conf", home.toString()).path());
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
    void writeReplacesTheFileAndLeavesNoStagingFileBehind() throws Exception {
        DeployDirectory deploy = new DeployDirectory(home.resolve("deploy"));
        Path target = deploy.fileFor("x");
        deploy.write(target, new ByteArrayInputStream("one".getBytes(StandardCharsets.UTF_8)));
        deploy.write(target, new ByteArrayInputStream("two".getBytes(StandardCharsets.UTF_8)));

        assertEquals("two", Files.readString(target));
        try (var files = Files.list(home)) {
            assertEquals(1, files.count(), "only deploy/ remains in the parent");
        }
    }
}
