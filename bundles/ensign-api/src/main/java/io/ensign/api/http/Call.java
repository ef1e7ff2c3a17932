package io.ensign.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.auth.Caller;
import io.ensign.api.catalog.WriteContext;
import jakarta.servlet.AsyncContext;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One request on its way through a route: the path parameters, the authenticated caller, the body read under
 * the server's limits, and the ways to respond. The server makes one per request; not thread-safe.
 */
@ProviderType
public interface Call {
    /** Header carrying the reason for a write into the audit trail. */
    String REASON_HEADER = "X-Ensign-Reason";

    /** Writes a response body. */
    @FunctionalInterface
    interface JsonContent {
        void write(JsonGenerator g) throws IOException;
    }

    /** A path parameter of the route's template. */
    String parameter(String name);

    /** A query parameter, or null. */
    String query(String name);

    /**
     * A whole-number query parameter between {@code min} and {@code max}; {@code absent} when it is not given, or a
     * 400 naming the parameter when it is required ({@code absent} null) or malformed.
     */
    long queryNumber(String name, long min, long max, Long absent);

    /** A request header, or null. */
    String header(String name);

    /** The token that authenticated the call; null only on public routes. */
    Caller caller();

    /** The request's id, as the X-Request-Id response header gives it. */
    String requestId();

    /** Who writes, why and in which request, for the audit trail. */
    WriteContext writeContext();

    /** The JSON body; a missing one is a 400. */
    JsonNode body() throws IOException;

    /**
     * The JSON body, or null when there is none: sent as JSON or 415, within the server's body limit or 413 (by
     * Content-Length up front and by counting while it is read), within its nesting and string limits or 400.
     */
    JsonNode optionalBody() throws IOException;

    /**
     * A JSON body as a stream, for a route that parses it incrementally under its own size limit (e.g. event
     * batches, larger than the general limit): sent as JSON or 415; at most {@code maxBytes} or 413, by
     * Content-Length up front and by counting while it is read.
     */
    JsonParser jsonStream(long maxBytes) throws IOException;

    /**
     * The body of a route that takes a file rather than JSON: sent as one of {@code contentTypes} (parameters aside)
     * or 415; at most {@code maxBytes} or 413, by Content-Length up front and by counting while it is read.
     */
    InputStream binaryBody(long maxBytes, List<String> contentTypes) throws IOException;

    /**
     * Switches the request to asynchronous mode for a long-lived response (server-sent events): the endpoint returns
     * and keeps writing through the context until it completes it.
     */
    AsyncContext startAsync();

    /** True for a HEAD request, which a GET route answers with its head only. */
    boolean isHead();

    /** Sets a response header. */
    void setHeader(String name, String value);

    /** Responds with a JSON body written straight to the response. */
    void respond(int status, JsonContent content) throws IOException;

    /** A JSON body rendered to bytes, for responses that need the whole body first (ETags). */
    byte[] render(JsonContent content) throws IOException;

    /** Responds with a body that is not JSON (e.g. the metrics' text format), of the given media type. */
    void respond(int status, String contentType, byte[] body) throws IOException;

    /** The address of the client that sent the request, as the connection shows it (an IP address). */
    String remoteAddress();

    /** Responds without a body. */
    void respondEmpty(int status);

    /**
     * Responds 200 with a JSON body and a strong ETag made from it, or 304 without a body when If-None-Match
     * names that ETag already.
     */
    void respondCacheable(byte[] body) throws IOException;

    /**
     * Responds 200 with a prepared body under its ETag, gzipped when the request accepts gzip, or 304 without a body
     * when If-None-Match names that ETag already.
     */
    void respondPrepared(PreparedBody body) throws IOException;
}
