package io.ensign.engine.sync.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.config.ConfigService;
import io.ensign.api.config.ResolvedEntry;
import io.ensign.api.experiment.Experiment;
import io.ensign.api.experiment.ExperimentService;
import io.ensign.api.experiment.ExperimentStatus;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Call;
import io.ensign.api.http.JsonBodies;
import io.ensign.api.http.Permission;
import io.ensign.api.http.PreparedBody;
import io.ensign.api.http.Route;
import io.ensign.api.model.Environment;
import io.ensign.api.model.Flag;
import io.ensign.api.model.Segment;
import io.ensign.api.store.Store;
import io.ensign.codec.ExperimentCodec;
import io.ensign.codec.ModelCodec;
import io.ensign.engine.http.internal.CallerEnvironment;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code GET /api/v1/sync}: an environment's whole evaluation state as one document, for SDKs that evaluate in
 * the application — flags, segments, environments, the experiments running there and the configuration resolved
 * for it — at a change-log sequence S that is its {@code version} and ETag. Clients then follow
 * {@code /api/v1/stream} with {@code Last-Event-ID: S} and fetch the document again when told of a change.
 *
 * <p>The document of a sequence is built once, gzipped once, and served from memory to every client until the
 * next change: a fleet reconnecting after a deploy costs copies, not renderings. An sdk token reads its own
 * environment; other roles name one with {@code ?environment=} (default {@value #DEFAULT_ENVIRONMENT}).
 */
@Component(service = ApiResource.class)
public final class SyncResource implements ApiResource {
    static final String PATH = "/api/v1/sync";
    static final String DEFAULT_ENVIRONMENT = "production";
    private static final String ENVIRONMENT = "environment";
    /** Reads of the whole state before one between two commits is taken as it is (its objects may be newer). */
    static final int CONSISTENT_READ_ATTEMPTS = 5;

    private final Store store;
    private final FlagCatalog catalog;
    private final ConfigService config;
    private final ModelCodec codec = new ModelCodec();
    private final JsonFactory json = new ObjectMapper().getFactory();
    private final ExperimentService experimentService;
    private final ExperimentCodec experiments = new ExperimentCodec();
    /** The newest document of each environment; replaced, never changed. */
    private final Map<String, Built> built = new ConcurrentHashMap<>();
    /** One lock per environment, so that one environment's build never waits for another's. */
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    /** A document and the sequence it was read at. */
    record Built(long sequence, PreparedBody body) {
    }

    @Activate
    public SyncResource(@Reference(target = Store.SELECTED) Store store, @Reference FlagCatalog catalog,
                        @Reference ExperimentService experiments, @Reference ConfigService config) {
        this.store = store;
        this.catalog = catalog;
        this.experimentService = experiments;
        this.config = config;
    }

    @Override
    public URL openApi() {
        return SyncResource.class.getResource("openapi.json");
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get(PATH, Permission.EVALUATE, this::sync));
    }

    private void sync(Call call) throws IOException {
        call.respondPrepared(document(CallerEnvironment.of(call, name -> catalog.environment(name).isPresent(),
                DEFAULT_ENVIRONMENT, "reads")).body());
    }

    /**
     * The environment's current document: the one built at the store's last sequence, built now when there is none
     * (one build per environment at a time; requests meanwhile wait for it rather than building it again).
     */
    Built document(String environment) throws IOException {
        Built current = built.get(environment);
        if (current != null && current.sequence() == store.lastSequence()) {
            return current;
        }
        synchronized (lockOf(environment)) {
            current = built.get(environment);
            if (current == null || current.sequence() != store.lastSequence()) {
                current = build(environment);
                built.put(environment, current);
            }
            return current;
        }
    }

    private Object lockOf(String environment) {
        return locks.computeIfAbsent(environment, e -> new Object());
    }

    /**
     * Reads the state between two looks at the last sequence until no commit fell in between, so the document is
     * the state at exactly that sequence; under a write storm it settles for the last read, whose objects may be
     * newer than its sequence (clients compare object versions, so a replayed change is recognised).
     */
    private Built build(String environment) throws IOException {
        for (int attempt = 1; ; attempt++) {
            long before = store.lastSequence();
            byte[] document = render(environment, before);
            if (store.lastSequence() == before || attempt == CONSISTENT_READ_ATTEMPTS) {
                return new Built(before, PreparedBody.of(document, "\"sync-" + before + "\""));
            }
        }
    }

    private byte[] render(String environment, long sequence) throws IOException {
        List<Flag> flags = catalog.flags();
        List<Segment> segments = catalog.segments();
        List<Environment> environments = catalog.environments();
        List<Experiment> running = runningExperiments(environment);
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192 + flags.size() * 512);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(ENVIRONMENT, environment);
            g.writeNumberField("version", sequence);
            g.writeArrayFieldStart("flags");
            for (Flag flag : flags) {
                g.writeTree(codec.encodeFlag(flag).put("version", flag.version()));
            }
            g.writeEndArray();
            g.writeArrayFieldStart("segments");
            for (Segment segment : segments) {
                g.writeTree(codec.encodeSegment(segment).put("version", segment.version()));
            }
            g.writeEndArray();
            g.writeArrayFieldStart("environments");
            for (Environment e : environments) {
                g.writeTree(codec.encodeEnvironment(e).put("version", e.version()));
            }
            g.writeEndArray();
            g.writeArrayFieldStart("experiments");
            for (Experiment experiment : running) {
                g.writeTree(experiments.encodeExperiment(experiment).put("version", experiment.version()));
            }
            g.writeEndArray();
            writeConfig(g, environment);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private List<Experiment> runningExperiments(String environment) {
        return experimentService.list().stream()
                .filter(e -> e.status() == ExperimentStatus.RUNNING && environment.equals(e.environment())).toList();
    }

    /** {@code "config": {namespace: {key: value}}}, resolved for the environment, secrets masked as for sdk tokens. */
    private void writeConfig(JsonGenerator g, String environment) throws IOException {
        g.writeObjectFieldStart("config");
        for (String namespace : config.namespaces()) {
            Map<String, ResolvedEntry> resolved = config.resolve(namespace, environment, false);
            if (resolved.isEmpty()) {
                continue;
            }
            g.writeObjectFieldStart(namespace);
            for (ResolvedEntry entry : resolved.values()) {
                g.writeFieldName(entry.key());
                JsonBodies.writePlain(g, entry.value());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

}
