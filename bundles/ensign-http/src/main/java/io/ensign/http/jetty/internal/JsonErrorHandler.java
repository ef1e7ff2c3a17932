package io.ensign.http.jetty.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ensign.api.http.ErrorStyle;
import io.ensign.http.internal.ApiError;
import io.ensign.http.internal.ErrorMapping;
import io.ensign.http.internal.Json;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error handler for everything Jetty answers by itself: a request line, URI, Host or header it refuses
 * before any servlet runs (400, 414, 431, 505...) and a path no servlet takes (404). The body is the API's
 * documented error JSON, made by {@link ErrorMapping}, whatever the method and whatever the client accepts, with
 * OFREP's {@code errorCode} and {@code errorDetails} as well.
 */
final class JsonErrorHandler extends ErrorHandler {
    private final Json json = new Json(4, 1024);

    /** Jetty writes bodies for GET, POST and HEAD only; a refused PUT or DELETE deserves the JSON just as much. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        // Only Jetty's own account of a bad message is shown; another exception's text is for the log, not a client.
        String reason = cause == null || cause instanceof HttpException ? message : null;
        ApiError error = ErrorMapping.forStatus(code, reason);
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        try (JsonGenerator g = json.generator(body)) {
            // OFREP's superset of the API's shape: a request refused while parsing has lost its path (Jetty shows
            // "/badURI"), so whether an OFREP provider sent it cannot be told, and its errorCode must be there
            error.write(g, ErrorStyle.OFREP, null);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body.toByteArray()), callback);
    }
}
