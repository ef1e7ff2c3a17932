package io.ensign.launcher;

import java.io.PrintStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/** The launcher's own lines on stdout, in the same layout as slf4j-simple's lines from the bundles. */
final class LauncherLog {
    static final String DATE_TIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern(DATE_TIME_FORMAT);

    private final PrintStream out;

    LauncherLog(PrintStream out) {
        this.out = out;
    }

    void info(String message) {
        line("INFO", message);
    }

    void error(String message) {
        line("ERROR", message);
    }

    private void line(String level, String message) {
        out.println(FORMAT.format(OffsetDateTime.now()) + " [" + Thread.currentThread().getName() + "] "
                + level + " io.ensign.launcher - " + message);
    }
}
