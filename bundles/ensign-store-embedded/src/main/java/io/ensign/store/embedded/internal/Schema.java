package io.ensign.store.embedded.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The database layout and its migrations. Each migration is a list of idempotent statements, so a crash in
 * the middle of one (H2 commits DDL at once) is repaired by running it again at the next start.
 */
final class Schema {
    /**
     * Migration n (from 1) brings the schema from version n - 1 to n. Append new ones; never edit old ones.
     * {@code revisions} keeps every revision (json null for a deletion); {@code current_revisions} points at
     * the newest one of each object so reads need no aggregate; {@code change_log} is the audit trail whose
     * {@code sequence} grows by exactly one per record.
     */
    private static final List<List<String>> MIGRATIONS = List.of(List.of(
            """
            CREATE TABLE IF NOT EXISTS revisions (
              kind VARCHAR NOT NULL,
              object_key VARCHAR NOT NULL,
              version BIGINT NOT NULL,
              json VARCHAR,
              updated TIMESTAMP(9) WITH TIME ZONE NOT NULL,
              PRIMARY KEY (kind, object_key, version))""",
            """
            CREATE TABLE IF NOT EXISTS current_revisions (
              kind VARCHAR NOT NULL,
              object_key VARCHAR NOT NULL,
              version BIGINT NOT NULL,
              PRIMARY KEY (kind, object_key))""",
            """
            CREATE TABLE IF NOT EXISTS change_log (
              sequence BIGINT PRIMARY KEY,
              committed_at TIMESTAMP(9) WITH TIME ZONE NOT NULL,
              actor VARCHAR NOT NULL,
              action VARCHAR NOT NULL,
              kind VARCHAR NOT NULL,
              object_key VARCHAR NOT NULL,
              environment VARCHAR,
              version BIGINT NOT NULL,
              json_before VARCHAR,
              json_after VARCHAR,
              reason VARCHAR,
              request_id VARCHAR)"""));

    /** The schema version this code writes. */
    static final int LATEST = MIGRATIONS.size();

    private Schema() {
    }

    /** Brings the database to {@link #LATEST}; refuses a database written by a newer version of the store. */
    static void migrate(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL)");
            int found = version(statement);
            if (found > LATEST) {
                throw new SQLException("the database has schema version " + found + ", this store knows up to "
                        + LATEST + "; it was written by a newer Ensign");
            }
            for (int next = found + 1; next <= LATEST; next++) {
                for (String ddl : MIGRATIONS.get(next - 1)) {
                    statement.execute(ddl);
                }
                statement.execute("DELETE FROM schema_version");
                statement.execute("INSERT INTO schema_version VALUES (" + next + ")");
            }
        }
    }

    /** The schema version recorded in the database, 0 when none is. */
    static int version(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
