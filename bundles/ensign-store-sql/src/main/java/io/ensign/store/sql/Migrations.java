package io.ensign.store.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A database layout as versioned migrations. Migration n (from 1) brings the schema from version n - 1 to n; it runs
 * in the same transaction as the bump of {@code schema_version}, so a crash in the middle of one leaves the previous
 * version whole. Append new migrations; never edit old ones.
 */
public final class Migrations {
    private final List<List<String>> steps;

    /** @param steps the statements of each migration, oldest first */
    public Migrations(List<List<String>> steps) {
        this.steps = List.copyOf(steps.stream().map(List::copyOf).toList());
    }

    /** The statements of every migration, oldest first. */
    public List<List<String>> steps() {
        return steps;
    }

    /** The schema version this code writes. */
    public int latest() {
        return steps.size();
    }

    /**
     * Brings the database to {@link #latest()} on a connection in manual-commit mode (the caller commits); refuses a
     * database written by a newer version of the store. A database that several processes open must keep them from
     * migrating at once (a lock taken before this).
     */
    public void migrate(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
            int found = version(statement);
            if (found > latest()) {
                throw new SQLException("the database has schema version " + found + ", this store knows up to "
                        + latest() + "; it was written by a newer Ensign");
            }
            for (int next = found + 1; next <= latest(); next++) {
                for (String ddl : steps.get(next - 1)) {
                    statement.execute(ddl);
                }
                statement.execute("DELETE FROM schema_version");
                statement.execute("INSERT INTO schema_version VALUES (" + next + ")");
            }
        }
    }

    /** The schema version recorded in the database, 0 when none is. */
    public static int version(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
