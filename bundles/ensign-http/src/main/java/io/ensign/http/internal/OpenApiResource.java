package io.ensign.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import org.osgi.service.component.annotations.Component;

/** Serves the OpenAPI 3 document of the whole API, a resource of this bundle, to anyone. */
@Component(service = ApiResource.class)
public final class OpenApiResource implements ApiResource {
    /** Where the document lives, next to this class. */
    static final String DOCUMENT = "openapi.json";

    private final byte[] document = load();

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/api/v1/openapi.json", Permission.PUBLIC, call -> call.respondCacheable(document)));
    }

    private static byte[] load() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is missing from the bundle");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
