package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.testing.postgresql.PostgresCluster;
import io.ensign.testing.postgresql.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real server process on a real PostgreSQL ({@code --store postgresql://…}, the password from
 * ENSIGN_STORE_PASSWORD, then from --store-password-file): a flag written over HTTP is there after a restart on an
 * empty data directory, so it lived in the database and nowhere else, and the embedded store's file is never made;
 * the same store configured in conf/ (io.ensign.store.postgresql.cfg and the selection) keeps its flag there too.
 */
class PostgresStoreIT {
    private static final String FLAG = "pg-checkout";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Kept when the test fails: the servers' log is there. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @RegisterExtension
    static final PostgresClusterExtension POSTGRES = new PostgresClusterExtension();

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aFlagWrittenOverHttpIsReadBackAfterARestartFromTheDatabase() throws Exception {
        PostgresCluster cluster = POSTGRES.cluster();
        String url = cluster.storeUrl(cluster.createDatabase());
        Path home = ServerProcess.distribution();
        Path log = work.resolve("server.log");
        try (ServerProcess server = ServerProcess.onPostgres(work, "data-1", client, url, cluster.password())) {
            HttpDriver http = server.driver().awaitReady();
            JsonNode created = http.expect(201, "PUT", "/api/v1/flags/" + FLAG, EnsignConfiguration.ADMIN_TOKEN,
                    "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\","
                            + "\"rules\":[{\"conditions\":[{\"attribute\":\"country\",\"operator\":\"in\","
                            + "\"values\":[\"NL\"]}],\"variant\":\"on\"}]}");
            assertEquals(1, created.path("version").asLong(), created.toString());
            assertTrue(evaluate(http).path("value").asBoolean());
        }
        assertFalse(Files.exists(work.resolve("data-1").resolve("ensign.db")), "the embedded store was not used");

        Path passwordFile = work.resolve("store-password");
        Files.writeString(passwordFile, cluster.password() + "\n");
        try (ServerProcess server = ServerProcess.start(home, Files.createDirectories(work.resolve("data-2")),
                log, client, Map.of(), "--store", url, "--store-password-file", passwordFile.toString())) {
            HttpDriver http = server.driver().awaitReady();
            JsonNode flag = http.expect(200, "GET", "/api/v1/flags/" + FLAG, EnsignConfiguration.ADMIN_TOKEN,
                    null);
            assertEquals(1, flag.path("version").asLong(), flag.toString());
            assertTrue(evaluate(http).path("value").asBoolean());
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void theStoreConfiguredInConfKeepsTheFlagInTheDatabase() throws Exception {
        PostgresCluster cluster = POSTGRES.cluster();
        String database = cluster.createDatabase();
        Path home = ServerProcess.copyOfDistribution(work.resolve("ensign"));
        Path passwordFile = work.resolve("store-password");
        Files.writeString(passwordFile, cluster.password() + "\n");
        Files.writeString(home.resolve("conf/io.ensign.store.postgresql.cfg"), "url = " + cluster.storeUrl(database)
                + "\npasswordFile = " + passwordFile + "\n");
        Files.writeString(home.resolve("conf/io.ensign.store.cfg"),
                "store.target = (name=postgresql)\nevents.target = (name=postgresql)\n");
        Path log = work.resolve("conf-server.log");
        try (ServerProcess server = ServerProcess.start(home, Files.createDirectories(work.resolve("conf-data")), log,
                client)) {
            HttpDriver http = server.driver().awaitReady();
            http.expect(201, "PUT", "/api/v1/flags/" + FLAG, EnsignConfiguration.ADMIN_TOKEN,
                    "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"on\"}");
        }
        try (ServerProcess server = ServerProcess.onPostgres(work, "other-data", client, cluster.storeUrl(database),
                cluster.password())) {
            HttpDriver http = server.driver().awaitReady();
            assertTrue(evaluate(http).path("value").asBoolean());
        }
    }

    private static JsonNode evaluate(HttpDriver http) {
        return http.expect(200, "POST", "/ofrep/v1/evaluate/flags/" + FLAG, EnsignConfiguration.ADMIN_TOKEN,
                "{\"context\":{\"targetingKey\":\"user-1\",\"country\":\"NL\"}}");
    }
}
