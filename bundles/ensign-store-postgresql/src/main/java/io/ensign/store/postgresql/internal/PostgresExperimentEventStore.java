package io.ensign.store.postgresql.internal;

import io.ensign.api.experiment.ExperimentEventStore;
import io.ensign.api.store.StorePlugin;
import io.ensign.store.sql.SqlBackup;
import io.ensign.store.sql.SqlExperimentEventStore;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Experiment events in PostgreSQL (schema {@code ensign_events} of the store's database, with a pool of its own so
 * event traffic never waits for the store's connections), the PostgreSQL dialect of {@link SqlExperimentEventStore}.
 * Batches of every node are serialized by the schema's advisory lock, so event ids are claimed once across nodes and
 * the aggregates add up exactly. Configured by the store's PID, {@value PostgresStore#PID}.
 */
@Component(service = ExperimentEventStore.class, configurationPid = PostgresStore.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@StorePlugin(name = "postgresql", version = "1.0.0")
public final class PostgresExperimentEventStore extends SqlExperimentEventStore {
    @Activate
    public PostgresExperimentEventStore(PostgresConfig config, BundleContext context) {
        this(PostgresTarget.of(config.url(), config.passwordFile(), System.getenv()), config.eventPoolSize(),
                config.connectTimeoutSeconds(), context.getProperty(SqlBackup.RESTORE_PROPERTY));
    }

    /** Connects to {@code target}, creating or migrating the event schema. */
    PostgresExperimentEventStore(PostgresTarget target, int poolSize, int connectTimeoutSeconds) {
        this(target, poolSize, connectTimeoutSeconds, null);
    }

    /** As above, restoring the events' part of the backup {@code restore} first (null for none). */
    PostgresExperimentEventStore(PostgresTarget target, int poolSize, int connectTimeoutSeconds, String restore) {
        super(SqlBackup.restoreAtStart(new PostgresDatabase(target, PostgresSchema.EVENTS, null, poolSize,
                connectTimeoutSeconds, "the PostgreSQL experiment event store"), SqlBackup.Part.EVENTS, restore));
    }

    /** Closes the pool once any batch under way has finished. */
    @Deactivate
    @Override
    public void close() {
        super.close();
    }
}
