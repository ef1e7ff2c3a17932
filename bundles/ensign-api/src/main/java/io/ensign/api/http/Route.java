package io.ensign.api.http;

import java.util.Objects;

/**
 * One method on one path template, e.g. {@code GET /api/v1/flags/{key}}: a segment in braces is a path
 * parameter that matches any one non-empty segment.
 */
public record Route(String method, String template, Permission permission, ErrorStyle errorStyle, Endpoint endpoint) {
    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(permission, "permission");
        Objects.requireNonNull(errorStyle, "errorStyle");
        Objects.requireNonNull(endpoint, "endpoint");
    }

    public static Route get(String template, Permission permission, Endpoint endpoint) {
        return new Route("GET", template, permission, ErrorStyle.API, endpoint);
    }

    public static Route put(String template, Permission permission, Endpoint endpoint) {
        return new Route("PUT", template, permission, ErrorStyle.API, endpoint);
    }

    public static Route post(String template, Permission permission, Endpoint endpoint) {
        return new Route("POST", template, permission, ErrorStyle.API, endpoint);
    }

    public static Route delete(String template, Permission permission, Endpoint endpoint) {
        return new Route("DELETE", template, permission, ErrorStyle.API, endpoint);
    }

    /** This route with OFREP-shaped error bodies. */
    public Route ofrepErrors() {
        return new Route(method, template, permission, ErrorStyle.OFREP, endpoint);
    }
}
