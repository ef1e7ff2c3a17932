package io.ensign.store.sql;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A backup of a SQL store and its experiment event store as one file of JSON lines, the same for every dialect, so
 * that what one database exported another loads: a header ({@code format}, {@code version}, {@code source},
 * {@code exportedAt}, {@code lastSequence}, {@code secretsKeyFile}), then one line per row
 * ({@code {"table":"store.revisions","row":[...]}}, columns in the tables' order, every table in primary-key order),
 * then a trailer with the number of rows per table and the SHA-256 of every byte before it.
 *
 * <p>An export reads each database in one read-only transaction (a snapshot), so it is consistent while writers go
 * on, and streams rows as it reads them. A restore reads the file twice: first it checks all of it (header, every
 * row's table and types, the trailer's counts and digest), then it loads one part ({@link Part}) into its database in
 * one transaction, and only into a database that holds none of that part's data. A file that is truncated, altered
 * or not a backup is refused before anything is written.
 */
public final class SqlBackup {
    /** The value of the header's {@code format}. */
    public static final String FORMAT = "ensign-backup";
    /** The version of the layout this code writes and reads. */
    public static final int VERSION = 1;

    /**
     * Framework property naming a backup that the stores restore into their empty databases when they start, before
     * anything else can write ({@code ./ensign restore FILE}).
     */
    public static final String RESTORE_PROPERTY = "ensign.restore";

    /** The {@code meta} row naming, by its SHA-256, the backup last restored into the database. */
    private static final String RESTORED = "restored";
    private static final JsonFactory JSON = new JsonFactory();
    private static final int BATCH = 500;

    /** A column's type as the file carries it: text, a whole number or a floating-point number. */
    private enum Type { TEXT, LONG, DOUBLE }

    /** One table: its name, its columns with their types, and whether its rows count as the part's data. */
    private record Table(String name, List<String> columns, List<Type> types, boolean data) {
        static Table of(String name, boolean data, Object... columnsAndTypes) {
            List<String> columns = new ArrayList<>();
            List<Type> types = new ArrayList<>();
            for (int i = 0; i < columnsAndTypes.length; i += 2) {
                columns.add((String) columnsAndTypes[i]);
                types.add((Type) columnsAndTypes[i + 1]);
            }
            return new Table(name, List.copyOf(columns), List.copyOf(types), data);
        }

        /** Primary-key order: the key columns come first in every table, so ordering by all columns is stable. */
        String select() {
            String list = String.join(", ", columns);
            return "SELECT " + list + " FROM " + name + " ORDER BY " + list;
        }

        String insert() {
            String marks = String.join(", ", columns.stream().map(column -> "?").toList());
            String sql = "INSERT INTO " + name + " (" + String.join(", ", columns) + ") VALUES (" + marks + ")";
            return data ? sql : sql + " ON CONFLICT (" + columns.get(0) + ") DO UPDATE SET "
                    + columns.get(1) + " = excluded." + columns.get(1);
        }
    }

    /** A database's share of a backup: the store's tables or the experiment event store's. */
    public enum Part {
        /** Revisions, current revisions, the change log and the store's meta. */
        STORE("store", List.of(
                Table.of("revisions", true, "kind", Type.TEXT, "object_key", Type.TEXT, "version", Type.LONG,
                        "json", Type.TEXT, "updated", Type.TEXT),
                Table.of("current_revisions", true, "kind", Type.TEXT, "object_key", Type.TEXT,
                        "version", Type.LONG),
                Table.of("change_log", true, "sequence", Type.LONG, "committed_at", Type.TEXT, "actor", Type.TEXT,
                        "action", Type.TEXT, "kind", Type.TEXT, "object_key", Type.TEXT, "environment", Type.TEXT,
                        "version", Type.LONG, "json_before", Type.TEXT, "json_after", Type.TEXT,
                        "reason", Type.TEXT, "request_id", Type.TEXT),
                Table.of("meta", false, "name", Type.TEXT, "value", Type.TEXT))),
        /** Event ids, unit state, per-variant aggregates, sequential minimums and the event store's meta. */
        EVENTS("events", List.of(
                Table.of("event_ids", true, "id", Type.TEXT),
                Table.of("unit_variants", true, "experiment", Type.TEXT, "unit", Type.TEXT, "variant", Type.TEXT),
                Table.of("unit_totals", true, "experiment", Type.TEXT, "unit", Type.TEXT, "metric", Type.TEXT,
                        "total", Type.DOUBLE),
                Table.of("variant_counts", true, "experiment", Type.TEXT, "variant", Type.TEXT, "units", Type.LONG,
                        "exposures", Type.LONG, "conflicts", Type.LONG),
                Table.of("metric_sums", true, "experiment", Type.TEXT, "variant", Type.TEXT, "metric", Type.TEXT,
                        "total_sum", Type.DOUBLE, "sum_squares", Type.DOUBLE, "successes", Type.LONG),
                Table.of("sequential_minimums", true, "experiment", Type.TEXT, "arm", Type.TEXT,
                        "p_value", Type.DOUBLE),
                Table.of("meta", false, "name", Type.TEXT, "value", Type.TEXT)));

        private final String prefix;
        private final List<Table> tables;

        Part(String prefix, List<Table> tables) {
            this.prefix = prefix;
            this.tables = tables;
        }

        /** The qualified names of this part's tables, as the file names them ({@code store.revisions}). */
        public List<String> tableNames() {
            return tables.stream().map(table -> prefix + "." + table.name()).toList();
        }
    }

    /**
     * What a backup's header says.
     *
     * @param source         the store that exported it ({@code embedded}, {@code postgresql})
     * @param exportedAt     when the export began
     * @param lastSequence   the change log's last sequence in the exported snapshot
     * @param secretsKeyFile where the key that encrypts the secrets was, which the backup does not hold
     * @param rows           rows per qualified table name, from the trailer
     * @param sha256         the digest of the rows, from the trailer, which names the backup
     */
    public record Header(String source, Instant exportedAt, long lastSequence, String secretsKeyFile,
                         Map<String, Long> rows, String sha256) {
    }

    /** A file that is no whole backup, or a database that a backup may not be loaded into. */
    public static final class BackupException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BackupException(String message) {
            super(message);
        }

        public BackupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private SqlBackup() {
    }

    /**
     * Writes a backup of {@code store} and {@code events} to {@code out}, each read in one snapshot, the store's first.
     *
     * @param source         the store's name for the header
     * @param secretsKeyFile where the secrets' key file is, for the header
     */
    public static void export(SqlStore store, SqlExperimentEventStore events, String source, String secretsKeyFile,
                              OutputStream out) throws IOException {
        MessageDigest digest = sha256();
        DigestOutputStream digesting = new DigestOutputStream(out, digest);
        Map<String, Long> counts = new LinkedHashMap<>();
        try (JsonGenerator json = JSON.createGenerator(digesting)) {
            json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            json.setRootValueSeparator(null);
            Instant exportedAt = Instant.now();
            snapshot(store.database(), connection -> {
                long lastSequence;
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(sequence), 0) FROM change_log")) {
                    rows.next();
                    lastSequence = rows.getLong(1);
                }
                writeHeader(json, source, exportedAt, lastSequence, secretsKeyFile);
                writeRows(connection, Part.STORE, json, counts);
                return null;
            });
            snapshot(events.database(), connection -> {
                writeRows(connection, Part.EVENTS, json, counts);
                return null;
            });
            json.flush();
            digesting.on(false);
            json.writeStartObject();
            json.writeObjectFieldStart("end");
            for (Map.Entry<String, Long> count : counts.entrySet()) {
                json.writeNumberField(count.getKey(), count.getValue());
            }
            json.writeEndObject();
            json.writeStringField("sha256", HexFormat.of().formatHex(digest.digest()));
            json.writeEndObject();
            json.writeRaw('\n');
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void writeHeader(JsonGenerator json, String source, Instant exportedAt, long lastSequence,
                                    String secretsKeyFile) {
        try {
            json.writeStartObject();
            json.writeStringField("format", FORMAT);
            json.writeNumberField("version", VERSION);
            json.writeStringField("source", source);
            json.writeStringField("exportedAt", exportedAt.toString());
            json.writeNumberField("lastSequence", lastSequence);
            json.writeStringField("secretsKeyFile", secretsKeyFile);
            json.writeEndObject();
            json.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code query} in one read-only transaction, the newest snapshot when it begins. */
    private static <T> T snapshot(SqlDatabase database, SqlDatabase.Query<T> query) {
        return database.read(connection -> {
            boolean autoCommit = connection.getAutoCommit();
            int isolation = connection.getTransactionIsolation();
            connection.setAutoCommit(false);
            try {
                if (connection.getMetaData()
                        .supportsTransactionIsolationLevel(Connection.TRANSACTION_REPEATABLE_READ)) {
                    connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                }
                if (!connection.isReadOnly()) {
                    connection.setReadOnly(true);
                }
                return query.run(connection);
            } finally {
                connection.rollback();
                connection.setTransactionIsolation(isolation);
                connection.setAutoCommit(autoCommit);
            }
        });
    }

    private static void writeRows(Connection connection, Part part, JsonGenerator json, Map<String, Long> counts)
            throws SQLException {
        for (Table table : part.tables) {
            String qualified = part.prefix + "." + table.name();
            long count = 0;
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(table.select())) {
                while (rows.next()) {
                    writeRow(json, qualified, table, rows);
                    count++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            counts.put(qualified, count);
        }
    }

    private static void writeRow(JsonGenerator json, String qualified, Table table, ResultSet rows)
            throws IOException, SQLException {
        json.writeStartObject();
        json.writeStringField("table", qualified);
        json.writeArrayFieldStart("row");
        for (int column = 1; column <= table.types().size(); column++) {
            switch (table.types().get(column - 1)) {
                case TEXT -> json.writeString(rows.getString(column));
                case LONG -> json.writeNumber(rows.getLong(column));
                case DOUBLE -> json.writeNumber(rows.getDouble(column));
            }
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeRaw('\n');
    }

    /**
     * Reads all of {@code file} and checks that it is a whole backup this code can load: the header, every row (a
     * known table, the right number of values of the right types), the trailer's counts and digest.
     *
     * @throws BackupException naming the line and what is wrong with it
     */
    public static Header check(Path file) {
        return read(file, (table, values) -> { });
    }

    /**
     * Checks {@code file} ({@link #check}) and loads its {@code part} into {@code database} in one transaction,
     * sequences and versions as they were; refuses a database that already holds data of that part, changing nothing.
     *
     * @return what the file's header says
     * @throws BackupException when the file is no whole backup or the database is not empty
     */
    public static Header restore(Path file, Part part, SqlDatabase database) {
        check(file);
        Connection writer = database.beginWrite();
        try {
            for (Table table : part.tables) {
                if (table.data() && !empty(writer, table.name())) {
                    throw new BackupException("a backup is only restored into an empty store, and " + part.prefix
                            + "." + table.name() + " holds rows; nothing was changed");
                }
            }
            Map<String, PreparedStatement> inserts = new LinkedHashMap<>();
            Map<String, Integer> pending = new LinkedHashMap<>();
            try {
                Header header = read(file, (qualified, values) -> {
                    Table table = table(part, qualified);
                    if (table == null) {
                        return;
                    }
                    PreparedStatement insert = inserts.get(qualified);
                    if (insert == null) {
                        insert = writer.prepareStatement(table.insert());
                        inserts.put(qualified, insert);
                    }
                    bind(insert, table, values);
                    insert.addBatch();
                    if (pending.merge(qualified, 1, Integer::sum) >= BATCH) {
                        insert.executeBatch();
                        pending.put(qualified, 0);
                    }
                });
                for (PreparedStatement insert : inserts.values()) {
                    insert.executeBatch();
                }
                try (PreparedStatement restored = writer.prepareStatement("INSERT INTO meta (name, value)"
                        + " VALUES ('" + RESTORED + "', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value")) {
                    restored.setString(1, header.sha256());
                    restored.executeUpdate();
                }
                database.commit(writer);
                return header;
            } finally {
                for (PreparedStatement insert : inserts.values()) {
                    insert.close();
                }
            }
        } catch (SQLException | RuntimeException e) {
            RuntimeException failure = database.failed(writer, "restore a backup", e);
            throw failure instanceof BackupException ? failure
                    : new BackupException("the backup could not be restored, nothing was changed: "
                    + failure.getMessage(), failure);
        } finally {
            database.endWrite(writer);
        }
    }

    /**
     * Restores {@code file}'s {@code part} into a database just opened, before anything else uses it; on a refusal
     * the database is shut down again. A database that this very backup was restored into (its {@code meta} names
     * the backup's digest) is left as it is, so a store that starts again in the same process, or a restart with the
     * same option, goes on with what it has.
     *
     * @param file the backup, or null or blank for none
     * @return the database
     */
    public static <D extends SqlDatabase> D restoreAtStart(D database, Part part, String file) {
        if (file == null || file.isBlank()) {
            return database;
        }
        try {
            String digest = check(Path.of(file)).sha256();
            String restored = database.read(connection -> {
                try (PreparedStatement query = connection.prepareStatement("SELECT value FROM meta WHERE name = ?")) {
                    query.setString(1, RESTORED);
                    try (ResultSet rows = query.executeQuery()) {
                        return rows.next() ? rows.getString(1) : null;
                    }
                }
            });
            if (digest.equals(restored)) {
                return database;
            }
            Header header = restore(Path.of(file), part, database);
            System.getLogger(SqlBackup.class.getName()).log(System.Logger.Level.INFO, "restored the " + part.prefix
                    + " part of " + file + " (exported by the " + header.source() + " store at "
                    + header.exportedAt() + ", last sequence " + header.lastSequence() + ")");
            return database;
        } catch (RuntimeException e) {
            database.shutdown();
            throw e;
        }
    }

    private static boolean empty(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT 1 FROM " + table + " LIMIT 1")) {
            return !rows.next();
        }
    }

    private static Table table(Part part, String qualified) {
        for (Table table : part.tables) {
            if (qualified.equals(part.prefix + "." + table.name())) {
                return table;
            }
        }
        return null;
    }

    private static void bind(PreparedStatement insert, Table table, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            switch (table.types().get(i)) {
                case TEXT -> {
                    if (value == null) {
                        insert.setNull(i + 1, Types.VARCHAR);
                    } else {
                        insert.setString(i + 1, (String) value);
                    }
                }
                case LONG -> insert.setLong(i + 1, (Long) value);
                case DOUBLE -> insert.setDouble(i + 1, (Double) value);
            }
        }
    }

    /** What is done with each row a pass over the file reads: its qualified table and its values. */
    @FunctionalInterface
    private interface RowSink {
        void accept(String table, List<Object> values) throws SQLException;
    }

    private static Header read(Path file, RowSink sink) {
        MessageDigest digest = sha256();
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, Table> known = new LinkedHashMap<>();
        for (Part part : Part.values()) {
            for (Table table : part.tables) {
                known.put(part.prefix + "." + table.name(), table);
                counts.put(part.prefix + "." + table.name(), 0L);
            }
        }
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = lines.readLine();
            if (first == null) {
                throw new BackupException(file + " is empty, not a backup");
            }
            digest.update((first + "\n").getBytes(StandardCharsets.UTF_8));
            Map<String, Object> header = object(file, first, 1);
            if (!FORMAT.equals(header.get("format"))) {
                throw new BackupException(file + " is not an Ensign backup (line 1 has no \"format\":\"" + FORMAT
                        + "\")");
            }
            if (!Long.valueOf(VERSION).equals(header.get("version"))) {
                throw new BackupException(file + " has backup version " + header.get("version") + ", this Ensign"
                        + " reads version " + VERSION);
            }
            long number = 1;
            String line;
            while ((line = lines.readLine()) != null) {
                number++;
                Map<String, Object> fields = object(file, line, number);
                if (fields.containsKey("end")) {
                    checkTrailer(file, fields, counts, HexFormat.of().formatHex(digest.digest()), number);
                    if (lines.readLine() != null) {
                        throw new BackupException(file + " goes on after its end (line " + number + ")");
                    }
                    return new Header(String.valueOf(header.get("source")),
                            Instant.parse(String.valueOf(header.get("exportedAt"))),
                            (Long) header.get("lastSequence"), (String) header.get("secretsKeyFile"), counts,
                            (String) fields.get("sha256"));
                }
                digest.update((line + "\n").getBytes(StandardCharsets.UTF_8));
                Object name = fields.get("table");
                Table table = known.get(name);
                if (table == null) {
                    throw new BackupException(file + " line " + number + ": unknown table " + name);
                }
                List<Object> values = values(fields.get("row"), table, file, number);
                counts.merge((String) name, 1L, Long::sum);
                sink.accept((String) name, values);
            }
            throw new BackupException(file + " is truncated: it ends at line " + number + " without its trailer");
        } catch (IOException e) {
            throw new BackupException(file + " could not be read: " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new BackupException("a row of " + file + " could not be written: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof BackupException) {
                throw e;
            }
            throw new BackupException(file + " is not a whole backup: " + e, e);
        }
    }

    private static void checkTrailer(Path file, Map<String, Object> trailer, Map<String, Long> counts,
                                     String sha256, long number) {
        if (!(trailer.get("end") instanceof Map<?, ?> expected) || !expected.equals(counts)) {
            throw new BackupException(file + " line " + number + ": the trailer counts " + trailer.get("end")
                    + " rows, the file holds " + counts);
        }
        if (!sha256.equals(trailer.get("sha256"))) {
            throw new BackupException(file + " was altered: its SHA-256 is " + sha256 + ", the trailer says "
                    + trailer.get("sha256"));
        }
    }

    private static List<Object> values(Object row, Table table, Path file, long number) {
        if (!(row instanceof List<?> values) || values.size() != table.types().size()) {
            throw new BackupException(file + " line " + number + ": a row of " + table.name() + " has "
                    + table.types().size() + " values");
        }
        List<Object> checked = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            Type type = table.types().get(i);
            boolean fits = switch (type) {
                case TEXT -> value == null || value instanceof String;
                case LONG -> value instanceof Long;
                case DOUBLE -> value instanceof Double || value instanceof Long;
            };
            if (!fits) {
                throw new BackupException(file + " line " + number + ": " + table.name() + "."
                        + table.columns().get(i) + " must be " + type.name().toLowerCase() + ", is " + value);
            }
            checked.add(type == Type.DOUBLE ? Double.valueOf(((Number) value).doubleValue()) : value);
        }
        return checked;
    }

    /** One line's JSON object: strings, whole numbers as Long, other numbers as Double, arrays, objects, nulls. */
    private static Map<String, Object> object(Path file, String line, long number) throws IOException {
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new BackupException(file + " line " + number + " is not a JSON object");
            }
            Map<String, Object> object = readObject(parser);
            if (parser.nextToken() != null) {
                throw new BackupException(file + " line " + number + " holds more than one JSON object");
            }
            return object;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BackupException(file + " line " + number + " is not valid JSON: " + e.getOriginalMessage(),
                    e);
        }
    }

    private static Map<String, Object> readObject(JsonParser parser) throws IOException {
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            object.put(name, value(parser));
        }
        return object;
    }

    private static Object value(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case START_OBJECT -> readObject(parser);
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser));
                }
                yield array;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new BackupException("unexpected JSON " + parser.currentToken());
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
