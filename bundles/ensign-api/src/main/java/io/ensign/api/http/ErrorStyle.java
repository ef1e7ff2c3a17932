package io.ensign.api.http;

/** How a route's error bodies look. */
public enum ErrorStyle {
    /** {@code {"error","message","field"}}, the REST API's shape. */
    API,
    /** The API's shape plus OFREP's {@code errorCode} and {@code errorDetails}, so stock OFREP providers understand it. */
    OFREP;

    private static final String OFREP_PREFIX = "/ofrep/";

    /**
     * The style of an error no route made (no route matched, or the web server refused the request): an OFREP
     * provider reads {@code errorCode} on every answer under {@code /ofrep/}, whichever part of the server gave it.
     */
    public static ErrorStyle forPath(String path) {
        return path != null && (path.startsWith(OFREP_PREFIX) || path.equals("/ofrep")) ? OFREP : API;
    }
}
