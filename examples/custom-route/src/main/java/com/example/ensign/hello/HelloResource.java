package com.example.ensign.hello;

import java.io.IOException;
import java.net.URL;
import java.util.List;

import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Call;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import org.osgi.service.component.annotations.Component;

/**
 * {@code GET /api/v1/x/hello}: greets the caller by the name of its API token. Any token but an sdk one may call
 * it ({@link Permission#READ}); the server authenticates the caller, checks the permission and maps failures to
 * the API's error bodies before and around {@link #hello}.
 */
@Component(service = ApiResource.class)
public final class HelloResource implements ApiResource {
    static final String PATH = "/api/v1/x/hello";

    @Override
    public List<Route> routes() {
        return List.of(Route.get(PATH, Permission.READ, HelloResource::hello));
    }

    @Override
    public URL openApi() {
        return HelloResource.class.getResource("openapi.json");
    }

    private static void hello(Call call) throws IOException {
        call.respond(200, g -> {
            g.writeStartObject();
            g.writeStringField("greeting", "hello, " + call.caller().name());
            g.writeStringField("role", call.caller().role().jsonName());
            g.writeEndObject();
        });
    }
}
