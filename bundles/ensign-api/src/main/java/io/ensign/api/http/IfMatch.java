package io.ensign.api.http;

import io.ensign.api.store.Mutation;

/**
 * The condition of an {@code If-Match} header: none (write unconditionally), {@code *} (the object must exist) or
 * one version, {@code "<n>"} as the ETag carries it.
 */
public record IfMatch(Kind kind, long version) {
    /** What the header demands. */
    public enum Kind { NONE, EXISTS, VERSION }

    private static final IfMatch NONE = new IfMatch(Kind.NONE, Mutation.ANY_VERSION);
    private static final IfMatch EXISTS = new IfMatch(Kind.EXISTS, Mutation.ANY_VERSION);

    /** Parses the header; anything but a single version or "*" is a 400. */
    public static IfMatch parse(String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        String value = header.strip();
        if (value.equals("*")) {
            return EXISTS;
        }
        if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
            value = value.substring(1, value.length() - 1);
        }
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ApiException(400, ErrorCodes.INVALID_HEADER,
                    "If-Match must be one version as the ETag gives it, e.g. \"3\", or *", "If-Match");
        }
        return new IfMatch(Kind.VERSION, Long.parseLong(value));
    }

    /** The ETag of a version. */
    public static String etag(long version) {
        return "\"" + version + "\"";
    }

    /**
     * The expected version for the store.
     *
     * @param currentVersion the object's version now, 0 when it does not exist
     * @param what           the object, e.g. "flag 'x'", for the message when it must exist but does not
     */
    public long expectedVersion(long currentVersion, String what) {
        switch (kind) {
            case VERSION:
                return version;
            case EXISTS:
                if (currentVersion == 0) {
                    throw new ApiException(409, ErrorCodes.VERSION_CONFLICT,
                            what + " does not exist, and If-Match: * requires that it does", "If-Match");
                }
                return currentVersion;
            default:
                return Mutation.ANY_VERSION;
        }
    }
}
