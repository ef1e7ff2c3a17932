package io.ensign.http.internal;

import java.io.IOException;

/** Answers one route: reads what it needs from the call and responds through it. */
@FunctionalInterface
public interface Endpoint {
    /** Handles the call; failures are thrown and mapped to status codes by {@link ErrorMapping}. */
    void handle(Call call) throws IOException;
}
