package io.ensign.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FrameworkPropertiesTest {
    private final LaunchOptions options = new LaunchOptions(18080, "127.0.0.1", Path.of("/srv/ensign/data"), false,
            false, false, Optional.of("token-1"), Optional.empty(), Optional.empty(),
            Optional.of(Path.of("/srv/backups/ensign.jsonl")));
    private final Path home = Path.of("/opt/ensign");

    @Test
    void httpBundleListensWhereTheOptionsSay() {
        Map<String, String> properties = FrameworkProperties.of(options, home, false);

        assertEquals("18080", properties.get("org.osgi.service.http.port"));
        assertEquals("/srv/backups/ensign.jsonl", properties.get("ensign.restore"));
        assertEquals("18080", properties.get("ensign.port"));
        assertEquals("127.0.0.1", properties.get("org.apache.felix.http.host"));
    }

    @Test
    void cacheLivesInTheDataDirectoryAndIsCleanedOnEveryStart() {
        Map<String, String> properties = FrameworkProperties.of(options, home, false);

        assertEquals("/srv/ensign/data/felix-cache", properties.get("org.osgi.framework.storage"));
        assertEquals("onFirstInit", properties.get("org.osgi.framework.storage.clean"));
        assertEquals("/srv/ensign/data", properties.get("ensign.data"));
    }

    @Test
    void adminTokenIsPassedToTheBundles() {
        assertEquals("token-1", FrameworkProperties.of(options, home, false).get("ensign.admin.token"));
    }

    @Test
    void fileInstallWatchesConfOnlyAndKnowsTheHomeWhoseDeployPluginsWatches() {
        Map<String, String> properties = FrameworkProperties.of(options, home, false);

        assertEquals("/opt/ensign/conf", properties.get("felix.fileinstall.dir"));
        assertEquals("/opt/ensign", properties.get("ensign.home"));
        assertEquals("true", properties.get("felix.fileinstall.noInitialDelay"));
        assertEquals("1000", properties.get("felix.fileinstall.poll"));
    }

    @Test
    void fileInstallTakesOnlyConfigurationFilesFromConf() {
        String filter = FrameworkProperties.of(options, home, false).get("felix.fileinstall.filter");

        assertFalse("README.txt".matches(filter));
        assertEquals(true, "io.ensign.store.cfg".matches(filter));
        assertEquals(true, "io.ensign.validation.productionguard.config".matches(filter));
        assertFalse("my-operator-1.0.jar".matches(filter), "a jar in conf/ would bypass the deploy guard");
    }

    @Test
    void shellStaysQuietWithoutConsoleAndTalksWithOne() {
        assertEquals("--nointeractive", FrameworkProperties.of(options, home, false).get("gosh.args"));
        assertFalse(FrameworkProperties.of(options, home, true).containsKey("gosh.args"));
    }
}
