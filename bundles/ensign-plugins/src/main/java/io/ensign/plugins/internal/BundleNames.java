package io.ensign.plugins.internal;

import java.util.regex.Pattern;

/**
 * Symbolic names as the plugin admin accepts them. A bundle's file in the deploy directory is named after its
 * symbolic name, so only names that cannot be read as a path are accepted: the OSGi grammar (dot-separated tokens of
 * ASCII letters, digits, {@code _} and {@code -}), which has no separator, no {@code ..} and no control character,
 * and at most {@value #MAX_LENGTH} characters, so that the file name and its staging copy stay within the 255 bytes
 * file systems allow.
 */
final class BundleNames {
    static final int MAX_LENGTH = 200;
    private static final Pattern SYMBOLIC_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final int QUOTED_LENGTH = 60;

    private BundleNames() {
    }

    /**
     * Refuses a name that is not a symbolic name the deploy directory can hold.
     *
     * @param field where the name came from (a manifest header or a request parameter), for the refusal
     * @return the name
     */
    static String require(String name, String field) {
        if (name.length() > MAX_LENGTH) {
            throw new UnsafeBundleException(field + " is " + name.length() + " characters long; at most " + MAX_LENGTH
                    + " are accepted", field);
        }
        if (!SYMBOLIC_NAME.matcher(name).matches()) {
            throw new UnsafeBundleException(field + " " + quoted(name) + " is not a symbolic name (dot-separated "
                    + "words of letters, digits, '_' and '-'); it would name the bundle's file in deploy/", field);
        }
        return name;
    }

    /** Whether the name is a symbolic name the deploy directory can hold. */
    static boolean isSymbolicName(String name) {
        return name.length() <= MAX_LENGTH && SYMBOLIC_NAME.matcher(name).matches();
    }

    /** The name of the bundle's file in the deploy directory. */
    static String fileName(String symbolicName) {
        return symbolicName + ".jar";
    }

    /** The name in quotes with control characters escaped and cut short, fit for a message. */
    static String quoted(String name) {
        StringBuilder quoted = new StringBuilder("'");
        name.codePoints().limit(QUOTED_LENGTH).forEach(c -> {
            if (Character.isISOControl(c)) {
                quoted.append(String.format("\\u%04x", c));
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append(name.codePointCount(0, name.length()) > QUOTED_LENGTH ? "...'" : "'").toString();
    }
}
