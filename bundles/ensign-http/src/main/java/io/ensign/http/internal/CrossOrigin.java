package io.ensign.http.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import io.ensign.api.http.ApiException;
import io.ensign.api.http.CorsPolicy;
import io.ensign.api.http.ErrorCodes;
import io.ensign.api.http.Route;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Cross-origin requests from browsers (CORS) as a {@link CorsPolicy} allows them: preflights are answered before
 * authentication (they carry no token), and answers to an allowed origin say so. Ensign authenticates with bearer
 * tokens, never cookies, so it never allows credentials: the origin is echoed, never combined with
 * {@code Access-Control-Allow-Credentials}. Without a policy no other origin is allowed.
 */
final class CrossOrigin {
    static final String ORIGIN = "Origin";
    private static final String REQUEST_METHOD = "Access-Control-Request-Method";
    private static final String REQUEST_HEADERS = "Access-Control-Request-Headers";
    /** The request headers a page may send: those the API reads. */
    static final Set<String> ALLOWED_HEADERS = Set.of("authorization", "content-type", "if-match", "if-none-match",
            "last-event-id", "x-request-id", "x-ensign-reason", "accept");
    /** The response headers a page may read beyond the safelisted ones. */
    static final String EXPOSED_HEADERS = "ETag, X-Request-Id, Retry-After, Allow";
    /** How long a browser may reuse a preflight's answer. */
    static final int MAX_AGE_SECONDS = 600;

    private CrossOrigin() {
    }

    /** Whether this is a CORS preflight: OPTIONS with an Origin and the method the page wants to send. */
    static boolean isPreflight(HttpServletRequest request) {
        return request.getMethod().equals("OPTIONS") && request.getHeader(ORIGIN) != null
                && request.getHeader(REQUEST_METHOD) != null;
    }

    /**
     * Answers a preflight with 204 and what may follow, or refuses it: 403 when no environment allows the origin,
     * 404 for a path without routes, 405 for a method the path does not answer, 400 for a header the API does not
     * read.
     */
    static void preflight(HttpServletRequest request, HttpServletResponse response, CorsPolicy policy,
                          List<Route> routes) {
        String origin = request.getHeader(ORIGIN);
        if (policy == null || !policy.allowsAnywhere(origin)) {
            throw new ApiException(403, ErrorCodes.FORBIDDEN, "pages of " + origin + " may not call this server: no"
                    + " environment lists the origin in allowedOrigins", ORIGIN);
        }
        if (routes.isEmpty()) {
            throw new ApiException(404, ErrorCodes.NOT_FOUND, "no resource at this path");
        }
        Set<String> methods = new LinkedHashSet<>();
        routes.forEach(r -> methods.add(r.method()));
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        String method = request.getHeader(REQUEST_METHOD).strip();
        if (!methods.contains(method)) {
            throw new ApiException(405, ErrorCodes.METHOD_NOT_ALLOWED, "this path answers " + String.join(", ", methods)
                    + " only", REQUEST_METHOD);
        }
        List<String> headers = new ArrayList<>();
        String asked = request.getHeader(REQUEST_HEADERS);
        if (asked != null) {
            for (String header : asked.split(",")) {
                String name = header.strip().toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                if (!ALLOWED_HEADERS.contains(name)) {
                    throw new ApiException(400, ErrorCodes.INVALID_HEADER, "the API reads no header " + name
                            + "; a page may send " + String.join(", ", new TreeSet<>(ALLOWED_HEADERS)),
                            REQUEST_HEADERS);
                }
                headers.add(name);
            }
        }
        allowOrigin(response, origin);
        response.setHeader("Access-Control-Allow-Methods", String.join(", ", methods));
        if (!headers.isEmpty()) {
            response.setHeader("Access-Control-Allow-Headers", String.join(", ", headers));
        }
        response.setHeader("Access-Control-Max-Age", Integer.toString(MAX_AGE_SECONDS));
        response.setStatus(204);
    }

    /**
     * Marks the answer to an actual request readable by the page when the policy allows its origin for the
     * environment the request works in (null when it names none: then any environment's list counts).
     */
    static void decorate(HttpServletRequest request, HttpServletResponse response, CorsPolicy policy,
                         String environment) {
        String origin = request.getHeader(ORIGIN);
        response.addHeader("Vary", ORIGIN);
        if (policy == null) {
            return;
        }
        boolean allowed = environment == null ? policy.allowsAnywhere(origin) : policy.allows(origin, environment);
        if (allowed) {
            allowOrigin(response, origin);
            response.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        }
    }

    private static void allowOrigin(HttpServletResponse response, String origin) {
        response.setHeader("Access-Control-Allow-Origin", origin);
        response.setHeader("Vary", ORIGIN);
    }
}
