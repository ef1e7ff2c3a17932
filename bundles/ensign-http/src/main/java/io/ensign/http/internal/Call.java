package io.ensign.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.catalog.WriteContext;
import io.ensign.http.auth.internal.ApiToken;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * One request on its way through a route: the path parameters, the authenticated caller, the body read under
 * the limits, and the ways to respond. Not thread-safe; lives for one request.
 */
public final class Call {
    /** Header carrying the reason for a write into the audit trail. */
    public static final String REASON_HEADER = "X-Ensign-Reason";
    private static final String JSON_TYPE = "application/json";

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Router.Match match;
    private final ApiToken caller;
    private final String requestId;
    private final Json json;
    private final int maxBodyBytes;

    /** Writes a response body. */
    @FunctionalInterface
    public interface JsonContent {
        void write(JsonGenerator g) throws IOException;
    }

    public Call(HttpServletRequest request, HttpServletResponse response, Router.Match match, ApiToken caller,
                String requestId, Json json, int maxBodyBytes) {
        this.request = request;
        this.response = response;
        this.match = match;
        this.caller = caller;
        this.requestId = requestId;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** A path parameter of the route's template. */
    public String parameter(String name) {
        return match.parameter(name);
    }

    /** A query parameter, or null. */
    public String query(String name) {
        return request.getParameter(name);
    }

    /**
     * A whole-number query parameter between {@code min} and {@code max}; {@code absent} when it is not given, or a
     * 400 naming the parameter when it is required ({@code absent} null) or malformed.
     */
    public long queryNumber(String name, long min, long max, Long absent) {
        String text = request.getParameter(name);
        if ((text == null || text.isEmpty()) && absent != null) {
            return absent;
        }
        try {
            long value = Long.parseLong(text == null ? "" : text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the parameter named
        }
        throw new ApiException(400, ErrorMapping.INVALID_PARAMETER,
                "'" + name + "' must be an integer from " + min + (max == Long.MAX_VALUE ? "" : " to " + max), name);
    }

    /** A request header, or null. */
    public String header(String name) {
        return request.getHeader(name);
    }

    /** The token that authenticated the call; null only on public routes. */
    public ApiToken caller() {
        return caller;
    }

    public String requestId() {
        return requestId;
    }

    /** Who writes, why and in which request, for the audit trail. */
    public WriteContext writeContext() {
        return new WriteContext(caller.actor(), request.getHeader(REASON_HEADER), requestId);
    }

    /** The JSON body; a missing one is a 400. */
    public JsonNode body() throws IOException {
        JsonNode body = optionalBody();
        if (body == null) {
            throw new ApiException(400, ErrorMapping.INVALID_JSON, "this request needs a JSON body");
        }
        return body;
    }

    /**
     * The JSON body, or null when there is none. The declared length is checked before reading and the bytes are
     * counted while reading, so a chunked body cannot slip past the limit either.
     */
    public JsonNode optionalBody() throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        if (declared > 0) {
            requireJsonContentType();
        }
        byte[] buffer = new byte[declared > 0 ? (int) declared : 1024];
        int length = 0;
        try (InputStream in = request.getInputStream()) {
            while (true) {
                if (length == buffer.length) {
                    if (length > maxBodyBytes) {
                        throw tooLarge();
                    }
                    buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, maxBodyBytes + 1));
                }
                int n = in.read(buffer, length, buffer.length - length);
                if (n < 0) {
                    break;
                }
                length += n;
            }
        }
        if (length > maxBodyBytes) {
            throw tooLarge();
        }
        if (length == 0) {
            return null;
        }
        requireJsonContentType();
        return json.parse(buffer, length);
    }

    private ApiException tooLarge() {
        return tooLarge(maxBodyBytes);
    }

    private static ApiException tooLarge(long limit) {
        return new ApiException(413, ErrorMapping.PAYLOAD_TOO_LARGE, "the body is larger than " + limit + " bytes");
    }

    private void requireJsonContentType() {
        if (!isJson(request.getContentType())) {
            throw new ApiException(415, ErrorMapping.UNSUPPORTED_MEDIA_TYPE,
                    "the body must be JSON, sent as Content-Type: application/json", "Content-Type");
        }
    }

    /** Whether a Content-Type names JSON: application/json or application/*+json, parameters aside. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return type.equalsIgnoreCase(JSON_TYPE)
                || type.regionMatches(true, 0, "application/", 0, 12) && type.regionMatches(true, type.length() - 5, "+json", 0, 5);
    }

    /**
     * A JSON body as a stream, for a route that parses it incrementally under its own size limit (e.g. event
     * batches, larger than the general limit): sent as JSON or 415; at most {@code maxBytes} or 413, by
     * Content-Length up front and by counting while it is read.
     */
    public JsonParser jsonStream(long maxBytes) throws IOException {
        requireJsonContentType();
        if (request.getContentLengthLong() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return json.parser(new LimitedInputStream(request.getInputStream(), maxBytes, () -> tooLarge(maxBytes)));
    }

    /**
     * The body of a route that takes a file rather than JSON: sent as one of {@code contentTypes} (parameters aside)
     * or 415; at most {@code maxBytes} or 413, by Content-Length up front and by counting while it is read.
     */
    public InputStream binaryBody(long maxBytes, List<String> contentTypes) throws IOException {
        String type = request.getContentType();
        int semicolon = type == null ? -1 : type.indexOf(';');
        String media = type == null ? "" : (semicolon < 0 ? type : type.substring(0, semicolon)).strip();
        if (contentTypes.stream().noneMatch(media::equalsIgnoreCase)) {
            throw new ApiException(415, ErrorMapping.UNSUPPORTED_MEDIA_TYPE,
                    "the body must be sent as Content-Type: " + String.join(" or ", contentTypes), "Content-Type");
        }
        if (request.getContentLengthLong() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return new LimitedInputStream(request.getInputStream(), maxBytes, () -> tooLarge(maxBytes));
    }

    /**
     * Switches the request to asynchronous mode for a long-lived response (server-sent events): the endpoint returns
     * and keeps writing through the context until it completes it.
     */
    public AsyncContext startAsync() {
        return request.startAsync(request, response);
    }

    /** True for a HEAD request, which a GET route answers with its head only. */
    public boolean isHead() {
        return request.getMethod().equals("HEAD");
    }

    /** Sets a response header. */
    public void setHeader(String name, String value) {
        response.setHeader(name, value);
    }

    /** Responds with a JSON body written straight to the response. */
    public void respond(int status, JsonContent content) throws IOException {
        response.setStatus(status);
        response.setContentType(JSON_TYPE);
        try (JsonGenerator g = json.generator(response.getOutputStream())) {
            content.write(g);
        }
    }

    /** A JSON body rendered to bytes, for responses that need the whole body first (ETags). */
    public byte[] render(JsonContent content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = json.generator(out)) {
            content.write(g);
        }
        return out.toByteArray();
    }

    /** Responds without a body. */
    public void respondEmpty(int status) {
        response.setStatus(status);
        response.setContentLength(0);
    }

    /**
     * Responds 200 with a JSON body and a strong ETag made from it, or 304 without a body when If-None-Match
     * names that ETag already.
     */
    public void respondCacheable(byte[] body) throws IOException {
        String etag = etagOf(body);
        response.setHeader("ETag", etag);
        if (ifNoneMatchHits(request.getHeader("If-None-Match"), etag)) {
            response.setStatus(304);
            return;
        }
        response.setStatus(200);
        response.setContentType(JSON_TYPE);
        response.setContentLength(body.length);
        OutputStream out = response.getOutputStream();
        out.write(body);
    }

    /** A strong ETag: 128 bits of the body's SHA-256, base64url, quoted. */
    static String etagOf(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Whether If-None-Match lists the ETag (weak comparison, as RFC 9110 prescribes for it) or is "*". */
    static boolean ifNoneMatchHits(String header, String etag) {
        if (header == null) {
            return false;
        }
        for (String candidate : header.split(",")) {
            String tag = candidate.strip();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
