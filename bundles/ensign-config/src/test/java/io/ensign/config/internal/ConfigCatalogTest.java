package io.ensign.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.catalog.WriteResult;
import io.ensign.api.config.ConfigDiff;
import io.ensign.api.config.ConfigDiff.Op;
import io.ensign.api.config.ConfigDiff.Operation;
import io.ensign.api.config.ConfigEntry;
import io.ensign.api.config.ConfigService;
import io.ensign.api.config.ResolvedEntry;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.VersionConflictException;
import io.ensign.api.validation.Change;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.ValidationRule;
import io.ensign.api.validation.Violation;
import io.ensign.store.embedded.internal.EmbeddedStore;
import io.ensign.testing.fakes.InMemoryCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigCatalogTest {
    private static final long ANY = Mutation.ANY_VERSION;
    private static final String PASSWORD = "hunter2-correct-horse";

    @TempDir
    Path directory;
    private EmbeddedStore store;
    private ConfigCatalog config;
    private Path keyFile;

    @BeforeEach
    void open() {
        store = new EmbeddedStore(directory.resolve("store"), false);
        keyFile = directory.resolve("data").resolve(ConfigCatalog.KEY_FILE);
        config = new ConfigCatalog(store, new InMemoryCatalog(),
                keyFile);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static WriteContext as(String actor, String reason) {
        return new WriteContext(actor, reason, "req-1");
    }

    private WriteResult<ConfigEntry> put(String key, String environment, Object value) {
        return config.put("checkout", key, environment, value, null, null, ANY, as("alice", "tuning"));
    }

    // ------------------------------------------------------------------ resolution and versions

    @Test
    void resolveLaysEnvironmentValuesOverGlobalOnesAndNamesTheirOrigin() {
        put("timeout", null, 1000);
        put("retries", null, 3);
        put("timeout", "production", 250);
        put("timeout", "production", 300);
        put("banner", "staging", "hello");

        Map<String, ResolvedEntry> production = config.resolve("checkout", "production", true);

        assertEquals(List.of("retries", "timeout"), List.copyOf(production.keySet()));
        assertEquals(new ResolvedEntry("timeout", 300L, 2, "production", false), production.get("timeout"));
        assertEquals(new ResolvedEntry("retries", 3L, 1, "global", false), production.get("retries"));
        Map<String, ResolvedEntry> staging = config.resolve("checkout", "staging", true);
        assertEquals(List.of("banner", "retries", "timeout"), List.copyOf(staging.keySet()));
        assertEquals("global", staging.get("timeout").origin());
        assertEquals(1000L, staging.get("timeout").value());
        assertEquals(List.of("retries", "timeout"), List.copyOf(config.resolve("checkout", null, true).keySet()));
    }

    @Test
    void aMebibyteValueOfOneRepeatedCharacterIsWrittenPlainAndSecretInLinearTime() {
        // The write path besides the rules: codec, before/after decoding, encryption, the store and its audit record.
        // Eight times the bytes may cost about eight times the time (5-7 here), never the 64 times of a quadratic step;
        // the bound is a ratio measured in the same run, so a loaded machine does not fail it.
        for (String unit : List.of("a", "aB3")) {
            long small = fastestUpdates(unit, (1 << 17) / unit.length());
            long large = fastestUpdates(unit, (1 << 20) / unit.length());
            assertTrue(large < 32 * Math.max(small, 1_000_000), "two updates of 1 MiB of " + unit + " took "
                    + large / 1_000_000 + " ms, of 128 KiB " + small / 1_000_000 + " ms");
        }
    }

    /** The fastest of three plain-and-secret update pairs of a value of {@code repeats} units, in nanoseconds. */
    private long fastestUpdates(String unit, int repeats) {
        String value = unit.repeat(repeats);
        put("banner", null, value);
        config.put("checkout", "token", null, value, null, true, false, ANY, as("alice", "tuning"));
        long fastest = Long.MAX_VALUE;
        for (int i = 1; i <= 3; i++) {
            String next = value + "!".repeat(i);
            long start = System.nanoTime();
            put("banner", null, next);
            config.put("checkout", "token", null, next, null, true, false, ANY, as("alice", "tuning"));
            fastest = Math.min(fastest, System.nanoTime() - start);
            assertEquals(next, config.get("checkout", "token", null, true).orElseThrow().value());
        }
        return fastest;
    }

    @Test
    void resolvingAnUnknownEnvironmentIsNotFound() {
        put("timeout", null, 1000);

        assertThrows(NotFoundException.class, () -> config.resolve("checkout", "qa", true));
    }

    @Test
    void namespacesListsEveryNamespaceWithEntriesSorted() {
        config.put("search", "limit", null, 10, null, null, ANY, as("alice", null));
        put("timeout", "production", 1);

        assertEquals(List.of("checkout", "search"), config.namespaces());
    }

    @Test
    void everyWriteAddsAVersionAndHistoryListsThemOldestFirstWithoutDeletions() {
        WriteResult<ConfigEntry> first = put("timeout", null, 1000);
        WriteResult<ConfigEntry> second = config.put("checkout", "timeout", null, 2000, null, null, 1,
                as("bob", "slower backend"));
        config.delete("checkout", "timeout", null, 2, as("carol", "unused"));
        WriteResult<ConfigEntry> recreated = put("timeout", null, Map.of("ms", 5));

        assertTrue(first.created());
        assertEquals(1, first.value().version());
        assertFalse(second.created());
        assertEquals(2, second.value().version());
        assertTrue(recreated.created());
        assertEquals(4, recreated.value().version());
        List<ConfigEntry> history = config.history("checkout", "timeout", null, true);
        assertEquals(List.of(1L, 2L, 4L), history.stream().map(ConfigEntry::version).toList());
        assertEquals(List.of(1000L, 2000L, Map.of("ms", 5L)), history.stream().map(ConfigEntry::value).toList());
        assertEquals("bob", history.get(1).actor());
        assertEquals("slower backend", history.get(1).reason());
        assertEquals(List.of("create", "update", "delete", "create"),
                store.changes(0, 10).stream().map(AuditRecord::action).toList());
    }

    @Test
    void deletingAnEntryThatDoesNotExistIsNotFound() {
        assertThrows(NotFoundException.class,
                () -> config.delete("checkout", "nothing", null, ANY, as("alice", null)));
    }

    @Test
    void rollbackWritesANewVersionWithTheOldValueAndSchema() {
        Map<String, Object> schema = Map.of("type", "integer");
        config.put("checkout", "timeout", "production", 100, schema, null, ANY, as("alice", null));
        config.put("checkout", "timeout", "production", 200, Map.of(), null, ANY, as("alice", null));
        put("timeout", "production", "oops");

        WriteResult<ConfigEntry> rolledBack = config.rollback("checkout", "timeout", "production", 1,
                as("bob", "bad deploy"));

        assertEquals(4, rolledBack.value().version());
        assertEquals(100L, rolledBack.value().value());
        assertEquals(schema, rolledBack.value().schema());
        assertEquals(4, config.get("checkout", "timeout", "production", true).orElseThrow().version());
        AuditRecord last = store.changes(0, 10).get(3);
        assertEquals("rollback", last.action());
        assertEquals("production", last.environment());
        assertEquals("bad deploy", last.reason());
    }

    @Test
    void rollingBackToAVersionThatNeverExistedIsNotFound() {
        put("timeout", null, 1);

        assertThrows(NotFoundException.class,
                () -> config.rollback("checkout", "timeout", null, 7, as("alice", null)));
    }

    @Test
    void diffListsNestedChangesAsJsonPointerOperations() {
        Map<String, Object> v1 = new LinkedHashMap<>();
        v1.put("hosts", List.of("a", "b", "c"));
        v1.put("pool", Map.of("size", 4));
        v1.put("tls", true);
        Map<String, Object> v2 = new LinkedHashMap<>();
        v2.put("hosts", List.of("a", "x"));
        v2.put("pool", Map.of("size", 8));
        v2.put("a/b", "new");
        put("db", null, v1);
        config.put("checkout", "db", null, v2, Map.of("type", "object"), null, ANY, as("alice", null));

        ConfigDiff diff = config.diff("checkout", "db", null, 1, 2, true);

        assertEquals(List.of(
                new Operation(Op.REPLACE, "/value/hosts/1", "b", "x"),
                new Operation(Op.REMOVE, "/value/hosts/2", "c", null),
                new Operation(Op.REPLACE, "/value/pool/size", 4L, 8L),
                new Operation(Op.REMOVE, "/value/tls", true, null),
                new Operation(Op.ADD, "/value/a~1b", null, "new"),
                new Operation(Op.ADD, "/schema", null, Map.of("type", "object"))), diff.operations());
        assertEquals(1, diff.fromVersion());
        assertEquals(2, diff.toVersion());
        assertTrue(config.diff("checkout", "db", null, 2, 2, true).operations().isEmpty());
    }

    @Test
    void diffAgainstADeletionAddsOrRemovesTheWholeEntry() {
        put("flagged", null, "on");
        config.delete("checkout", "flagged", null, ANY, as("alice", null));

        ConfigDiff diff = config.diff("checkout", "flagged", null, 1, 2, true);

        assertEquals(List.of(new Operation(Op.REMOVE, "", Map.of("value", "on", "secret", false), null)),
                diff.operations());
        assertEquals(Op.ADD, config.diff("checkout", "flagged", null, 2, 1, true).operations().get(0).op());
    }

    // ------------------------------------------------------------------ promotion

    @Test
    void promotingANamespaceCopiesEveryEntryOfTheSourceInOneAuditedCommit() {
        put("timeout", null, 1000);
        config.put("checkout", "timeout", "staging", 500, Map.of("type", "integer"), null, ANY, as("alice", null));
        put("retries", "staging", 5);
        put("banner", "staging", List.of("a", "b"));
        put("retries", "production", 1);
        long before = store.lastSequence();

        List<ConfigEntry> promoted = config.promote("checkout", null, "staging", "production",
                as("bob", "release 42"));

        List<AuditRecord> records = store.changes(before, 100);
        assertEquals(3, records.size());
        assertEquals(List.of(before + 1, before + 2, before + 3), records.stream().map(AuditRecord::sequence).toList());
        assertEquals(1, records.stream().map(AuditRecord::time).distinct().count());
        assertTrue(records.stream().allMatch(r -> r.action().equals("promote") && r.environment().equals("production")
                && r.actor().equals("bob") && r.reason().equals("release 42")));
        assertEquals(List.of("banner", "retries", "timeout"), promoted.stream().map(ConfigEntry::key).toList());
        Map<String, ResolvedEntry> production = config.resolve("checkout", "production", true);
        assertEquals(List.of("a", "b"), production.get("banner").value());
        assertEquals(5L, production.get("retries").value());
        assertEquals(2, production.get("retries").version());
        assertEquals(500L, production.get("timeout").value());
        assertEquals("production", production.get("timeout").origin());
        assertEquals(Map.of("type", "integer"),
                config.get("checkout", "timeout", "production", true).orElseThrow().schema());
    }

    @Test
    void promotingOneKeyCopiesOnlyThatKey() {
        put("timeout", "staging", 500);
        put("retries", "staging", 5);

        List<ConfigEntry> promoted = config.promote("checkout", "timeout", "staging", "production",
                as("bob", null));

        assertEquals(1, promoted.size());
        assertEquals(Map.of("timeout", 500L), valuesOf(config.resolve("checkout", "production", true)));
    }

    @Test
    void promotingFromGlobalCopiesGlobalEntries() {
        put("timeout", null, 1000);

        config.promote("checkout", null, null, "development", as("bob", null));

        assertEquals("development", config.resolve("checkout", "development", true).get("timeout").origin());
    }

    @Test
    void promotionNeedsTwoExistingDifferentEnvironmentsAndSomethingToCopy() {
        put("timeout", "staging", 500);

        ValidationException same = assertThrows(ValidationException.class,
                () -> config.promote("checkout", null, "staging", "staging", as("bob", null)));
        assertEquals("/toEnvironment", same.violations().get(0).field());
        ValidationException unknown = assertThrows(ValidationException.class,
                () -> config.promote("checkout", null, "qa", "production", as("bob", null)));
        assertEquals("/fromEnvironment", unknown.violations().get(0).field());
        assertThrows(NotFoundException.class,
                () -> config.promote("checkout", null, "development", "production", as("bob", null)));
    }

    @Test
    void aRefusedPromotionStoresNothingAndPointsAtTheOffendingKey() {
        put("timeout", "staging", 500);
        put("retries", "staging", -1);
        config.bindRule(change -> value(change.after()).equals(-1L)
                ? List.of(Violation.error("non-negative", "/value", "must not be negative")) : List.of(),
                Map.of(ValidationRule.NAME, "non-negative"));
        long before = store.lastSequence();

        ValidationException refused = assertThrows(ValidationException.class,
                () -> config.promote("checkout", null, "staging", "production", as("bob", null)));

        assertEquals("/retries/value", refused.violations().get(0).field());
        assertEquals(before, store.lastSequence());
    }

    // ------------------------------------------------------------------ secrets

    @Test
    void secretValuesAreEncryptedInTheStoreTheAuditTrailAndTheDatabaseFiles() throws IOException {
        config.put("checkout", "db-password", null, PASSWORD, null, true, ANY, as("alice", "rotate"));
        config.put("checkout", "db-password", "production", PASSWORD + "-prod", null, null, ANY,
                as("alice", "rotate"));
        config.rollback("checkout", "db-password", null, 1, as("alice", null));
        config.promote("checkout", null, "production", "staging", as("alice", null));

        for (Document document : store.list(ConfigService.KIND)) {
            assertFalse(document.json().contains(PASSWORD), document.json());
            assertTrue(document.json().contains("\"$encrypted\":\"v1:"), document.json());
        }
        for (AuditRecord record : store.changes(0, 100)) {
            assertFalse(String.valueOf(record.before()).contains(PASSWORD), record.before());
            assertFalse(String.valueOf(record.after()).contains(PASSWORD), record.after());
        }
        store.close();
        try (Stream<Path> files = Files.walk(directory.resolve("store"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertFalse(bytes.contains(PASSWORD), file.toString());
            }
        }
    }

    @Test
    void secretsReadRedactedUnlessRevealed() {
        config.put("checkout", "api-key", null, Map.of("id", "k1", "token", PASSWORD), null, true, ANY,
                as("alice", null));
        put("timeout", null, 1000);

        assertEquals(ConfigService.REDACTED, config.get("checkout", "api-key", null, false).orElseThrow().value());
        assertEquals(Map.of("id", "k1", "token", PASSWORD),
                config.get("checkout", "api-key", null, true).orElseThrow().value());
        Map<String, ResolvedEntry> redacted = config.resolve("checkout", "production", false);
        assertEquals(new ResolvedEntry("api-key", ConfigService.REDACTED, 1, "global", true), redacted.get("api-key"));
        assertEquals(1000L, redacted.get("timeout").value());
        assertEquals(ConfigService.REDACTED, config.history("checkout", "api-key", null, false).get(0).value());
    }

    @Test
    void aSecretsDiffSaysTheValueChangedWithoutShowingIt() {
        config.put("checkout", "api-key", null, PASSWORD, null, true, ANY, as("alice", null));
        config.put("checkout", "api-key", null, PASSWORD + "2", null, null, ANY, as("alice", null));

        assertEquals(List.of(new Operation(Op.REPLACE, "/value", ConfigService.REDACTED, ConfigService.REDACTED)),
                config.diff("checkout", "api-key", null, 1, 2, false).operations());
        assertEquals(List.of(new Operation(Op.REPLACE, "/value", PASSWORD, PASSWORD + "2")),
                config.diff("checkout", "api-key", null, 1, 2, true).operations());
    }

    @Test
    void writeResultsCarrySecretValuesRedacted() {
        WriteResult<ConfigEntry> written = config.put("checkout", "api-key", null, PASSWORD, null, true, ANY,
                as("alice", null));

        assertEquals(ConfigService.REDACTED, written.value().value());
        assertTrue(written.value().secret());
    }

    @Test
    void theSecretFlagSticksAndEnvironmentEntriesOfASecretKeyAreSecret() {
        config.put("checkout", "api-key", null, PASSWORD, null, true, ANY, as("alice", null));
        put("api-key", null, "rotated");
        put("api-key", "production", "prod-value");

        assertTrue(config.get("checkout", "api-key", null, false).orElseThrow().secret());
        assertTrue(config.get("checkout", "api-key", "production", false).orElseThrow().secret());
        assertEquals("rotated", config.get("checkout", "api-key", null, true).orElseThrow().value());
        config.put("checkout", "api-key", null, "public now", null, false, ANY, as("alice", "declassified"));
        assertFalse(config.get("checkout", "api-key", null, false).orElseThrow().secret());
    }

    @Test
    void theSecretsKeyIsCreatedOnFirstUseReadableByItsOwnerOnly() throws IOException {
        put("timeout", null, 1000);
        assertFalse(Files.exists(keyFile));

        config.put("checkout", "api-key", null, PASSWORD, null, true, ANY, as("alice", null));

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        ConfigCatalog reopened = new ConfigCatalog(store, new InMemoryCatalog(), keyFile);
        assertEquals(PASSWORD, reopened.get("checkout", "api-key", null, true).orElseThrow().value());
    }

    // ------------------------------------------------------------------ validation

    @Test
    void validationRulesSeeTheChangeWithClearValuesBeforeAndAfter() {
        List<Change> seen = new ArrayList<>();
        config.bindRule(change -> {
            seen.add(change);
            return List.of();
        }, Map.of(ValidationRule.NAME, "recorder", ValidationRule.KINDS, new String[] {"flag", "config"}));
        config.put("checkout", "api-key", "production", "old", null, true, ANY, as("alice", null));

        config.put("checkout", "api-key", "production", PASSWORD, Map.of("type", "string"), null, ANY,
                as("bob", "rotate"));

        Change change = seen.get(1);
        assertEquals("config", change.kind());
        assertEquals("checkout/api-key", change.key());
        assertEquals("production", change.environment());
        assertEquals("bob", change.actor());
        assertEquals("rotate", change.reason());
        assertEquals("old", value(change.before()));
        Map<?, ?> after = (Map<?, ?>) change.after();
        assertEquals(PASSWORD, after.get("value"));
        assertEquals(Map.of("type", "string"), after.get("schema"));
        assertEquals(true, after.get("secret"));
        assertEquals("checkout", after.get("namespace"));
        assertEquals("api-key", after.get("key"));
        assertEquals("production", after.get("environment"));
        assertNull(seen.get(0).before());
    }

    @Test
    void allowTypeChangeReachesTheRulesButIsNeverStored() {
        List<Change> seen = new ArrayList<>();
        config.bindRule(change -> {
            seen.add(change);
            return List.of();
        }, Map.of(ValidationRule.NAME, "recorder"));
        put("timeout", null, 1000);

        config.put("checkout", "timeout", null, "1s", null, null, true, ANY, as("alice", "now a duration"));

        assertNull(((Map<?, ?>) seen.get(0).after()).get("allowTypeChange"));
        assertEquals(true, ((Map<?, ?>) seen.get(1).after()).get("allowTypeChange"));
        assertFalse(store.get("config", "checkout/timeout@*").orElseThrow().json().contains("allowTypeChange"));
        assertEquals("1s", config.get("checkout", "timeout", null, true).orElseThrow().value());
    }

    @Test
    void anErrorViolationRefusesTheWriteAndStoresNothing() {
        config.bindRule(change -> List.of(Violation.error("no-writes", "/value", "frozen")),
                Map.of(ValidationRule.NAME, "no-writes"));

        ValidationException refused = assertThrows(ValidationException.class, () -> put("timeout", null, 1));

        assertEquals(List.of(Violation.error("no-writes", "/value", "frozen")), refused.violations());
        assertEquals(0, store.lastSequence());
        assertTrue(config.get("checkout", "timeout", null, true).isEmpty());
    }

    @Test
    void warningViolationsComeBackWithTheStoredResult() {
        Violation warning = new Violation("style", "/key", "prefer dotted keys", Violation.Severity.WARNING);
        config.bindRule(change -> List.of(warning), Map.of(ValidationRule.NAME, "style"));

        WriteResult<ConfigEntry> written = put("timeout", null, 1);

        assertEquals(List.of(warning), written.warnings());
        assertEquals(1, store.lastSequence());
    }

    @Test
    void rulesForOtherKindsAreNotConsultedAndUnboundRulesNoLonger() {
        ValidationRule refuseAll = change -> List.of(Violation.error("refuse", "", "no"));
        config.bindRule(refuseAll, Map.of(ValidationRule.NAME, "refuse", ValidationRule.KINDS, "flag"));
        put("timeout", null, 1);
        config.bindRule(refuseAll, Map.of(ValidationRule.NAME, "refuse", ValidationRule.KINDS, List.of("config")));
        assertThrows(ValidationException.class, () -> put("timeout", null, 2));

        config.unbindRule(refuseAll, Map.of());

        assertEquals(2, put("timeout", null, 2).value().version());
    }

    /** What a broken rule plugin throws: a bug, a stack it exhausts, a class its departed bundle took along. */
    static Stream<Throwable> ruleFailures() {
        return Stream.of(new IllegalStateException("broken plugin"), new StackOverflowError(),
                new NoClassDefFoundError("com/example/Gone"), new ExceptionInInitializerError("static init"));
    }

    @ParameterizedTest
    @MethodSource("ruleFailures")
    void aRuleThatThrowsRefusesTheWriteWithAViolationNamingTheRule(Throwable failure) {
        config.bindRule(change -> {
            throw sneaky(failure);
        }, Map.of(ValidationRule.NAME, "broken"));

        ValidationException refused = assertThrows(ValidationException.class, () -> put("timeout", null, 1));

        assertEquals("broken", refused.violations().get(0).rule());
        assertTrue(refused.violations().get(0).message().contains("validation rule 'broken' failed"),
                refused.violations().get(0).message());
    }

    @Test
    void aRuleThatRunsOutOfMemoryIsTheServersFailureAndPropagates() {
        config.bindRule(change -> {
            throw new OutOfMemoryError("simulated");
        }, Map.of(ValidationRule.NAME, "hungry"));

        assertThrows(OutOfMemoryError.class, () -> put("timeout", null, 1));
    }

    /** Throws any throwable from a lambda whose interface declares none. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable failure) throws T {
        throw (T) failure;
    }

    @Test
    void rollbackIsValidatedAgainstTodaysRules() {
        put("timeout", null, -5);
        put("timeout", null, 5);
        config.bindRule(change -> ((Long) value(change.after())) < 0
                ? List.of(Violation.error("positive", "/value", "must be positive")) : List.of(),
                Map.of(ValidationRule.NAME, "positive"));

        assertThrows(ValidationException.class,
                () -> config.rollback("checkout", "timeout", null, 1, as("alice", null)));
        assertEquals(2, store.lastSequence());
    }

    @Test
    void anUnknownEnvironmentIsAValidationErrorOnEnvironment() {
        ValidationException refused = assertThrows(ValidationException.class, () -> put("timeout", "qa", 1));

        assertEquals("/environment", refused.violations().get(0).field());
        assertEquals(0, store.lastSequence());
    }

    @Test
    void badNamesAndASchemaThatIsNotAnObjectAreRefusedTogether() {
        ValidationException refused = assertThrows(ValidationException.class, () -> config.put("check out",
                "a/b", null, 1, List.of("integer"), null, ANY, as("alice", null)));

        assertEquals(List.of("/namespace", "/key", "/schema"),
                refused.violations().stream().map(Violation::field).toList());
    }

    @Test
    void aSchemaIsKeptWhenOmittedInheritedFromGlobalAndRemovedByAnEmptyObject() {
        Map<String, Object> schema = Map.of("type", "integer");
        config.put("checkout", "timeout", null, 1, schema, null, ANY, as("alice", null));
        put("timeout", null, 2);
        put("timeout", "production", 3);

        assertEquals(schema, config.get("checkout", "timeout", null, true).orElseThrow().schema());
        assertEquals(schema, config.get("checkout", "timeout", "production", true).orElseThrow().schema());
        config.put("checkout", "timeout", null, "free", Map.of(), null, ANY, as("alice", null));
        assertNull(config.get("checkout", "timeout", null, true).orElseThrow().schema());
    }

    @Test
    void aStaleExpectedVersionConflictsAndStoresNothing() {
        put("timeout", null, 1);
        put("timeout", null, 2);

        VersionConflictException conflict = assertThrows(VersionConflictException.class,
                () -> config.put("checkout", "timeout", null, 3, null, null, 1, as("bob", null)));
        assertEquals(2, conflict.actual());
        assertThrows(VersionConflictException.class, () -> config.put("checkout", "timeout", null, 3, null, null,
                Mutation.ABSENT, as("bob", null)));
        assertEquals(2L, config.get("checkout", "timeout", null, true).orElseThrow().value());
    }

    private static Object value(Object document) {
        return ((Map<?, ?>) document).get("value");
    }

    private static Map<String, Object> valuesOf(Map<String, ResolvedEntry> resolved) {
        Map<String, Object> values = new LinkedHashMap<>();
        resolved.forEach((key, entry) -> values.put(key, entry.value()));
        return values;
    }
}
