package io.ensign.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.ensign.api.auth.Role;
import io.ensign.api.store.Mutation;
import io.ensign.http.internal.ApiHarness;
import io.ensign.http.internal.OpenApiChecks;
import io.ensign.store.embedded.internal.EmbeddedExperimentEventStore;
import io.ensign.store.embedded.internal.EmbeddedStore;
import io.ensign.store.sql.SqlBackup;
import io.ensign.testing.fakes.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/admin/export}: admin only, a whole backup of the SQL stores, 409 for a store of another kind. */
class BackupResourceTest {
    @TempDir
    Path directory;

    @Test
    void anAdminGetsAWholeBackupAndOthersAreRefused() throws Exception {
        try (EmbeddedStore store = new EmbeddedStore(directory, false);
             EmbeddedExperimentEventStore events = new EmbeddedExperimentEventStore(directory, false);
             ApiHarness api = ApiHarness.start()) {
            store.commit(List.of(new Mutation("flag", "a", null, "{}", Mutation.ABSENT, null, "admin", null, null)));
            api.add(new BackupResource(store, events, "data/secrets.key"));
            HttpResponse<String> response = api.send("GET", "/api/v1/admin/export", api.token(Role.ADMIN, null),
                    null);
            assertEquals(200, response.statusCode(), response.body());
            Path file = Files.writeString(directory.resolve("backup.jsonl"), response.body());
            SqlBackup.Header header = SqlBackup.check(file);
            assertEquals(1, header.lastSequence());
            assertEquals("data/secrets.key", header.secretsKeyFile());
            assertEquals(403, api.send("GET", "/api/v1/admin/export", api.token(Role.EDITOR, null), null)
                    .statusCode());
            assertEquals(401, api.send("GET", "/api/v1/admin/export", null, null).statusCode());
        }
    }

    @Test
    void aStoreWithoutSqlTablesIsA409() throws Exception {
        try (EmbeddedExperimentEventStore events = new EmbeddedExperimentEventStore(directory, false);
             ApiHarness api = ApiHarness.start()) {
            api.add(new BackupResource(new InMemoryStore(), events, "data/secrets.key"));
            api.expect(409, "GET", "/api/v1/admin/export", api.token(Role.ADMIN, null), null);
        }
    }

    @Test
    void theRouteIsDocumentedExactly() throws Exception {
        try (EmbeddedStore store = new EmbeddedStore(directory, false);
             EmbeddedExperimentEventStore events = new EmbeddedExperimentEventStore(directory, false)) {
            OpenApiChecks.assertDocumentedExactly(List.of(new BackupResource(store, events, "data/secrets.key")));
        }
    }
}
