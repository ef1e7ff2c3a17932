package io.ensign.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

/**
 * Starts an Ensign server: an embedded Felix framework with the bundles of the distribution's features.
 * Exit codes: 0 after a clean stop, 1 when the server fails to start, 2 for a usage error.
 */
public final class Main {
    static final int USAGE_ERROR = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Parses the command line over the environment, then runs the server until it stops. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args, env);
        } catch (UsageException e) {
            err.println("ensign: " + e.getMessage());
            err.println(LaunchOptions.USAGE);
            return USAGE_ERROR;
        }
        if (options.help()) {
            out.println(LaunchOptions.USAGE);
            return 0;
        }
        configureBundleLogging();
        LauncherLog log = new LauncherLog(out);
        if (options.port() == 0) {
            try {
                options = options.withPort(EmbeddedFelix.freePort(options.host()));
            } catch (IOException e) {
                log.error("cannot find a free port on " + options.host() + ": " + e.getMessage());
                return 1;
            }
        }
        Path home = home();
        log.info("Starting Ensign from " + home);
        return new EmbeddedFelix(options, home, log).run(options.shell() || System.console() != null);
    }

    // slf4j-simple reads system properties; an operator's -D settings win. Bundles that log through
    // java.util.logging (SPI Fly) go to stdout too, in the same layout, so one stream holds the whole log.
    private static void configureBundleLogging() {
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.logFile", "System.out");
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", LauncherLog.DATE_TIME_FORMAT);
        System.getProperties().putIfAbsent("java.util.logging.SimpleFormatter.format",
                "%1$tFT%1$tT.%1$tL%1$tz [jul] %4$s %3$s - %5$s%6$s%n");
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        root.addHandler(new StreamHandler(System.out, new SimpleFormatter()) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }

            // LogManager closes its handlers in a shutdown hook; closing this one would close System.out
            // before the framework has logged its stop.
            @Override
            public synchronized void close() {
                flush();
            }
        });
    }

    /** The distribution's root: -Densign.home, else the parent of lib/ holding the launcher jar. */
    private static Path home() {
        String configured = System.getProperty("ensign.home");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent().toAbsolutePath().normalize();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the launcher jar", e);
        }
    }
}
