package io.ensign.store.postgresql.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the store connects and as whom: parsed from {@code postgresql://USER@HOST:PORT/DATABASE} (Ensign's form, as
 * {@code --store} takes it) or {@code jdbc:postgresql://HOST:PORT/DATABASE?user=USER}. A URL with a password in it is
 * refused: the password comes from a file or the environment, so it shows in no process list, log or configuration.
 *
 * @param jdbcUrl  the driver's URL, without user or password
 * @param user     the role to connect as
 * @param password null for none
 */
record PostgresTarget(String jdbcUrl, String user, String password) {
    /** The environment variable that holds the password when no password file is configured. */
    static final String PASSWORD_VARIABLE = "ENSIGN_STORE_PASSWORD";
    private static final String ENSIGN_SCHEME = "postgresql://";
    private static final String JDBC_SCHEME = "jdbc:postgresql://";
    /**
     * The driver's {@code socketTimeout} unless the URL names one: the seconds a statement waits for the server's
     * next answer before its connection is given up. Without it a statement sent into a network partition would wait
     * for TCP to give up, which takes hours; with it the request answers 503 and the connection is replaced. No
     * statement of Ensign's makes the server think that long (migrations at start, which might, wait without limit).
     */
    static final int DEFAULT_SOCKET_TIMEOUT_SECONDS = 10;

    /** Reads the configuration: the URL, and the password from {@code passwordFile} or {@code environment}. */
    static PostgresTarget of(String url, String passwordFile, Map<String, String> environment) {
        String password;
        if (passwordFile != null && !passwordFile.isBlank()) {
            password = readPassword(Path.of(passwordFile));
        } else {
            password = environment.get(PASSWORD_VARIABLE);
        }
        return parse(url, password);
    }

    static PostgresTarget parse(String url, String password) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url: the PostgreSQL store needs postgresql://USER@HOST:PORT/DATABASE");
        }
        String trimmed = url.trim();
        URI uri;
        try {
            if (trimmed.startsWith(ENSIGN_SCHEME)) {
                uri = new URI(trimmed);
            } else if (trimmed.startsWith(JDBC_SCHEME)) {
                uri = new URI(trimmed.substring("jdbc:".length()));
            } else {
                throw new IllegalArgumentException("url: '" + trimmed
                        + "' is not postgresql://USER@HOST:PORT/DATABASE");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url: '" + trimmed + "' is not a URL: " + e.getReason(), e);
        }
        String user = uri.getRawUserInfo();
        if (user != null && user.contains(":")) {
            throw new IllegalArgumentException("url: holds a password; give it in " + PASSWORD_VARIABLE
                    + " or a password file instead");
        }
        String query = uri.getRawQuery();
        StringBuilder parameters = new StringBuilder();
        boolean socketTimeout = false;
        if (query != null) {
            for (String parameter : query.split("&")) {
                String name = parameter.split("=", 2)[0];
                socketTimeout |= name.equals("socketTimeout");
                if (name.equals("password")) {
                    throw new IllegalArgumentException("url: holds a password; give it in " + PASSWORD_VARIABLE
                            + " or a password file instead");
                }
                if (name.equals("user")) {
                    user = user != null ? user : parameter.substring("user=".length());
                } else if (!parameter.isEmpty()) {
                    parameters.append(parameters.isEmpty() ? "?" : "&").append(parameter);
                }
            }
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("url: names no user: postgresql://USER@HOST:PORT/DATABASE");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("url: names no host: postgresql://USER@HOST:PORT/DATABASE");
        }
        String database = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        if (database.isEmpty()) {
            throw new IllegalArgumentException("url: names no database: postgresql://USER@HOST:PORT/DATABASE");
        }
        if (!socketTimeout) {
            parameters.append(parameters.isEmpty() ? "?" : "&").append("socketTimeout=")
                    .append(DEFAULT_SOCKET_TIMEOUT_SECONDS);
        }
        String host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        return new PostgresTarget(JDBC_SCHEME + host + "/" + database + parameters, user, password);
    }

    private static String readPassword(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "" : lines.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("passwordFile: cannot read " + file, e);
        }
    }

    @Override
    public String toString() {
        return user + "@" + jdbcUrl;
    }
}
