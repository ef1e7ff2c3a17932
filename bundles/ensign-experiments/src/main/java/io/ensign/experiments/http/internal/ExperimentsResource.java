package io.ensign.experiments.http.internal;

import java.io.IOException;
import java.net.URL;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.catalog.WriteResult;
import io.ensign.api.experiment.Experiment;
import io.ensign.api.experiment.ExperimentService;
import io.ensign.api.http.ApiException;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Call;
import io.ensign.api.http.CatalogResource;
import io.ensign.api.http.ErrorCodes;
import io.ensign.api.http.JsonBodies;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;
import io.ensign.codec.ExperimentCodec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /api/v1/experiments}: definitions (list, get, put and delete of drafts, with versions, ETag and If-Match
 * like flags), the lifecycle actions start, stop and conclude, and the results document. Viewers read, editors
 * write; the service decides which transitions are legal (else 409 ILLEGAL_TRANSITION). The results history
 * ({@code /results/history?since=&limit=}) serves the results recorded over time, for charts.
 */
@Component(service = ApiResource.class)
public final class ExperimentsResource extends CatalogResource<Experiment> {
    private static final String COLLECTION = "/api/v1/experiments";
    private static final String ITEM = COLLECTION + "/{key}";
    static final int DEFAULT_HISTORY_LIMIT = 1000;
    static final int MAX_HISTORY_LIMIT = 10_000;

    private final ExperimentService experiments;
    private final ExperimentCodec codec = new ExperimentCodec();

    @Activate
    public ExperimentsResource(@Reference ExperimentService experiments) {
        super(ExperimentService.EXPERIMENT, COLLECTION, "key");
        this.experiments = experiments;
    }

    /** The experiments' part of the OpenAPI document, next to this class (the routes of both resources). */
    @Override
    public URL openApi() {
        return ExperimentsResource.class.getResource("openapi.json");
    }

    @Override
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>(super.routes());
        routes.add(Route.post(ITEM + "/start", Permission.WRITE,
                call -> respondWith(call, experiments.start(call.parameter("key"), call.writeContext()))));
        routes.add(Route.post(ITEM + "/stop", Permission.WRITE,
                call -> respondWith(call, experiments.stop(call.parameter("key"), call.writeContext()))));
        routes.add(Route.post(ITEM + "/conclude", Permission.WRITE, this::conclude));
        routes.add(Route.get(ITEM + "/results", Permission.READ, this::results));
        routes.add(Route.get(ITEM + "/results/history", Permission.READ, this::history));
        return routes;
    }

    /** The body is optional: {@code {"winner":"on"}} rolls a variant out, no body or a null winner none. */
    private void conclude(Call call) throws IOException {
        JsonNode body = call.optionalBody();
        String winner = body == null ? null : winner(body);
        respondWith(call, experiments.conclude(call.parameter("key"), winner, call.writeContext()));
    }

    private static String winner(JsonNode body) {
        List<Violation> violations = new ArrayList<>();
        if (!body.isObject()) {
            violations.add(Violation.error("schema", "", "must be an object, e.g. {\"winner\":\"on\"}"));
        } else {
            body.fieldNames().forEachRemaining(name -> {
                if (!name.equals("winner")) {
                    violations.add(Violation.error("schema", "/" + name, "unknown field '" + name + "'"));
                }
            });
            JsonNode winner = body.get("winner");
            if (winner != null && !winner.isNull() && !winner.isTextual()) {
                violations.add(Violation.error("schema", "/winner", "must be a variant name or null"));
            }
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        JsonNode winner = body.get("winner");
        return winner == null || winner.isNull() ? null : winner.textValue();
    }

    private void results(Call call) throws IOException {
        Map<String, Object> results = experiments.results(call.parameter("key"));
        call.respond(200, g -> JsonBodies.writePlain(g, results));
    }

    private void history(Call call) throws IOException {
        Instant since = since(call.query("since"));
        int limit = (int) call.queryNumber("limit", 1, MAX_HISTORY_LIMIT, (long) DEFAULT_HISTORY_LIMIT);
        Map<String, Object> history = experiments.resultsHistory(call.parameter("key"), since, limit);
        call.respond(200, g -> JsonBodies.writePlain(g, history));
    }

    private static Instant since(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ApiException(400, ErrorCodes.INVALID_PARAMETER,
                    "'since' must be an ISO-8601 instant in UTC, e.g. 2026-12-03T08:00:00Z", "since");
        }
    }

    @Override
    protected Optional<Experiment> find(String key) {
        return experiments.get(key);
    }

    @Override
    protected List<Experiment> all() {
        return experiments.list();
    }

    @Override
    protected Experiment decode(JsonNode body, String key) {
        return codec.decodeExperiment(body, key);
    }

    @Override
    protected ObjectNode encode(Experiment value) {
        return codec.encodeExperiment(value);
    }

    @Override
    protected long version(Experiment value) {
        return value.version();
    }

    @Override
    protected WriteResult<Experiment> write(Experiment value, long expectedVersion, WriteContext context) {
        return experiments.put(value, expectedVersion, context);
    }

    @Override
    protected void delete(String key, long expectedVersion, WriteContext context) {
        experiments.delete(key, expectedVersion, context);
    }
}
