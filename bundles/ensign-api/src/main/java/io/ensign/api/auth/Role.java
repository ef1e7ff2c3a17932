package io.ensign.api.auth;

/**
 * What a token may do; admin, editor and viewer form a ladder, sdk stands apart (evaluation only), and so does
 * metrics (scraping {@code GET /metrics} only, for a Prometheus server).
 */
public enum Role {
    ADMIN("admin"), EDITOR("editor"), VIEWER("viewer"), SDK("sdk"), METRICS("metrics");

    private final String jsonName;

    Role(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name used in JSON and in token documents. */
    public String jsonName() {
        return jsonName;
    }

    /** The role for a JSON name, or null when it names none. */
    public static Role fromJsonName(String name) {
        for (Role role : values()) {
            if (role.jsonName.equals(name)) {
                return role;
            }
        }
        return null;
    }
}
