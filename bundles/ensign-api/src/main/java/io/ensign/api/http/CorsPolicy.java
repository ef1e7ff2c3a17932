package io.ensign.api.http;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Which web origins may call the server from a browser (CORS), registered as an OSGi service by the bundle that
 * knows the environments. Without one, the HTTP server allows no other origin. Called on every cross-origin
 * request, so it must answer from memory.
 */
@ConsumerType
public interface CorsPolicy {
    /** Whether pages of {@code origin} may call the server for {@code environment}. */
    boolean allows(String origin, String environment);

    /** Whether some environment allows {@code origin}: a preflight carries no token to tell which one. */
    boolean allowsAnywhere(String origin);
}
