package io.ensign.http.internal;

import java.io.IOException;
import java.net.URL;
import java.util.List;

import io.ensign.api.catalog.WriteContext;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Call;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;

/**
 * A route bundle's resource as small as one can be, for the tests of the servlet itself: JSON notes kept in a
 * store (kind {@value #KIND}) under {@code /api/v1/notes}, read by viewers and written by editors, and an OFREP-shaped
 * evaluation route under {@code /ofrep/v1/notes} that any token may call.
 */
final class NotesResource implements ApiResource {
    static final String KIND = "note";
    private final Store store;

    NotesResource(Store store) {
        this.store = store;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/api/v1/notes", Permission.READ, this::list),
                Route.put("/api/v1/notes/{key}", Permission.WRITE, this::put),
                Route.post("/ofrep/v1/notes/evaluate", Permission.EVALUATE, this::evaluate).ofrepErrors());
    }

    @Override
    public URL openApi() {
        return NotesResource.class.getResource("notes-openapi.json");
    }

    private void list(Call call) throws IOException {
        List<Document> notes = store.list(KIND);
        call.respond(200, g -> {
            g.writeStartArray();
            for (Document note : notes) {
                g.writeString(note.key());
            }
            g.writeEndArray();
        });
    }

    private void put(Call call) throws IOException {
        String json = call.body().toString();
        WriteContext context = call.writeContext();
        Document written = store.commit(List.of(new Mutation(KIND, call.parameter("key"), null, json,
                Mutation.ANY_VERSION, null, context.actor(), context.reason(), context.requestId()))).get(0);
        call.respond(written.version() == 1 ? 201 : 200, g -> g.writeNumber(written.version()));
    }

    private void evaluate(Call call) throws IOException {
        String environment = call.query("environment");
        call.optionalBody();
        call.respond(200, g -> g.writeString(environment == null ? "" : environment));
    }
}
