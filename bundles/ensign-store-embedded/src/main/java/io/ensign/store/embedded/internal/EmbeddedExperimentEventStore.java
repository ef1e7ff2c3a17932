package io.ensign.store.embedded.internal;

import java.nio.file.Path;

import io.ensign.api.experiment.ExperimentEventStore;
import io.ensign.api.store.StorePlugin;
import io.ensign.store.sql.SqlBackup;
import io.ensign.store.sql.SqlExperimentEventStore;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Experiment events on embedded SQLite: event ids for idempotency, each unit's variant and metric totals, and
 * additive per-variant aggregates, so that reading an experiment's statistics touches O(variants x metrics) rows.
 *
 * <p>The events live in their own database file next to the store's ({@code experiment-events.db} in the same
 * data directory) rather than in the store's database: event traffic is orders of magnitude above flag writes and
 * must not queue behind the store's write lock, and each component opens and shuts down its own database.
 *
 * <p>The SQLite dialect of {@link SqlExperimentEventStore}: a batch is one transaction, committed and synced
 * ({@link SqliteDatabase}) before {@link #append} returns.
 */
@Component(service = ExperimentEventStore.class, configurationPid = EmbeddedExperimentEventStore.PID)
@StorePlugin(name = "embedded", version = "2.0.0")
@Designate(ocd = EmbeddedExperimentEventStore.Config.class)
public final class EmbeddedExperimentEventStore extends SqlExperimentEventStore {
    static final String PID = "io.ensign.store.embedded.events";
    private static final int READ_CONNECTIONS = 4;

    /** Configuration of the embedded experiment event store. */
    @ObjectClassDefinition(name = "Ensign embedded experiment event store",
            description = "Where and how experiment events are aggregated")
    public @interface Config {
        @AttributeDefinition(description = "Directory holding the database; empty means the framework property "
                + EmbeddedStore.DATA_PROPERTY + ", else ./data")
        String dataDirectory() default "";

        @AttributeDefinition(description = "Force every batch to the disk device (fsync) before acknowledging it")
        boolean syncEachBatch() default true;

        @AttributeDefinition(description = "Batches are refused (HTTP 507) while the data directory's device has"
                + " fewer free bytes than this")
        long minimumFreeBytes() default EmbeddedStore.DEFAULT_MINIMUM_FREE_BYTES;
    }

    @Activate
    public EmbeddedExperimentEventStore(Config config, BundleContext context) {
        this(EmbeddedStore.dataDirectory(config.dataDirectory(), context.getProperty(EmbeddedStore.DATA_PROPERTY)),
                config.syncEachBatch(), config.minimumFreeBytes(), context.getProperty(SqlBackup.RESTORE_PROPERTY));
    }

    /** Opens the event store in {@code directory} with the default free-space minimum. */
    public EmbeddedExperimentEventStore(Path directory, boolean syncEachBatch) {
        this(directory, syncEachBatch, EmbeddedStore.DEFAULT_MINIMUM_FREE_BYTES, null);
    }

    /**
     * Opens (creating if needed) the event database in {@code directory}, migrating an Ensign 1.0 H2 one found
     * there ({@link H2Migration}), and restores the events' part of the backup {@code restore} into it (null for
     * none).
     */
    public EmbeddedExperimentEventStore(Path directory, boolean syncEachBatch, long minimumFreeBytes,
                                        String restore) {
        super(SqlBackup.restoreAtStart(new SqliteDatabase(directory, Schema.EVENTS, syncEachBatch, READ_CONNECTIONS,
                minimumFreeBytes, "the experiment event store"), SqlBackup.Part.EVENTS, restore));
    }

    /** Shuts the database down once any batch under way has finished. */
    @Deactivate
    @Override
    public void close() {
        super.close();
    }
}
