package io.ensign.api.catalog;

/** The object named does not exist. */
public class NotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String kind;
    private final String key;

    public NotFoundException(String kind, String key) {
        super(kind + " '" + key + "' does not exist");
        this.kind = kind;
        this.key = key;
    }

    public String kind() {
        return kind;
    }

    public String key() {
        return key;
    }
}
