package io.ensign.store.embedded.internal;

import java.nio.file.Path;

import io.ensign.api.metrics.ServerMetrics;
import io.ensign.api.store.Store;
import io.ensign.api.store.StorePlugin;
import io.ensign.store.sql.SqlBackup;
import io.ensign.store.sql.SqlStore;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The default store: every revision and the change log in one embedded SQLite database on local disk
 * ({@code ensign.db} in the data directory; see {@link SqliteDatabase} on durability), the SQLite dialect of
 * {@link SqlStore}. Readers use their own read-only connections on SQLite's write-ahead log, so they never wait for
 * the writer; listeners hear of a change only after its commit is on the device.
 */
@Component(service = Store.class, configurationPid = EmbeddedStore.PID)
@StorePlugin(name = "embedded", version = "2.0.0")
@Designate(ocd = EmbeddedStore.Config.class)
public final class EmbeddedStore extends SqlStore {
    static final String PID = "io.ensign.store.embedded";
    /** Framework property naming Ensign's data directory, used when the configuration names none. */
    static final String DATA_PROPERTY = "ensign.data";
    private static final String DEFAULT_DATA_DIRECTORY = "./data";
    private static final int READ_CONNECTIONS = 8;

    /** Configuration of the embedded store. */
    @ObjectClassDefinition(name = "Ensign embedded store", description = "Where and how the default store keeps data")
    public @interface Config {
        @AttributeDefinition(description = "Directory holding the database; empty means the framework property "
                + DATA_PROPERTY + ", else " + DEFAULT_DATA_DIRECTORY)
        String dataDirectory() default "";

        @AttributeDefinition(description = "Force every commit to the disk device (fsync) before acknowledging it;"
                + " without it a commit survives a crash of the process but not of the machine")
        boolean syncEachCommit() default true;

        @AttributeDefinition(description = "Writes are refused (HTTP 507) while the data directory's device has"
                + " fewer free bytes than this, so a commit never starts that a full disk would break off")
        long minimumFreeBytes() default DEFAULT_MINIMUM_FREE_BYTES;
    }

    /** 16 MiB: room for SQLite's write-ahead log to take a large commit and a checkpoint. */
    public static final long DEFAULT_MINIMUM_FREE_BYTES = 16L << 20;

    /** Where commit times go; null while no metrics bundle is there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServerMetrics metrics;

    @Activate
    public EmbeddedStore(Config config, BundleContext context) {
        this(dataDirectory(config.dataDirectory(), context.getProperty(DATA_PROPERTY)), config.syncEachCommit(),
                config.minimumFreeBytes(), context.getProperty(SqlBackup.RESTORE_PROPERTY));
    }

    /** Opens the store in {@code directory} with the default free-space minimum. */
    public EmbeddedStore(Path directory, boolean syncEachCommit) {
        this(directory, syncEachCommit, DEFAULT_MINIMUM_FREE_BYTES, null);
    }

    /**
     * Opens (creating if needed) the database in {@code directory}, migrating an Ensign 1.0 H2 database found
     * there ({@link H2Migration}), and restores the store's part of the backup {@code restore} into it (null for
     * none; {@link SqlBackup#restoreAtStart}); throws rather than leave it half-open.
     */
    public EmbeddedStore(Path directory, boolean syncEachCommit, long minimumFreeBytes, String restore) {
        super(SqlBackup.restoreAtStart(new SqliteDatabase(directory, Schema.STORE, syncEachCommit, READ_CONNECTIONS,
                minimumFreeBytes, "the embedded store"), SqlBackup.Part.STORE, restore));
    }

    static Path dataDirectory(String configured, String frameworkProperty) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        if (frameworkProperty != null && !frameworkProperty.isBlank()) {
            return Path.of(frameworkProperty);
        }
        return Path.of(DEFAULT_DATA_DIRECTORY);
    }

    @Override
    protected ServerMetrics metrics() {
        return metrics;
    }

    /** Shuts the database down once any commit under way has finished, so the next start opens it quickly. */
    @Deactivate
    @Override
    public void close() {
        super.close();
    }
}
