package io.ensign.itests;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;

import io.ensign.testing.postgresql.PostgresCluster;
import io.ensign.testing.postgresql.PostgresClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests that run server processes on a PostgreSQL cluster of their own share: the cluster (started before
 * the class's first test, removed after its last), a work directory kept when a test fails (the servers' logs are
 * there), and a way to start a node on a database.
 */
abstract class PostgresServers {
    static final String ADMIN = EnsignConfiguration.ADMIN_TOKEN;
    /** A boolean flag that is on unless rules say otherwise. */
    static final String FLAG = "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},"
            + "\"defaultVariant\":\"on\"}";

    @RegisterExtension
    static final PostgresClusterExtension POSTGRES = new PostgresClusterExtension();

    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    /** A new, empty database on the cluster, as the store URL a node is started with. */
    static String newDatabase() {
        PostgresCluster cluster = POSTGRES.cluster();
        return cluster.storeUrl(cluster.createDatabase());
    }

    /** Starts the distribution as node {@code name} on the database at {@code url} and waits until it is live. */
    ServerProcess node(String name, String url) throws IOException, InterruptedException {
        return ServerProcess.onPostgres(work, name, client, url, POSTGRES.cluster().password());
    }
}
