package io.ensign.experiments.http.internal;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ensign.api.auth.Caller;
import io.ensign.api.auth.Role;
import io.ensign.api.experiment.Experiment;
import io.ensign.api.experiment.ExperimentService;
import io.ensign.api.experiment.IngestResult;
import io.ensign.api.http.ApiException;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Call;
import io.ensign.api.http.ErrorCodes;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import io.ensign.api.metrics.ServerMetrics;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code POST /api/v1/events}: a batch of exposure and metric events, answered 202 with what became of each.
 *
 * <p>Batches are large and frequent, so the body is read token by token straight into the plain maps the service
 * takes (no tree, field names interned by the parser) under its own size limit, and the whole batch goes to the
 * service in one call. The service validates every event; this resource refuses only what it must decide itself:
 * an element that is not an object, and, for an sdk token, an event of an experiment in another environment than
 * the token's. Those are rejected by index like the service's rejections; the rest of the batch is still stored.
 */
@Component(service = ApiResource.class, configurationPid = EventsResource.PID)
@Designate(ocd = EventsResource.Config.class)
public final class EventsResource implements ApiResource {
    static final String PID = "io.ensign.http.events";
    static final int DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
    private static final String EVENTS = "events";
    private static final String SCHEMA = "schema";

    /** Limits on event batches. */
    @ObjectClassDefinition(name = "Ensign HTTP events", description = "Limits on POST /api/v1/events")
    public @interface Config {
        @AttributeDefinition(description = "Largest event batch body accepted, in bytes; larger ones get 413. "
                + "Below 1 means the default")
        int maxBodyBytes() default DEFAULT_MAX_BODY_BYTES;
    }

    private final ExperimentService experiments;
    private volatile int maxBodyBytes;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServerMetrics metrics;

    @Activate
    public EventsResource(@Reference ExperimentService experiments, Config config) {
        this.experiments = experiments;
        this.maxBodyBytes = limit(config);
    }

    /** A new limit applies to the next batch. */
    @Modified
    void modified(Config config) {
        maxBodyBytes = limit(config);
    }

    /** The configured limit; a value below 1 (no batch could pass) means the default. */
    private static int limit(Config config) {
        return config.maxBodyBytes() > 0 ? config.maxBodyBytes() : DEFAULT_MAX_BODY_BYTES;
    }

