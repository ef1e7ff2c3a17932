package io.ensign.store.postgresql.internal;

import io.ensign.api.store.Store;
import io.ensign.testing.postgresql.PostgresCluster;
import io.ensign.testing.postgresql.PostgresClusterExtension;
import io.ensign.testing.store.StoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PostgreSQL store against the contract every store meets, on a cluster of its own, a new database per test. */
class PostgresStoreContractTest extends StoreContract {
    @RegisterExtension
    static final PostgresClusterExtension POSTGRES = new PostgresClusterExtension();
    /** This test's database, created at its first open. */
    private String database;

    @Override
    protected Store openStore() {
        PostgresCluster cluster = POSTGRES.cluster();
        if (database == null) {
            database = cluster.createDatabase();
        }
        return new PostgresStore(PostgresTarget.parse(cluster.storeUrl(database), cluster.password()), 8, 5,
                PostgresStore.CHANNEL, 5);
    }

    @Override
    protected void closeStore(Store closing) {
        ((PostgresStore) closing).close();
    }
}
