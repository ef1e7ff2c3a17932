package io.ensign.api.http;

import java.net.URL;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A family of routes of the HTTP API, registered as a service by any bundle: the server routes to it while it is
 * registered. Its routes must not repeat a route already served, and every template must lie under {@code /api/}
 * or {@code /ofrep/}, or be {@code /metrics} (where Prometheus scrapes); a resource that breaks either rule, or whose
 * {@link #routes()} or {@link #openApi()} throws, is not served at all (the server logs why) and the others are
 * untouched.
 */
@ConsumerType
public interface ApiResource {
    /** The routes this resource answers; fixed for the life of the instance. */
    List<Route> routes();

    /**
     * Where this resource's part of the OpenAPI document is, usually a resource of its bundle, or null when it has
     * none. The fragment is a JSON object of at most 1 MiB with OpenAPI 3.0's {@code paths} and, optionally,
     * {@code components}; the operations of this resource's own routes are added to {@code /api/v1/openapi.json}
     * for as long as the resource is served. A fragment whose components clash with ones already in the document is
     * left out (the routes are still served).
     */
    default URL openApi() {
        return null;
    }
}
