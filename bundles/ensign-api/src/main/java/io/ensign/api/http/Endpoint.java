package io.ensign.api.http;

import java.io.IOException;

/** Answers one route: reads what it needs from the call and responds through it. */
@FunctionalInterface
public interface Endpoint {
    /**
     * Handles the call. A failure is thrown: an {@link ApiException} becomes its status and error body, the API's
     * own exceptions (validation, version conflict, not found, store unavailable) their documented ones, anything
     * else a 500 that the server logs.
     */
    void handle(Call call) throws IOException;
}
