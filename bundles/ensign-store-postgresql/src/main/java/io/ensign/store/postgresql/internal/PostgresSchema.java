package io.ensign.store.postgresql.internal;

import java.util.List;

import io.ensign.store.sql.Migrations;

/**
 * The PostgreSQL layouts, each in a schema of its own in the configured database, so the store's and the event
 * store's {@code meta} and {@code schema_version} tables do not meet. JSON stays {@code TEXT}: a document is kept
 * byte for byte as written ({@code jsonb} would reorder its keys). Append new migrations; never edit old ones.
 *
 * @param name       the PostgreSQL schema
 * @param lockKey    the advisory lock that serializes migrations and writes of this layout across nodes
 * @param migrations the tables, as {@code ensign-store-sql} uses them
 */
record PostgresSchema(String name, long lockKey, Migrations migrations) {
    /** The store: revisions, current revisions, the change log and meta; then the shared audit cursors. */
    static final PostgresSchema STORE = new PostgresSchema("ensign", 0x656e7369676e0001L,
            new Migrations(List.of(List.of(
            """
            CREATE TABLE revisions (
              kind TEXT NOT NULL,
              object_key TEXT NOT NULL,
              version BIGINT NOT NULL,
              json TEXT,
              updated TEXT NOT NULL,
              PRIMARY KEY (kind, object_key, version))""",
            """
            CREATE TABLE current_revisions (
              kind TEXT NOT NULL,
              object_key TEXT NOT NULL,
              version BIGINT NOT NULL,
              PRIMARY KEY (kind, object_key))""",
            """
            CREATE TABLE change_log (
              sequence BIGINT PRIMARY KEY,
              committed_at TEXT NOT NULL,
              actor TEXT NOT NULL,
              action TEXT NOT NULL,
              kind TEXT NOT NULL,
              object_key TEXT NOT NULL,
              environment TEXT,
              version BIGINT NOT NULL,
              json_before TEXT,
              json_after TEXT,
              reason TEXT,
              request_id TEXT)""",
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)"),
            List.of("CREATE TABLE audit_cursors (sink TEXT PRIMARY KEY, sequence BIGINT NOT NULL)"))));

    /** The experiment events: ids, unit state, per-variant aggregates, sequential minimums and meta. */
    static final PostgresSchema EVENTS = new PostgresSchema("ensign_events", 0x656e7369676e0002L,
            new Migrations(List.of(List.of(
            "CREATE TABLE event_ids (id TEXT PRIMARY KEY)",
            """
            CREATE TABLE unit_variants (
              experiment TEXT NOT NULL, unit TEXT NOT NULL, variant TEXT NOT NULL,
              PRIMARY KEY (experiment, unit))""",
            """
            CREATE TABLE unit_totals (
              experiment TEXT NOT NULL, unit TEXT NOT NULL, metric TEXT NOT NULL, total DOUBLE PRECISION NOT NULL,
              PRIMARY KEY (experiment, unit, metric))""",
            """
            CREATE TABLE variant_counts (
              experiment TEXT NOT NULL, variant TEXT NOT NULL,
              units BIGINT NOT NULL, exposures BIGINT NOT NULL, conflicts BIGINT NOT NULL,
              PRIMARY KEY (experiment, variant))""",
            """
            CREATE TABLE metric_sums (
              experiment TEXT NOT NULL, variant TEXT NOT NULL, metric TEXT NOT NULL,
              total_sum DOUBLE PRECISION NOT NULL, sum_squares DOUBLE PRECISION NOT NULL, successes BIGINT NOT NULL,
              PRIMARY KEY (experiment, variant, metric))""",
            """
            CREATE TABLE sequential_minimums (
              experiment TEXT NOT NULL, arm TEXT NOT NULL, p_value DOUBLE PRECISION NOT NULL,
              PRIMARY KEY (experiment, arm))""",
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)"))));
}
