package io.ensign.launcher;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator asked for: flags win over environment variables, which win over the defaults.
 *
 * @param port       the HTTP port (--port, ENSIGN_PORT, 8080); 0 for any free port, chosen at start
 * @param host       the address Jetty binds (--host, ENSIGN_HOST, 0.0.0.0)
 * @param dataDir    the data directory, absolute (--data, ENSIGN_DATA, ./data)
 * @param shell      whether to run the interactive Gogo shell even without a console (--shell)
 * @param help       whether only the usage text was asked for (--help)
 * @param stopWhenReady whether to stop cleanly as soon as the server is ready (--stop-when-ready): a smoke check,
 *                   and the build's training run for the class-data archive
 * @param adminToken the first admin token (ENSIGN_ADMIN_TOKEN), never a flag so it stays out of ps
 * @param store      the PostgreSQL database to keep state in instead of the embedded store (--store, ENSIGN_STORE):
 *                   {@code postgresql://USER@HOST:PORT/DATABASE}, never with a password
 * @param storePasswordFile the file holding that database's password (--store-password-file,
 *                   ENSIGN_STORE_PASSWORD_FILE); without it the store reads ENSIGN_STORE_PASSWORD
 * @param restore    a backup (./ensign export --out) to load into the empty store at start (--restore), absolute
 */
public record LaunchOptions(int port, String host, Path dataDir, boolean shell, boolean help,
                            boolean stopWhenReady, Optional<String> adminToken, Optional<String> store,
                            Optional<Path> storePasswordFile, Optional<Path> restore) {

    static final String USAGE = """
            Usage: ensign [--port N] [--host H] [--data DIR] [--store URL [--store-password-file FILE]] [--shell]
                          [--restore FILE] [--stop-when-ready] [--help]
              --port N     HTTP port (env ENSIGN_PORT, default 8080; 0 for any free port)
              --host H     address to bind (env ENSIGN_HOST, default 0.0.0.0)
              --data DIR   data directory (env ENSIGN_DATA, default ./data)
              --store URL  keep all state in PostgreSQL instead of the embedded store (env ENSIGN_STORE):
                           postgresql://USER@HOST:PORT/DATABASE; its password from ENSIGN_STORE_PASSWORD or
              --store-password-file FILE
                           (env ENSIGN_STORE_PASSWORD_FILE), never in the URL
              --restore FILE
                           load a backup (ensign export --out) into the empty store before the server starts;
                           refused, and the server not started, when the store holds data
              --shell      start the interactive Gogo shell even without a console
              --stop-when-ready
                           stop cleanly once /health/ready answers 200 (exit 0), or exit 1
              --help       print this text
            Environment: ENSIGN_ADMIN_TOKEN sets the first admin token.""";

    /**
     * Reads the command line over the environment.
     *
     * @throws UsageException for an unknown flag, a flag without its value, or a value that is not usable
     */
    public static LaunchOptions parse(String[] args, Map<String, String> env) throws UsageException {
        String port = env.getOrDefault("ENSIGN_PORT", "8080");
        String portSource = env.containsKey("ENSIGN_PORT") ? "ENSIGN_PORT" : "--port";
        String host = env.getOrDefault("ENSIGN_HOST", "0.0.0.0");
        String data = env.getOrDefault("ENSIGN_DATA", "data");
        String store = env.getOrDefault("ENSIGN_STORE", "");
        String passwordFile = env.getOrDefault("ENSIGN_STORE_PASSWORD_FILE", "");
        boolean shell = false;
        boolean help = false;
        boolean stopWhenReady = false;
        String restore = "";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            switch (name) {
                case "--shell" -> shell = true;
                case "--help", "-h" -> help = true;
                case "--stop-when-ready" -> stopWhenReady = true;
                case "--port", "--host", "--data", "--store", "--store-password-file", "--restore" -> {
                    String value;
                    if (equals >= 0) {
                        value = arg.substring(equals + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        throw new UsageException(name + " needs a value");
                    }
                    switch (name) {
                        case "--port" -> {
                            port = value;
                            portSource = name;
                        }
                        case "--host" -> host = value;
                        case "--store" -> store = value;
                        case "--store-password-file" -> passwordFile = value;
                        case "--restore" -> restore = value;
                        default -> data = value;
                    }
                }
                default -> throw new UsageException("unknown option " + arg);
            }
        }
        if (host.isBlank()) {
            throw new UsageException("--host must not be empty");
        }
        if (data.isBlank()) {
            throw new UsageException("--data must not be empty");
        }
        Optional<String> token = Optional.ofNullable(env.get("ENSIGN_ADMIN_TOKEN")).filter(t -> !t.isBlank());
        Optional<String> storeUrl = storeUrl(store.trim());
        if (storeUrl.isEmpty() && !passwordFile.isBlank()) {
            throw new UsageException("--store-password-file needs --store");
        }
        Optional<Path> storePassword = passwordFile.isBlank() ? Optional.empty()
                : Optional.of(Path.of(passwordFile).toAbsolutePath().normalize());
        Optional<Path> backup = restore.isBlank() ? Optional.empty()
                : Optional.of(Path.of(restore).toAbsolutePath().normalize());
        return new LaunchOptions(portNumber(port, portSource), host.trim(), Path.of(data).toAbsolutePath().normalize(),
                shell, help, stopWhenReady, token, storeUrl, storePassword, backup);
    }

    /** The PostgreSQL URL, empty for the embedded store ({@code --store embedded} or none). */
    private static Optional<String> storeUrl(String store) throws UsageException {
        if (store.isEmpty() || store.equals("embedded")) {
            return Optional.empty();
        }
        if (!store.startsWith("postgresql://")) {
            throw new UsageException("--store must be embedded or postgresql://USER@HOST:PORT/DATABASE");
        }
        String authority = store.substring("postgresql://".length()).split("[/?]", 2)[0];
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            throw new UsageException("--store must name the user: postgresql://USER@HOST:PORT/DATABASE");
        }
        if (authority.substring(0, at).contains(":") || store.contains("password=")) {
            // the URL is not repeated: it holds the password
            throw new UsageException("--store must not hold a password: set ENSIGN_STORE_PASSWORD or use"
                    + " --store-password-file");
        }
        return Optional.of(store);
    }

    /** These options with {@code port} instead, for {@code --port 0} once a free port is chosen. */
    LaunchOptions withPort(int port) {
        return new LaunchOptions(port, host, dataDir, shell, help, stopWhenReady, adminToken, store,
                storePasswordFile, restore);
    }

    private static int portNumber(String value, String source) throws UsageException {
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // reported below with the range, the same as a number out of range
        }
        throw new UsageException(source + " must be a port number from 0 to 65535, not '" + value + "'");
    }
}
