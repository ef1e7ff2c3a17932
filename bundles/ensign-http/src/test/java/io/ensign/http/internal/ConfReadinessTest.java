package io.ensign.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.ensign.http.internal.ConfReadiness.ConfiguredComponent;
import io.ensign.http.internal.ConfReadiness.FileConfiguration;
import org.junit.jupiter.api.Test;

class ConfReadinessTest {
    private static final Path CONF = Path.of("/ensign/conf");
    private static final Path SERVER = CONF.resolve("io.ensign.http.server.cfg");
    private static final String SERVER_PID = "io.ensign.http.server";
    private static final String SETTINGS = "io.ensign.http.jetty.internal.ServerSettings";

    /** What FileInstall makes of {@code file}: its values, its PID and its file name. */
    private static FileConfiguration read(Path file, String pid, Map<String, Object> values) {
        Map<String, Object> properties = new HashMap<>(values);
        properties.put("service.pid", pid);
        properties.put(ConfReadiness.FILENAME, file.toUri().toString());
        return new FileConfiguration(file, pid, properties);
    }

    /** What a component configuration taking {@code configuration} runs with once SCR has handed it over. */
    private static Map<String, Object> running(FileConfiguration configuration) {
        Map<String, Object> properties = new HashMap<>(configuration.properties());
        properties.put("component.name", "c");
        return properties;
    }

    private static ConfiguredComponent component(String pid, List<Map<String, Object>> running) {
        return new ConfiguredComponent(SETTINGS, List.of(pid), running);
    }

    @Test
    void aFileWithoutItsConfigurationIsNamed() {
        assertEquals(List.of("configuration io.ensign.http.server.cfg"),
                ConfReadiness.pending(List.of(SERVER), List.of(), List.of()));
    }

    @Test
    void aConfigurationTheComponentDoesNotRunWithYetIsNamedWithTheComponent() {
        FileConfiguration configuration = read(SERVER, SERVER_PID, Map.of("headerTimeoutMillis", "3000"));
        Map<String, Object> defaults = Map.of("component.name", "c", "service.pid", SERVER_PID);
        assertEquals(List.of("configuration io.ensign.http.server.cfg in component " + SETTINGS),
                ConfReadiness.pending(List.of(SERVER), List.of(configuration),
                        List.of(component(SERVER_PID, List.of(defaults)))));
        assertEquals(List.of(), ConfReadiness.pending(List.of(SERVER), List.of(configuration),
                List.of(component(SERVER_PID, List.of(running(configuration))))));
    }

    @Test
    void aComponentStillOnTheFilesEarlierValuesKeepsItNamed() {
        FileConfiguration earlier = read(SERVER, SERVER_PID, Map.of("headerTimeoutMillis", "10000"));
        FileConfiguration now = read(SERVER, SERVER_PID, Map.of("headerTimeoutMillis", "3000"));
        assertEquals(List.of("configuration io.ensign.http.server.cfg in component " + SETTINGS),
                ConfReadiness.pending(List.of(SERVER), List.of(now),
                        List.of(component(SERVER_PID, List.of(running(earlier))))));
    }

    @Test
    void aComponentWaitingForItsRequiredConfigurationIsNamed() {
        FileConfiguration configuration = read(SERVER, SERVER_PID, Map.of());
        assertEquals(List.of("configuration io.ensign.http.server.cfg in component " + SETTINGS),
                ConfReadiness.pending(List.of(SERVER), List.of(configuration),
                        List.of(component(SERVER_PID, List.of()))));
    }

    @Test
    void eachFactoryConfigurationNeedsAComponentConfigurationOfItsOwn() {
        Path first = CONF.resolve("io.ensign.audit.webhook-first.cfg");
        Path second = CONF.resolve("io.ensign.audit.webhook-second.cfg");
        String factoryPid = "io.ensign.audit.webhook";
        FileConfiguration one = read(first, factoryPid, Map.of("url", "https://a.example/"));
        FileConfiguration two = read(second, factoryPid, Map.of("url", "https://b.example/"));
        assertEquals(List.of("configuration io.ensign.audit.webhook-second.cfg in component " + SETTINGS),
                ConfReadiness.pending(List.of(first, second), List.of(one, two),
                        List.of(component(factoryPid, List.of(running(one))))));
        assertEquals(List.of(), ConfReadiness.pending(List.of(first, second), List.of(one, two),
                List.of(component(factoryPid, List.of(running(two), running(one))))));
    }

    @Test
    void valuesCompareAsTheRuntimeReportsThem() {
        FileConfiguration configuration = read(SERVER, SERVER_PID, Map.of("environments", List.of("production"),
                "ports", new int[] {8080}, "names", new String[] {"a", "b"}, "limit", 3));
        Map<String, Object> reported = running(configuration);
        reported.put("environments", "[production]");
        reported.put("ports", "[I@1b6d3586");
        reported.put("names", new String[] {"a", "b"});
        assertEquals(List.of(), ConfReadiness.pending(List.of(SERVER), List.of(configuration),
                List.of(component(SERVER_PID, List.of(reported)))));
    }

    @Test
    void aConfigurationNoComponentTakesIsInForceOnceRead() {
        FileConfiguration configuration = read(SERVER, SERVER_PID, Map.of("headerTimeoutMillis", "3000"));
        assertEquals(List.of(), ConfReadiness.pending(List.of(SERVER), List.of(configuration),
                List.of(component("io.ensign.engine", List.of(Map.of())))));
    }

    @Test
    void aComponentOfTwoPidsRunsWithTheLaterOnesValueOfAKeyBothSet() {
        Path engineFile = SERVER.resolveSibling("io.ensign.engine.cfg");
        Path storeFile = SERVER.resolveSibling("io.ensign.store.cfg");
        FileConfiguration engine = read(engineFile, "io.ensign.engine", Map.of("budget", "5"));
        FileConfiguration store = read(storeFile, "io.ensign.store", Map.of("store.target", "(name=embedded)"));
        Map<String, Object> merged = new HashMap<>(running(engine));
        merged.putAll(running(store));
        ConfiguredComponent both = new ConfiguredComponent("engine", List.of("io.ensign.engine", "io.ensign.store"),
                List.of(merged));

        assertEquals(List.of(), ConfReadiness.pending(List.of(engineFile, storeFile), List.of(engine, store),
                List.of(both)), "the engine file's name is overridden by the store file's, not missing");
        merged.put("budget", "1");
        assertEquals(List.of("configuration io.ensign.engine.cfg in component engine"), ConfReadiness.pending(
                List.of(engineFile, storeFile), List.of(engine, store), List.of(both)));
    }
}
