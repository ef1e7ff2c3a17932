package io.ensign.api.http;

/**
 * The {@code error} codes of the API's error bodies (docs/api.md lists what each means); a route refuses a request
 * with an {@link ApiException} carrying one of them.
 */
public final class ErrorCodes {
    public static final String INVALID_JSON = "INVALID_JSON";
    public static final String INVALID_CONTEXT = "INVALID_CONTEXT";
    public static final String INVALID_HEADER = "INVALID_HEADER";
    public static final String INVALID_PARAMETER = "INVALID_PARAMETER";
    public static final String VALIDATION_FAILED = "VALIDATION_FAILED";
    public static final String VERSION_CONFLICT = "VERSION_CONFLICT";
    public static final String ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION";
    public static final String NOT_FOUND = "NOT_FOUND";
    public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    public static final String UNAUTHORIZED = "UNAUTHORIZED";
    public static final String FORBIDDEN = "FORBIDDEN";
    public static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE";
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";
    public static final String SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE";
    public static final String INSUFFICIENT_STORAGE = "INSUFFICIENT_STORAGE";
    public static final String STORE_UNAVAILABLE = "STORE_UNAVAILABLE";
    public static final String INVALID_REQUEST = "INVALID_REQUEST";

    private ErrorCodes() {
    }
}