    /** The experiments' part of the OpenAPI document, next to this class (the routes of both resources). */
    @Override
    public URL openApi() {
        return EventsResource.class.getResource("openapi.json");
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.post("/api/v1/events", Permission.INGEST, this::ingest));
    }

    private void ingest(Call call) throws IOException {
        List<Map<String, Object>> events;
        try (JsonParser parser = call.jsonStream(maxBodyBytes)) {
            events = readBatch(parser);
        }
        List<IngestResult.Rejection> refused = refusals(events, call.caller());
        IngestResult result = refused.isEmpty() ? ingest(events) : ingestRest(events, refused);
        ServerMetrics recorder = metrics;
        if (recorder != null) {
            recorder.eventsIngested(result.accepted(), result.duplicates(), result.rejected().size());
        }
        call.respond(202, g -> {
            g.writeStartObject();
            g.writeNumberField("accepted", result.accepted());
            g.writeNumberField("duplicates", result.duplicates());
            g.writeArrayFieldStart("rejected");
            for (IngestResult.Rejection rejection : result.rejected()) {
                g.writeStartObject();
                g.writeNumberField("index", rejection.index());
                g.writeStringField("message", rejection.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private IngestResult ingest(List<Map<String, Object>> events) {
        return events.isEmpty() ? new IngestResult(0, 0, List.of()) : experiments.ingest(events);
    }

    /** Sends the events not refused here; the service's indices are mapped back to the batch's. */
    private IngestResult ingestRest(List<Map<String, Object>> events, List<IngestResult.Rejection> refused) {
        boolean[] isRefused = new boolean[events.size()];
        refused.forEach(r -> isRefused[r.index()] = true);
        List<Map<String, Object>> rest = new ArrayList<>(events.size() - refused.size());
        int[] batchIndex = new int[events.size() - refused.size()];
        for (int i = 0; i < events.size(); i++) {
            if (!isRefused[i]) {
                batchIndex[rest.size()] = i;
                rest.add(events.get(i));
            }
        }
        IngestResult result = ingest(rest);
        List<IngestResult.Rejection> rejected = new ArrayList<>(refused);
        for (IngestResult.Rejection r : result.rejected()) {
            rejected.add(new IngestResult.Rejection(batchIndex[r.index()], r.message()));
        }
        rejected.sort(Comparator.comparingInt(IngestResult.Rejection::index));
        return new IngestResult(result.accepted(), result.duplicates(), rejected);
    }

    /**
     * The events refused here, in batch order: elements that are not objects and, for an sdk token, events of an
     * experiment in another environment. Events of an unknown experiment go on, for the service to reject like
     * anyone's.
     */
    private List<IngestResult.Rejection> refusals(List<Map<String, Object>> events, Caller caller) {
        List<IngestResult.Rejection> refused = new ArrayList<>();
        String environment = caller.role() == Role.SDK ? caller.environment() : null;
        Map<String, String> environmentOf = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            Map<String, Object> event = events.get(i);
            if (event == null) {
                refused.add(new IngestResult.Rejection(i, "an event must be a JSON object"));
            } else if (environment != null && event.get("experiment") instanceof String key) {
                String other = environmentOf.computeIfAbsent(key,
                        k -> experiments.get(k).map(Experiment::environment).orElse(environment));
                if (!other.equals(environment)) {
                    refused.add(new IngestResult.Rejection(i, "experiment '" + key + "' runs in environment '"
                            + other + "'; an sdk token of '" + environment + "' may only post events of its own"));
                }
            }
        }
        return refused;
    }

    /** The events of a batch body; an element that is not an object is null, refused later by its index. */
    private static List<Map<String, Object>> readBatch(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new ApiException(400, ErrorCodes.INVALID_JSON, "this request needs a JSON body");
        }
        if (first != JsonToken.START_OBJECT) {
            throw new ValidationException(List.of(Violation.error(SCHEMA, "", "must be an object {\"events\":[...]}")));
        }
        List<Map<String, Object>> events = null;
        List<Violation> violations = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals(EVENTS) && value == JsonToken.START_ARRAY) {
                events = readEvents(p);
            } else {
                violations.add(Violation.error(SCHEMA, "/" + name, name.equals(EVENTS)
                        ? "must be an array of events" : "unknown field '" + name + "'"));
                p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            throw new ApiException(400, ErrorCodes.INVALID_JSON, "the body has content after its JSON value");
        }
        if (events == null && violations.isEmpty()) {
            violations.add(Violation.error(SCHEMA, "/events", "is required and must be an array of events"));
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        return events;
    }

    private static List<Map<String, Object>> readEvents(JsonParser p) throws IOException {
        List<Map<String, Object>> events = new ArrayList<>(256);
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            if (token == JsonToken.START_OBJECT) {
                events.add(readObject(p));
            } else {
                p.skipChildren();
                events.add(null);
            }
        }
        return events;
    }

    /** The object the parser is at (after its START_OBJECT), as a plain map. */
    private static Map<String, Object> readObject(JsonParser p) throws IOException {
        Map<String, Object> map = new HashMap<>(16);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            map.put(name, readValue(p, p.nextToken()));
        }
        return map;
    }

    /** The plain value at the current token: String, Boolean, Long (whole numbers that fit), Double, Map, List. */
    private static Object readValue(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? (Object) p.getDoubleValue()
                        : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case START_OBJECT:
                return readObject(p);
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readValue(p, next));
                }
                return list;
            }
            default:
                return null;
        }
    }
}
