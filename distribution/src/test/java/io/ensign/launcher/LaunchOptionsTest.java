package io.ensign.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    @Test
    void withoutFlagsOrEnvironmentServesPort8080OnAllAddressesWithDataInTheWorkingDirectory() throws Exception {
        LaunchOptions options = LaunchOptions.parse(new String[0], Map.of());

        assertEquals(8080, options.port());
        assertEquals("0.0.0.0", options.host());
        assertEquals(Path.of("data").toAbsolutePath().normalize(), options.dataDir());
        assertFalse(options.shell());
        assertEquals(Optional.empty(), options.adminToken());
    }

    @Test
    void environmentVariablesReplaceTheDefaults() throws Exception {
        LaunchOptions options = LaunchOptions.parse(new String[0],
                Map.of("ENSIGN_PORT", "9090", "ENSIGN_HOST", "127.0.0.1", "ENSIGN_DATA", "/var/lib/ensign"));

        assertEquals(9090, options.port());
        assertEquals("127.0.0.1", options.host());
        assertEquals(Path.of("/var/lib/ensign"), options.dataDir());
    }

    @Test
    void flagsWinOverEnvironmentVariables() throws Exception {
        LaunchOptions options = LaunchOptions.parse(
                new String[] {"--port", "18080", "--host=::1", "--data", "/tmp/ens"},
                Map.of("ENSIGN_PORT", "9090", "ENSIGN_HOST", "127.0.0.1", "ENSIGN_DATA", "/var/lib/ensign"));

        assertEquals(18080, options.port());
        assertEquals("::1", options.host());
        assertEquals(Path.of("/tmp/ens"), options.dataDir());
    }

    @Test
    void relativeDataDirectoryBecomesAbsolute() throws Exception {
        LaunchOptions options = LaunchOptions.parse(new String[] {"--data", "some/../state"}, Map.of());

        assertEquals(Path.of("").toAbsolutePath().resolve("state"), options.dataDir());
    }

    @Test
    void adminTokenComesFromTheEnvironment() throws Exception {
        LaunchOptions options = LaunchOptions.parse(new String[0], Map.of("ENSIGN_ADMIN_TOKEN", "s3cret"));

        assertEquals(Optional.of("s3cret"), options.adminToken());
    }

    @Test
    void shellHelpAndStopWhenReadyAreSwitches() throws Exception {
        LaunchOptions options = LaunchOptions.parse(new String[] {"--shell", "--help", "--stop-when-ready"}, Map.of());
        LaunchOptions plain = LaunchOptions.parse(new String[0], Map.of());

        assertTrue(options.shell());
        assertTrue(options.help());
        assertTrue(options.stopWhenReady());
        assertFalse(plain.stopWhenReady());
    }

    @Test
    void portZeroAsksForAnyFreePort() throws Exception {
        assertEquals(0, LaunchOptions.parse(new String[] {"--port", "0"}, Map.of()).port());
    }

    @Test
    void portThatIsNoNumberIsRejectedNamingTheFlag() {
        UsageException error = assertThrows(UsageException.class,
                () -> LaunchOptions.parse(new String[] {"--port", "http"}, Map.of()));

        assertEquals("--port must be a port number from 0 to 65535, not 'http'", error.getMessage());
    }

    @Test
    void portOutOfRangeFromTheEnvironmentIsRejectedNamingTheVariable() {
        UsageException error = assertThrows(UsageException.class,
                () -> LaunchOptions.parse(new String[0], Map.of("ENSIGN_PORT", "70000")));

        assertEquals("ENSIGN_PORT must be a port number from 0 to 65535, not '70000'", error.getMessage());
    }

    @Test
    void flagWithoutItsValueIsRejected() {
        UsageException error = assertThrows(UsageException.class,
                () -> LaunchOptions.parse(new String[] {"--data"}, Map.of()));

        assertEquals("--data needs a value", error.getMessage());
    }

    @Test
    void unknownFlagIsRejected() {
        UsageException error = assertThrows(UsageException.class,
                () -> LaunchOptions.parse(new String[] {"--prot", "80"}, Map.of()));

        assertEquals("unknown option --prot", error.getMessage());
    }

    @Test
    void storeIsEmbeddedUnlessAPostgresqlUrlIsGivenByFlagOrEnvironment() throws Exception {
        assertEquals(Optional.empty(), LaunchOptions.parse(new String[0], Map.of()).store());
        assertEquals(Optional.empty(), LaunchOptions.parse(new String[] {"--store", "embedded"}, Map.of()).store());
        LaunchOptions fromFlag = LaunchOptions.parse(new String[] {"--store", "postgresql://flags@db:5432/ensign",
                "--store-password-file", "secrets/pw"}, Map.of("ENSIGN_STORE", "postgresql://other@h/db"));
        assertEquals(Optional.of("postgresql://flags@db:5432/ensign"), fromFlag.store());
        assertEquals(Optional.of(Path.of("secrets/pw").toAbsolutePath()), fromFlag.storePasswordFile());
        assertEquals(Optional.of("postgresql://other@h/db"),
                LaunchOptions.parse(new String[0], Map.of("ENSIGN_STORE", "postgresql://other@h/db")).store());
    }

    @Test
    void restoreNamesAnAbsoluteBackupOnlyWhenGiven() throws Exception {
        assertEquals(Optional.empty(), LaunchOptions.parse(new String[0], Map.of()).restore());
        assertEquals(Optional.of(Path.of("backups/b.jsonl").toAbsolutePath()),
                LaunchOptions.parse(new String[] {"--restore", "backups/b.jsonl"}, Map.of()).restore());
        assertEquals("--restore needs a value",
                assertThrows(UsageException.class, () -> LaunchOptions.parse(new String[] {"--restore"}, Map.of()))
                        .getMessage());
    }

    @Test
    void aStoreUrlWithAPasswordIsRejectedWithoutRepeatingIt() {
        for (String url : List.of("postgresql://flags:hunter2@db/ensign", "postgresql://flags@db/e?password=hunter2")) {
            UsageException error = assertThrows(UsageException.class,
                    () -> LaunchOptions.parse(new String[] {"--store", url}, Map.of()));
            assertEquals("--store must not hold a password: set ENSIGN_STORE_PASSWORD or use --store-password-file",
                    error.getMessage());
        }
    }

    @Test
    void aStoreThatIsNotPostgresqlOrHasNoUserIsRejected() {
        assertEquals("--store must be embedded or postgresql://USER@HOST:PORT/DATABASE",
                assertThrows(UsageException.class,
                        () -> LaunchOptions.parse(new String[] {"--store", "mysql://u@h/db"}, Map.of())).getMessage());
        assertEquals("--store must name the user: postgresql://USER@HOST:PORT/DATABASE",
                assertThrows(UsageException.class,
                        () -> LaunchOptions.parse(new String[] {"--store", "postgresql://h/db"}, Map.of()))
                        .getMessage());
        assertEquals("--store-password-file needs --store", assertThrows(UsageException.class,
                () -> LaunchOptions.parse(new String[] {"--store-password-file", "pw"}, Map.of())).getMessage());
    }
}
