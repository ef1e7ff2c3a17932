package io.ensign.schedules.http.internal;

import java.io.IOException;
import java.net.URL;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Call;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import io.ensign.schedules.internal.ScheduledChange;
import io.ensign.schedules.internal.ScheduledChanges;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code /api/v1/schedules}: editors schedule changes and cancel pending ones; viewers list them. */
@Component(service = ApiResource.class)
public final class SchedulesResource implements ApiResource {
    private final ScheduledChanges schedules;
    private final ObjectMapper mapper = new ObjectMapper();

    @Activate
    public SchedulesResource(@Reference ScheduledChanges schedules) {
        this.schedules = schedules;
    }

    @Override
    public URL openApi() {
        return SchedulesResource.class.getResource("openapi.json");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/api/v1/schedules", Permission.WRITE, this::schedule),
                Route.get("/api/v1/schedules", Permission.READ, this::list),
                Route.get("/api/v1/schedules/{id}", Permission.READ, this::show),
                Route.delete("/api/v1/schedules/{id}", Permission.WRITE, this::cancel));
    }

    private void schedule(Call call) throws IOException {
        ScheduledChange change = schedules.schedule(call.body(), call.writeContext());
        call.respond(201, g -> g.writeTree(change.toJson(mapper)));
    }

    private void list(Call call) throws IOException {
        List<ScheduledChange> all = schedules.list();
        call.respond(200, g -> {
            g.writeStartArray();
            for (ScheduledChange change : all) {
                g.writeTree(change.toJson(mapper));
            }
            g.writeEndArray();
        });
    }

    private void show(Call call) throws IOException {
        String id = call.parameter("id");
        ScheduledChange change = schedules.get(id).orElseThrow(() -> new NotFoundException(ScheduledChange.KIND, id));
        call.respond(200, g -> g.writeTree(change.toJson(mapper)));
    }

    private void cancel(Call call) {
        String id = call.parameter("id");
        if (!schedules.cancel(id, call.writeContext())) {
            throw new NotFoundException(ScheduledChange.KIND, id);
        }
        call.respondEmpty(204);
    }
}
