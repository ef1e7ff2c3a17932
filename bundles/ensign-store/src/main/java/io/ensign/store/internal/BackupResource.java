package io.ensign.store.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;

import io.ensign.api.experiment.ExperimentEventStore;
import io.ensign.api.http.ApiException;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Call;
import io.ensign.api.http.ErrorCodes;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import io.ensign.api.store.Store;
import io.ensign.store.sql.SqlBackup;
import io.ensign.store.sql.SqlExperimentEventStore;
import io.ensign.store.sql.SqlStore;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code GET /api/v1/admin/export} (admin tokens only): a backup of the selected store and experiment event store
 * ({@link SqlBackup}), streamed as JSON lines while the server goes on writing. It reads and changes nothing else, so
 * it leaves no audit record. The stores are the ones the selection ({@value Store#SELECTION_PID}) names, by the same
 * reference names as {@link SelectedStore} and {@link SelectedEventStore}.
 */
@Component(service = ApiResource.class, configurationPid = Store.SELECTION_PID)
public final class BackupResource implements ApiResource {
    private final Store store;
    private final ExperimentEventStore events;
    private final String secretsKeyFile;

    @Activate
    public BackupResource(@Reference(name = "store", target = SelectedStore.ANY_STORE) Store store,
                          @Reference(name = "events", target = SelectedStore.ANY_STORE) ExperimentEventStore events,
                          BundleContext context) {
        this(store, events, Path.of(dataDirectory(context.getProperty("ensign.data"))).resolve("secrets.key")
                .toString());
    }

    /** @param secretsKeyFile where the secrets' key file is, for the backup's header */
    BackupResource(Store store, ExperimentEventStore events, String secretsKeyFile) {
        this.store = store;
        this.events = events;
        this.secretsKeyFile = secretsKeyFile;
    }

    private static String dataDirectory(String property) {
        return property == null || property.isBlank() ? "data" : property;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/api/v1/admin/export", Permission.ADMIN, this::export));
    }

    @Override
    public URL openApi() {
        return BackupResource.class.getResource("openapi.json");
    }

    private void export(Call call) throws IOException {
        if (!(store instanceof SqlStore sqlStore) || !(events instanceof SqlExperimentEventStore sqlEvents)) {
            throw new ApiException(409, ErrorCodes.INVALID_REQUEST, "the selected store ("
                    + store.getClass().getSimpleName() + ") keeps no SQL tables to export");
        }
        call.setHeader("Content-Disposition", "attachment; filename=\"ensign-backup.jsonl\"");
        call.respond(200, g -> {
            g.flush();
            SqlBackup.export(sqlStore, sqlEvents, sqlStore.getClass().getSimpleName(), secretsKeyFile,
                    (OutputStream) g.getOutputTarget());
        });
    }
}
