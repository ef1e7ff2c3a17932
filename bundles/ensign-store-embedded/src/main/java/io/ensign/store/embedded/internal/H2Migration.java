package io.ensign.store.embedded.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;

import org.h2.jdbcx.JdbcDataSource;

/**
 * Moves a data directory written by Ensign 1.0, whose stores kept their tables in H2 files
 * ({@code NAME.mv.db}), into the SQLite database that replaces each of them, on the first start that finds one.
 *
 * <p>Crash safety: every table is copied inside one SQLite transaction together with a {@code meta} row that
 * says the migration is done, so a crash during the copy leaves nothing and the next start copies again. Only
 * after that commit is the H2 file renamed to {@code NAME.mv.db.migrated} (kept, not deleted, as the operator's
 * backup); a crash between the commit and the rename is finished by the next start, which sees the row and only
 * renames. The copy refuses to mix: an H2 file beside a SQLite database that already holds data of its own
 * (and no record of a migration) stops the start with a message, rather than guess which one is right.
 */
final class H2Migration {
    private static final System.Logger LOG = System.getLogger(H2Migration.class.getName());
    private static final String DONE = "h2-migration";
    private static final int BATCH = 1_000;

    private H2Migration() {
    }

    /**
     * Migrates {@code h2Name} in the database's directory into {@code database} when there is such a file.
     *
     * @param tables the tables to copy, whose columns are in the same order in both schemas
     */
    static void migrateIfPresent(SqliteDatabase database, Path directory, String h2Name, List<String> tables) {
        Path h2File = directory.resolve(h2Name + ".mv.db");
        if (!Files.exists(h2File)) {
            return;
        }
        Connection writer = database.writer();
        try {
            if (!done(writer)) {
                requireEmpty(writer, tables, h2File, database.file());
                long rows = copy(directory.resolve(h2Name), writer, tables);
                try (PreparedStatement mark = writer.prepareStatement("INSERT INTO meta VALUES (?, ?)")) {
                    mark.setString(1, DONE);
                    mark.setString(2, "copied " + rows + " rows from " + h2File.getFileName());
                    mark.executeUpdate();
                }
                database.commitDurably();
                LOG.log(System.Logger.Level.INFO, "migrated " + rows + " rows from the H2 database " + h2File
                        + " to " + database.file());
            }
        } catch (SQLException e) {
            throw database.failed("migrate " + h2File, e);
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException(h2File + " was written by Ensign 1.0 (H2); migrating it needs the"
                    + " com.h2database bundle, which is not installed. Install it, or move the file away to"
                    + " start with an empty store (docs/running.md, 'Upgrading from H2')", e);
        }
        retire(h2File);
    }

    private static boolean done(Connection writer) throws SQLException {
        try (PreparedStatement query = writer.prepareStatement("SELECT 1 FROM meta WHERE name = ?")) {
            query.setString(1, DONE);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static void requireEmpty(Connection writer, List<String> tables, Path h2File, Path sqliteFile)
            throws SQLException {
        try (Statement statement = writer.createStatement()) {
            for (String table : tables) {
                try (ResultSet rows = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table + ")")) {
                    rows.next();
                    if (rows.getBoolean(1)) {
                        throw new IllegalStateException("both " + h2File + " (Ensign 1.0, H2) and " + sqliteFile
                                + " hold data; move the one that is not current out of the data directory");
                    }
                }
            }
        }
    }

    private static long copy(Path h2Base, Connection target, List<String> tables) throws SQLException {
        JdbcDataSource source = new JdbcDataSource();
        // read-only: a failed migration leaves the H2 file exactly as Ensign 1.0 left it
        source.setURL("jdbc:h2:file:" + h2Base.toAbsolutePath() + ";ACCESS_MODE_DATA=r;DB_CLOSE_ON_EXIT=FALSE");
        source.setUser("ensign");
        long copied = 0;
        try (Connection h2 = source.getConnection(); Statement statement = h2.createStatement()) {
            for (String table : tables) {
                copied += copyTable(statement, table, target);
            }
        }
        return copied;
    }

    private static long copyTable(Statement h2, String table, Connection target) throws SQLException {
        long copied = 0;
        try (ResultSet rows = h2.executeQuery("SELECT * FROM " + table)) {
            int columns = rows.getMetaData().getColumnCount();
            String insert = "INSERT INTO " + table + " VALUES (?" + ", ?".repeat(columns - 1) + ")";
            try (PreparedStatement into = target.prepareStatement(insert)) {
                while (rows.next()) {
                    for (int column = 1; column <= columns; column++) {
                        Object value = rows.getObject(column);
                        // timestamps are kept as ISO-8601 instants, with their nanoseconds
                        into.setObject(column, value instanceof OffsetDateTime time
                                ? time.toInstant().toString() : value);
                    }
                    into.addBatch();
                    if (++copied % BATCH == 0) {
                        into.executeBatch();
                    }
                }
                into.executeBatch();
            }
        }
        return copied;
    }

    private static void retire(Path h2File) {
        Path retired = h2File.resolveSibling(h2File.getFileName() + ".migrated");
        try {
            Files.move(h2File, retired, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(h2File.resolveSibling(h2File.getFileName().toString()
                    .replace(".mv.db", ".trace.db")));
        } catch (IOException e) {
            throw new UncheckedIOException("migrated " + h2File + " but could not rename it to " + retired, e);
        }
        LOG.log(System.Logger.Level.INFO, "kept the migrated H2 database as " + retired);
    }
}
