package io.ensign.api.http;

import java.util.function.Supplier;

/**
 * Reads a component's configuration so that a bad edit (a negative limit, text where a number belongs) is refused
 * with a log line and the settings in force are kept, instead of the component failing or taking the bad value.
 */
public final class SettingChecks {
    private static final System.Logger LOG = System.getLogger(SettingChecks.class.getName());

    private SettingChecks() {
    }

    /** The value when it is at least {@code min}; else an IllegalArgumentException naming the setting. */
    public static int atLeast(String pid, String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(pid + ": " + name + " must be at least " + min + ", not " + value);
        }
        return value;
    }

    /**
     * The settings {@code read} makes of the configuration, or {@code inForce} (and a warning) when the configuration
     * has a value that does not convert (DS throws when such an attribute is read) or is out of range.
     */
    public static <T> T readOrKeep(String pid, Supplier<T> read, T inForce) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "configuration " + pid + " refused: " + e.getMessage()
                    + "; keeping " + inForce);
            return inForce;
        }
    }
}
