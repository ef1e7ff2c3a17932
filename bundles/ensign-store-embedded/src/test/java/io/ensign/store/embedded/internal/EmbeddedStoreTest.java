package io.ensign.store.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import org.sqlite.SQLiteDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the embedded store does: its schema check, where its data lives. The rest: EmbeddedStoreContractTest. */
class EmbeddedStoreTest {
    @TempDir
    Path directory;
    private EmbeddedStore store;

    @BeforeEach
    void open() {
        store = new EmbeddedStore(directory, false);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void databaseFromANewerSchemaFailsToOpen() throws Exception {
        store.close();
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + directory.toAbsolutePath().resolve("ensign.db"));
        try (Connection connection = source.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("UPDATE schema_version SET version = " + (Schema.STORE.migrations().latest() + 1));
        }

        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> new EmbeddedStore(directory, false));
        assertTrue(failure.getCause().getMessage().contains("newer"), failure.getCause().getMessage());

        try (Connection connection = source.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("UPDATE schema_version SET version = " + Schema.STORE.migrations().latest());
        }
        store = new EmbeddedStore(directory, false);
        assertEquals(0, store.lastSequence());
    }

    @Test
    void dataDirectoryComesFromConfigurationThenFrameworkPropertyThenDefault() {
        assertEquals(Path.of("/srv/a"), EmbeddedStore.dataDirectory("/srv/a", "/srv/b"));
        assertEquals(Path.of("/srv/b"), EmbeddedStore.dataDirectory("", "/srv/b"));
        assertEquals(Path.of("./data"), EmbeddedStore.dataDirectory("", null));
    }
}
