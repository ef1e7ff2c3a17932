package io.ensign.audit.webhook.http.internal;

import java.io.IOException;
import java.net.URL;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Call;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import io.ensign.audit.webhook.internal.WebhookSubscription;
import io.ensign.audit.webhook.internal.WebhookSubscriptions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code /api/v1/webhooks}: admins subscribe a URL to the changes of some kinds, list and remove subscriptions. */
@Component(service = ApiResource.class)
public final class WebhooksResource implements ApiResource {
    private final WebhookSubscriptions subscriptions;
    private final ObjectMapper mapper = new ObjectMapper();

    @Activate
    public WebhooksResource(@Reference WebhookSubscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public URL openApi() {
        return WebhooksResource.class.getResource("openapi.json");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/api/v1/webhooks", Permission.ADMIN, this::create),
                Route.get("/api/v1/webhooks", Permission.ADMIN, this::list),
                Route.get("/api/v1/webhooks/{id}", Permission.ADMIN, this::show),
                Route.delete("/api/v1/webhooks/{id}", Permission.ADMIN, this::delete));
    }

    private void create(Call call) throws IOException {
        WebhookSubscription made = subscriptions.create(call.body(), call.writeContext());
        call.respond(201, g -> g.writeTree(json(made)));
    }

    private void list(Call call) throws IOException {
        List<WebhookSubscription> all = subscriptions.list();
        call.respond(200, g -> {
            g.writeStartArray();
            for (WebhookSubscription subscription : all) {
                g.writeTree(json(subscription));
            }
            g.writeEndArray();
        });
    }

    private void show(Call call) throws IOException {
        String id = call.parameter("id");
        WebhookSubscription found = subscriptions.get(id)
                .orElseThrow(() -> new NotFoundException(WebhookSubscription.KIND, id));
        call.respond(200, g -> g.writeTree(json(found)));
    }

    private void delete(Call call) {
        String id = call.parameter("id");
        if (!subscriptions.delete(id, call.writeContext())) {
            throw new NotFoundException(WebhookSubscription.KIND, id);
        }
        call.respondEmpty(204);
    }

    /** The stored form and the name of the sink, whose delivery state {@code GET /api/v1/audit/sinks} shows. */
    private ObjectNode json(WebhookSubscription subscription) {
        return subscription.toJson(mapper).put("sink", subscription.sinkName());
    }
}
