package io.ensign.store.postgresql.internal;

import java.util.HashMap;
import java.util.Map;

import io.ensign.api.experiment.ExperimentEventStore;
import io.ensign.testing.postgresql.PostgresCluster;
import io.ensign.testing.postgresql.PostgresClusterExtension;
import io.ensign.testing.store.ExperimentEventStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PostgreSQL experiment event store against the contract, a new database per test and name of data. */
class PostgresExperimentEventStoreContractTest extends ExperimentEventStoreContract {
    @RegisterExtension
    static final PostgresClusterExtension POSTGRES = new PostgresClusterExtension();
    /** This test's databases by the contract's name of the data. */
    private final Map<String, String> databases = new HashMap<>();

    @Override
    protected ExperimentEventStore openStore(String data) {
        PostgresCluster cluster = POSTGRES.cluster();
        String database = databases.computeIfAbsent(data, name -> cluster.createDatabase());
        return new PostgresExperimentEventStore(PostgresTarget.parse(cluster.storeUrl(database), cluster.password()),
                4, 5);
    }

    @Override
    protected void closeStore(ExperimentEventStore closing) {
        ((PostgresExperimentEventStore) closing).close();
    }
}
