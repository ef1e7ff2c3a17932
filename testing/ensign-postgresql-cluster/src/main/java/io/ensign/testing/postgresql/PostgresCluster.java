package io.ensign.testing.postgresql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of its own for tests: {@code initdb} into a new temporary directory, {@code pg_ctl start} on
 * a free port on 127.0.0.1 with its socket in that directory, and {@link #close()} stops it ({@code pg_ctl stop -m
 * fast}) and deletes the directory. When the tests run as root, every command runs as the {@code postgres} user
 * ({@code runuser -u postgres --}), which owns the directory, since PostgreSQL refuses to run as root.
 *
 * <p>The superuser is {@value #USER} with the password {@link #password()}; connections over TCP need it
 * (scram-sha-256), so a client that sends no password or the wrong one is refused as by a real server. The binaries
 * are found on the PATH, else in Debian's {@code /usr/lib/postgresql/<version>/bin}.
 */
public final class PostgresCluster implements AutoCloseable {
    /** The superuser the cluster is created with. */
    public static final String USER = "ensign";
    private static final String POSTGRES_USER = "postgres";
    private static final long START_SECONDS = 60;

    private final Path directory;
    private final Path data;
    private final Path binaries;
    private final boolean asPostgres;
    private final int port;
    private final String password;
    private final AtomicInteger databases = new AtomicInteger();
    private boolean running;

    private PostgresCluster(Path directory, Path binaries, boolean asPostgres, int port, String password) {
        this.directory = directory;
        this.data = directory.resolve("data");
        this.binaries = binaries;
        this.asPostgres = asPostgres;
        this.port = port;
        this.password = password;
    }

    /** Creates and starts a new cluster; throws, leaving nothing behind, when it cannot. */
    public static PostgresCluster start() {
        Path binaries = binaries().orElseThrow(() -> new IllegalStateException(
                "no PostgreSQL binaries (initdb, pg_ctl) on the PATH nor in /usr/lib/postgresql/*/bin:"
                        + " install Debian's postgresql package"));
        boolean root = "root".equals(System.getProperty("user.name"));
        PostgresCluster cluster;
        try {
            Path directory = Files.createTempDirectory("ensign-postgresql-");
            cluster = new PostgresCluster(directory, binaries, root, freePort(),
                    "pw-" + Long.toHexString(System.nanoTime()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the cluster's directory", e);
        }
        try {
            cluster.initializeAndStart();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Where initdb and pg_ctl are: the PATH first, then Debian's versioned directories, newest first. */
    static Optional<Path> binaries() {
        String path = System.getenv("PATH");
        List<Path> candidates = new ArrayList<>();
        if (path != null) {
            for (String entry : path.split(":")) {
                if (!entry.isEmpty()) {
                    candidates.add(Path.of(entry));
                }
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.sorted(Comparator.reverseOrder()).forEach(version -> candidates.add(version.resolve("bin")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return candidates.stream()
                .filter(dir -> Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl")))
                .map(dir -> realParent(dir.resolve("initdb").toAbsolutePath()))
                .findFirst();
    }

    /** The directory of the real binary, so a symlink on the PATH leads to the versioned bin directory. */
    private static Path realParent(Path binary) {
        try {
            return binary.toRealPath().getParent();
        } catch (IOException e) {
            return binary.getParent();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void initializeAndStart() {
        try {
            Path passwordFile = directory.resolve("password");
            Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
            if (asPostgres) {
                UserPrincipal postgres = directory.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(POSTGRES_USER);
                Files.setOwner(directory, postgres);
                Files.setOwner(passwordFile, postgres);
            }
            Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
            run(List.of(binaries.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
                    "--pwfile=" + passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-sync"));
            startServer();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a PostgreSQL cluster in " + directory, e);
        }
    }

    private void startServer() throws IOException {
        run(List.of(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                directory.resolve("server.log").toString(), "-w", "-t", String.valueOf(START_SECONDS), "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + directory
                        + " -c max_connections=200", "start"));
        running = true;
    }

    /** The port the cluster listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The superuser's password. */
    public String password() {
        return password;
    }

    /** The JDBC URL of {@code database} on this cluster. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Ensign's form of the same place: {@code postgresql://ensign@127.0.0.1:PORT/DATABASE}. */
    public String storeUrl(String database) {
        return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + database;
    }

    /** Creates a new, empty database and returns its name ({@code test_1}, {@code test_2}, …). */
    public String createDatabase() {
        String name = "test_" + databases.incrementAndGet();
        psql("CREATE DATABASE " + name);
        return name;
    }

    /** Runs one SQL statement as the superuser in the {@code postgres} database, through psql on the socket. */
    public void psql(String sql) {
        try {
            run(List.of(binaries.resolve("psql").toString(), "-h", directory.toString(), "-p",
                    String.valueOf(port), "-U", USER, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server at once ({@code pg_ctl stop -m immediate}), as a crash of the database would. */
    public void stopImmediately() {
        stop("immediate");
    }

    /** Starts the stopped server again on the same port and data. */
    public void restart() {
        try {
            startServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server and deletes its directory. */
    @Override
    public void close() {
        stop("fast");
        deleteDirectory();
    }

    private void stop(String mode) {
        if (!running) {
            return;
        }
        try {
            run(List.of(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", mode, "-w", "stop"));
            running = false;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot stop the PostgreSQL cluster in " + directory, e);
        }
    }

    private void deleteDirectory() {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    /** Runs a command (as postgres when running as root), failing with its output when it exits non-zero. */
    private void run(List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", POSTGRES_USER, "--"));
        }
        full.addAll(command);
        Path output = Files.createTempFile("ensign-postgresql-command-", ".log");
        try {
            Process process = new ProcessBuilder(full).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(START_SECONDS + 30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", full));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("exit " + process.exitValue() + " from " + String.join(" ", full)
                        + ":\n" + Files.readString(output) + serverLog());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", full), e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private String serverLog() {
        Path log = directory.resolve("server.log");
        try {
            return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
