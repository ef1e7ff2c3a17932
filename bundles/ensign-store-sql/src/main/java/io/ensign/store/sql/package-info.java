/**
 * What the SQL stores share: a {@link io.ensign.api.store.Store} ({@link io.ensign.store.sql.SqlStore}) and an
 * experiment event store ({@link io.ensign.store.sql.SqlExperimentEventStore}) over the same tables in any SQL
 * database, versioned schema migrations ({@link io.ensign.store.sql.Migrations}), and backups that one dialect exports and another restores ({@link io.ensign.store.sql.SqlBackup}). A dialect bundle (embedded
 * SQLite, PostgreSQL) supplies a {@link io.ensign.store.sql.SqlDatabase}: how it connects, serializes writers,
 * commits durably and sorts its failures, and the DDL of its tables.
 */
@Version("1.1.0")
@Export
package io.ensign.store.sql;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
