package io.ensign.store.embedded.internal;

import java.util.List;

import io.ensign.store.sql.Migrations;

/** A SQLite database's name and its layout as {@link Migrations}: append new migrations, never edit old ones. */
final class Schema {
    /**
     * The store's layout. {@code revisions} keeps every revision (json null for a deletion);
     * {@code current_revisions} points at the newest one of each object so reads need no aggregate;
     * {@code change_log} is the audit trail whose {@code sequence} grows by exactly one per record;
     * {@code meta} holds facts about the database itself (the H2 migration, the health probe).
     */
    static final Schema STORE = new Schema("ensign", List.of(List.of(
            """
            CREATE TABLE revisions (
              kind TEXT NOT NULL,
              object_key TEXT NOT NULL,
              version INTEGER NOT NULL,
              json TEXT,
              updated TEXT NOT NULL,
              PRIMARY KEY (kind, object_key, version)) STRICT""",
            """
            CREATE TABLE current_revisions (
              kind TEXT NOT NULL,
              object_key TEXT NOT NULL,
              version INTEGER NOT NULL,
              PRIMARY KEY (kind, object_key)) STRICT""",
            """
            CREATE TABLE change_log (
              sequence INTEGER PRIMARY KEY,
              committed_at TEXT NOT NULL,
              actor TEXT NOT NULL,
              action TEXT NOT NULL,
              kind TEXT NOT NULL,
              object_key TEXT NOT NULL,
              environment TEXT,
              version INTEGER NOT NULL,
              json_before TEXT,
              json_after TEXT,
              reason TEXT,
              request_id TEXT) STRICT""",
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT")));

    /**
     * The experiment event store's layout: event ids for idempotency, each unit's variant and metric totals,
     * additive per-variant aggregates and the running minimum of each sequential test.
     */
    static final Schema EVENTS = new Schema("experiment-events", List.of(List.of(
            "CREATE TABLE event_ids (id TEXT PRIMARY KEY) STRICT, WITHOUT ROWID",
            """
            CREATE TABLE unit_variants (
              experiment TEXT NOT NULL, unit TEXT NOT NULL, variant TEXT NOT NULL,
              PRIMARY KEY (experiment, unit)) STRICT, WITHOUT ROWID""",
            """
            CREATE TABLE unit_totals (
              experiment TEXT NOT NULL, unit TEXT NOT NULL, metric TEXT NOT NULL, total REAL NOT NULL,
              PRIMARY KEY (experiment, unit, metric)) STRICT, WITHOUT ROWID""",
            """
            CREATE TABLE variant_counts (
              experiment TEXT NOT NULL, variant TEXT NOT NULL,
              units INTEGER NOT NULL, exposures INTEGER NOT NULL, conflicts INTEGER NOT NULL,
              PRIMARY KEY (experiment, variant)) STRICT""",
            """
            CREATE TABLE metric_sums (
              experiment TEXT NOT NULL, variant TEXT NOT NULL, metric TEXT NOT NULL,
              total_sum REAL NOT NULL, sum_squares REAL NOT NULL, successes INTEGER NOT NULL,
              PRIMARY KEY (experiment, variant, metric)) STRICT""",
            """
            CREATE TABLE sequential_minimums (
              experiment TEXT NOT NULL, arm TEXT NOT NULL, p_value REAL NOT NULL,
              PRIMARY KEY (experiment, arm)) STRICT""",
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT")));

    private final String name;
    private final Migrations migrations;

    /**
     * @param name the database's name: its file is {@code NAME.db}, and Ensign 1.0 kept it in {@code NAME.mv.db}
     */
    private Schema(String name, List<List<String>> migrations) {
        this.name = name;
        this.migrations = new Migrations(migrations);
    }

    String name() {
        return name;
    }

    /** The data tables, whose columns are in the same order as in Ensign 1.0's H2 schema. */
    List<String> tables() {
        return migrations.steps().stream().flatMap(List::stream)
                .filter(ddl -> ddl.startsWith("CREATE TABLE ") && !ddl.startsWith("CREATE TABLE meta "))
                .map(ddl -> ddl.substring("CREATE TABLE ".length()).split("[ (]", 2)[0])
                .toList();
    }

    /** The migrations that create and update the layout. */
    Migrations migrations() {
        return migrations;
    }
}
