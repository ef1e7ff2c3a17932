package io.ensign.http.internal;

/** How a route's error bodies look. */
public enum ErrorStyle {
    /** {@code {"error","message","field"}}, the REST API's shape. */
    API,
    /** The API's shape plus OFREP's {@code errorCode} and {@code errorDetails}, so stock OFREP providers understand it. */
    OFREP
}
