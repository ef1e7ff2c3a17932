package io.ensign.store.postgresql.internal;

import io.ensign.api.metrics.ServerMetrics;
import io.ensign.api.store.Store;
import io.ensign.api.store.StorePlugin;
import io.ensign.store.sql.SqlStore;
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
 * writes are serialized). Starts only when PID {@value #PID} is configured.
 */
@Component(service = Store.class, configurationPid = PostgresStore.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@StorePlugin(name = "postgresql", version = "1.0.0")
@Designate(ocd = PostgresConfig.class)
public final class PostgresStore extends SqlStore {
    static final String PID = "io.ensign.store.postgresql";

    /** Where commit times go; null while no metrics bundle is there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServerMetrics metrics;

    @Activate
    public PostgresStore(PostgresConfig config) {
        this(PostgresTarget.of(config.url(), config.passwordFile(), System.getenv()), config.poolSize(),
                config.connectTimeoutSeconds());
    }

    /** Connects to {@code target}, creating or migrating the schema; throws rather than leave it half-open. */
    PostgresStore(PostgresTarget target, int poolSize, int connectTimeoutSeconds) {
        super(new PostgresDatabase(target, PostgresSchema.STORE, poolSize, connectTimeoutSeconds,
                "the PostgreSQL store"));
    }

    @Override
    protected ServerMetrics metrics() {
        return metrics;
    }

    /** Closes the pool once any commit under way has finished. */
    @Deactivate
    @Override
    public void close() {
        super.close();
    }
}
