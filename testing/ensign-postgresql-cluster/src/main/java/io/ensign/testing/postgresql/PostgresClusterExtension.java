package io.ensign.testing.postgresql;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link PostgresCluster} for the tests of a class: started before the first, stopped and deleted after the last.
 * {@code @RegisterExtension static final PostgresClusterExtension POSTGRES = new PostgresClusterExtension();}
 */
public final class PostgresClusterExtension implements BeforeAllCallback, AfterAllCallback {
    private PostgresCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = PostgresCluster.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        cluster.close();
    }

    /** The running cluster. */
    public PostgresCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the cluster starts before the class's first test");
        }
        return cluster;
    }
}
