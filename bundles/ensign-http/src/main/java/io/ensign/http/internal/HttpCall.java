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
import io.ensign.api.auth.Caller;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.http.ApiException;
import io.ensign.api.http.Call;
import io.ensign.api.http.ErrorCodes;
import io.ensign.api.http.PreparedBody;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The server's {@link Call}: one servlet request and response, read under the limits in force. */
final class HttpCall implements Call {
    private static final String JSON_TYPE = "application/json";

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Router.Match match;
    private final Caller caller;
    private final String requestId;
    private final Json json;
    private final int maxBodyBytes;

    HttpCall(HttpServletRequest request, HttpServletResponse response, Router.Match match, Caller caller,
                String requestId, Json json, int maxBodyBytes) {
        this.request = request;
        this.response = response;
        this.match = match;
        this.caller = caller;
        this.requestId = requestId;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public String parameter(String name) {
        return match.parameter(name);
    }

    @Override
    public String query(String name) {
        return request.getParameter(name);
    }

    @Override
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
        throw new ApiException(400, ErrorCodes.INVALID_PARAMETER,
                "'" + name + "' must be an integer from " + min + (max == Long.MAX_VALUE ? "" : " to " + max), name);
    }

    @Override
    public String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public Caller caller() {
        return caller;
    }

    @Override
    public String requestId() {
        return requestId;
    }

    @Override
    public WriteContext writeContext() {
        return new WriteContext(caller.actor(), request.getHeader(REASON_HEADER), requestId);
    }

    @Override
    public JsonNode body() throws IOException {
        JsonNode body = optionalBody();
        if (body == null) {
            throw new ApiException(400, ErrorCodes.INVALID_JSON, "this request needs a JSON body");
        }
        return body;
    }

    @Override
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
        return new ApiException(413, ErrorCodes.PAYLOAD_TOO_LARGE, "the body is larger than " + limit + " bytes");
    }

    private void requireJsonContentType() {
        if (!isJson(request.getContentType())) {
            throw new ApiException(415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
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

    @Override
    public JsonParser jsonStream(long maxBytes) throws IOException {
        requireJsonContentType();
        if (request.getContentLengthLong() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return json.parser(new LimitedInputStream(request.getInputStream(), maxBytes, () -> tooLarge(maxBytes)));
    }

    @Override
    public InputStream binaryBody(long maxBytes, List<String> contentTypes) throws IOException {
        String type = request.getContentType();
        int semicolon = type == null ? -1 : type.indexOf(';');
        String media = type == null ? "" : (semicolon < 0 ? type : type.substring(0, semicolon)).strip();
        if (contentTypes.stream().noneMatch(media::equalsIgnoreCase)) {
            throw new ApiException(415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
                    "the body must be sent as Content-Type: " + String.join(" or ", contentTypes), "Content-Type");
        }
        if (request.getContentLengthLong() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return new LimitedInputStream(request.getInputStream(), maxBytes, () -> tooLarge(maxBytes));
    }

    @Override
    public AsyncContext startAsync() {
        return request.startAsync(request, response);
    }

    @Override
    public boolean isHead() {
        return request.getMethod().equals("HEAD");
    }

    @Override
    public void setHeader(String name, String value) {
        response.setHeader(name, value);
    }

    @Override
    public void respond(int status, JsonContent content) throws IOException {
        response.setStatus(status);
        response.setContentType(JSON_TYPE);
        try (JsonGenerator g = json.generator(response.getOutputStream())) {
            content.write(g);
        }
    }

    @Override
    public byte[] render(JsonContent content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = json.generator(out)) {
            content.write(g);
        }
        return out.toByteArray();
    }

    @Override
    public void respond(int status, String contentType, byte[] body) throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    @Override
    public String remoteAddress() {
        return request.getRemoteAddr();
    }

    @Override
    public void respondEmpty(int status) {
        response.setStatus(status);
        response.setContentLength(0);
    }

    @Override
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

    @Override
    public void respondPrepared(PreparedBody body) throws IOException {
        response.setHeader("ETag", body.etag());
        response.setHeader("Vary", "Accept-Encoding");
        if (ifNoneMatchHits(request.getHeader("If-None-Match"), body.etag())) {
            response.setStatus(304);
            return;
        }
        boolean gzip = acceptsGzip(request.getHeader("Accept-Encoding"));
        byte[] bytes = gzip ? body.gzipped() : body.json();
        response.setStatus(200);
        response.setContentType(JSON_TYPE);
        if (gzip) {
            response.setHeader("Content-Encoding", "gzip");
        }
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** Whether Accept-Encoding lists gzip (or *) without {@code q=0}. */
    static boolean acceptsGzip(String header) {
        if (header == null) {
            return false;
        }
        for (String candidate : header.split(",")) {
            String[] parts = candidate.split(";");
            String coding = parts[0].strip().toLowerCase(java.util.Locale.ROOT);
            if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("*")) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].strip().toLowerCase(java.util.Locale.ROOT).replace(" ", "");
                refused |= parameter.matches("q=0(\\.0{0,3})?");
            }
            return !refused;
        }
        return false;
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
