package io.ensign.store.postgresql.internal;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.ensign.api.metrics.ServerMetrics;
import io.ensign.api.store.Coordination;
import io.ensign.api.store.Store;
import io.ensign.api.store.StorePlugin;
import io.ensign.store.sql.SqlBackup;
import io.ensign.store.sql.SqlStore;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Every revision and the change log in PostgreSQL (schema {@code ensign} of the configured database), the
 * PostgreSQL dialect of {@link SqlStore}; several nodes may use one database ({@link PostgresDatabase} on how their
 * writes are serialized). Every commit notifies {@value #CHANNEL}, and each node's listeners hear of every node's
 * changes from the change log, in sequence order ({@link ChangeNotifications}). Starts only when PID {@value #PID}
 * is configured.
 */
@Component(service = Store.class, configurationPid = PostgresStore.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@StorePlugin(name = "postgresql", version = "1.0.0")
@Designate(ocd = PostgresConfig.class)
public final class PostgresStore extends SqlStore {
    static final String PID = "io.ensign.store.postgresql";
    /** The channel every commit notifies and every node listens on. */
    static final String CHANNEL = "ensign_changes";

    /** How often the lead is asked for, and the leader's connection checked. */
    static final long LEAD_CHECK_MILLIS = 1_000;

    private final ChangeNotifications notifications;
    private final PostgresCoordination coordination;

    /** Where commit times go; null while no metrics bundle is there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServerMetrics metrics;

    @Activate
    public PostgresStore(PostgresConfig config, BundleContext context) {
        this(PostgresTarget.of(config.url(), config.passwordFile(), System.getenv()), config.poolSize(),
                config.connectTimeoutSeconds(), CHANNEL, config.changeCheckSeconds(),
                context.getProperty(SqlBackup.RESTORE_PROPERTY));
    }

    /**
     * Connects to {@code target}, creating or migrating the schema, and listens on {@code channel} for other nodes'
     * commits, checking the change log every {@code changeCheckSeconds} without a notification; throws rather than
     * leave it half-open.
     */
    PostgresStore(PostgresTarget target, int poolSize, int connectTimeoutSeconds, String channel,
                  int changeCheckSeconds) {
        this(target, poolSize, connectTimeoutSeconds, channel, changeCheckSeconds, null);
    }

    /** As above, restoring the store's part of the backup {@code restore} first (null for none). */
    PostgresStore(PostgresTarget target, int poolSize, int connectTimeoutSeconds, String channel,
                  int changeCheckSeconds, String restore) {
        this(SqlBackup.restoreAtStart(new PostgresDatabase(target, PostgresSchema.STORE, CHANNEL, poolSize,
                connectTimeoutSeconds, "the PostgreSQL store"), SqlBackup.Part.STORE, restore), channel,
                changeCheckSeconds);
    }

    private PostgresStore(PostgresDatabase database, String channel, int changeCheckSeconds) {
        super(database);
        notifications = new ChangeNotifications(database, channel,
                (int) TimeUnit.SECONDS.toMillis(changeCheckSeconds), this::catchUp);
        coordination = new PostgresCoordination(database, LEAD_CHECK_MILLIS);
    }

    /** The nodes on this database take turns at the cluster's audit delivery ({@link PostgresCoordination}). */
    @Override
    public Optional<Coordination> coordination() {
        return Optional.of(coordination);
    }

    @Override
    protected ServerMetrics metrics() {
        return metrics;
    }

    /** Stops listening, then closes the pool once any commit under way has finished. */
    @Deactivate
    @Override
    public void close() {
        coordination.close();
        notifications.close();
        super.close();
    }
}
