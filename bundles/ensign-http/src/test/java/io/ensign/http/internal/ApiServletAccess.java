package io.ensign.http.internal;

import io.ensign.api.http.ApiResource;

/** Lets tests in other packages route their own resource instances, as DS would bind them. */
public final class ApiServletAccess {
    private ApiServletAccess() {
    }

    /** Routes {@code resource} besides the harness's own, as DS binds one of another bundle. */
    public static void add(ApiHarness harness, ApiResource resource) {
        harness.api.addResource(resource);
    }

    /** Routes {@code replacement} instead of the harness's resource of the same type. */
    public static <T extends ApiResource> void replace(ApiHarness harness, Class<T> type, T replacement) {
        harness.api.removeResource(harness.resource(type));
        harness.api.addResource(replacement);
    }
}
