package io.ensign.store.postgresql.internal;

import io.ensign.api.store.Store;
import io.ensign.testing.postgresql.PostgresCluster;
import io.ensign.testing.store.StoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The PostgreSQL store against the contract every store meets, on a cluster of its own, a new database per test. */
class PostgresStoreContractTest extends StoreContract {
    private static PostgresCluster cluster;
    /** This test's database, created at its first open. */
    private String database;

    @BeforeAll
    static void startCluster() {
        cluster = PostgresCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected Store openStore() {
        if (database == null) {
            database = cluster.createDatabase();
        }
        return new PostgresStore(PostgresTarget.parse(cluster.storeUrl(database), cluster.password()), 8, 5);
    }

    @Override
    protected void closeStore(Store closing) {
        ((PostgresStore) closing).close();
    }
}
