package io.ensign.engine.stream.internal;

import java.io.IOException;
import java.net.URL;
import java.util.List;
import java.util.function.Function;

import io.ensign.api.auth.Authenticator;
import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.http.ApiException;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Call;
import io.ensign.api.http.ErrorCodes;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import io.ensign.api.metrics.ServerMetrics;
import io.ensign.api.store.Store;
import io.ensign.engine.http.internal.CallerEnvironment;
import io.ensign.api.http.SettingChecks;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code GET /api/v1/stream?environment=E}: server-sent events, one per committed change of a flag, segment,
 * experiment or config key that E sees (global objects are seen by every environment). The event's id is the
 * change log sequence, so {@code Last-Event-ID} (header, or {@code ?lastEventId=}) resumes without a gap or a
 * repeat. Any token may stream; an sdk token streams its own environment only. Without an environment, non-sdk
 * tokens get every change.
 *
 * <p>{@code GET /ofrep/v1/events?environment=E&ticket=T} is the same stream in OFREP's format (ADR 0008 of
 * open-feature/protocol): {@code refetchEvaluation} notifications for the changes that can alter an evaluation in E,
 * with the same ids and resume. It is opened with the ticket the bulk evaluation advertised, not with a header.
 *
 * <p>The route lives in the API servlet like every other, so authentication and error bodies are the same; the
 * servlet supports async requests and this endpoint is the one that starts one.
 */
@Component(service = ApiResource.class, configurationPid = StreamResource.PID)
@Designate(ocd = StreamResource.Config.class)
public final class StreamResource implements ApiResource {
    static final String PID = "io.ensign.http.stream";
    private static final String LAST_EVENT_ID = "Last-Event-ID";
    private static final String OBJECTS = "objects";
    private static final String EVENT_STREAM = "text/event-stream;charset=utf-8";

    static final int DEFAULT_HEARTBEAT_SECONDS = 15;
    static final int DEFAULT_MAX_QUEUED_EVENTS = 1000;

    /** Stream settings. */
    @ObjectClassDefinition(name = "Ensign event streams", description = "Server-sent event streams of changes")
    public @interface Config {
        @AttributeDefinition(description = "Seconds between heartbeat comments on an idle stream")
        int heartbeatSeconds() default DEFAULT_HEARTBEAT_SECONDS;

        @AttributeDefinition(description = "Events that may wait for one slow subscriber before its stream is closed"
                + " (it resumes with Last-Event-ID)")
        int maxQueuedEvents() default DEFAULT_MAX_QUEUED_EVENTS;
    }

    private record Limits(int heartbeatSeconds, int maxQueuedEvents) {
        static final Limits DEFAULTS = new Limits(DEFAULT_HEARTBEAT_SECONDS, DEFAULT_MAX_QUEUED_EVENTS);

        static Limits of(Config config) {
            return new Limits(SettingChecks.atLeast(PID, "heartbeatSeconds", config.heartbeatSeconds(), 1),
                    SettingChecks.atLeast(PID, "maxQueuedEvents", config.maxQueuedEvents(), 1));
        }
    }

    private final FlagCatalog catalog;
    private final Authenticator authenticator;
    private final ChangeBroadcast broadcast;
    private volatile Limits limits;

    @Activate
    public StreamResource(@Reference(target = Store.SELECTED) Store store, @Reference FlagCatalog catalog,
                          @Reference Authenticator authenticator, Config config) {
        this.catalog = catalog;
        this.authenticator = authenticator;
        this.limits = SettingChecks.readOrKeep(PID, () -> Limits.of(config), Limits.DEFAULTS);
        this.broadcast = new ChangeBroadcast(store, limits.heartbeatSeconds() * 1000L);
    }

    /** New limits apply at once (heartbeats) or to the next stream opened (queue bound); invalid ones are refused. */
    @Modified
    void modified(Config config) {
        limits = SettingChecks.readOrKeep(PID, () -> Limits.of(config), limits);
        broadcast.heartbeatMillis(limits.heartbeatSeconds() * 1000L);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMetrics(ServerMetrics recorder) {
        broadcast.metrics(recorder);
    }

    void unbindMetrics(ServerMetrics recorder) {
        broadcast.forgetMetrics(recorder);
    }

    @Deactivate
    void deactivate() {
        broadcast.close();
    }

    /** How many streams are open now. */
    int openStreams() {
        return broadcast.size();
    }

    @Override
    public URL openApi() {
        return StreamResource.class.getResource("openapi.json");
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/api/v1/stream", Permission.EVALUATE, this::stream),
                Route.get(OfrepEventStreams.PATH, Permission.PUBLIC, this::ofrepStream).ofrepErrors());
    }

    private void stream(Call call) throws IOException {
        boolean objects = objects(call);
        open(call, CallerEnvironment.of(call, name -> catalog.environment(name).isPresent(), null, "streams"),
                objects ? StreamEvent::frameWithObject : StreamEvent::frame);
    }

    /** {@code ?objects=true}: events of flags, segments and experiments carry the object after the change. */
    private static boolean objects(Call call) {
        String value = call.query(OBJECTS);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw new ApiException(400, ErrorCodes.INVALID_PARAMETER, "objects must be true or false", OBJECTS);
    }

    private void ofrepStream(Call call) throws IOException {
        String environment = call.query(OfrepEventStreams.ENVIRONMENT);
        String ticket = call.query(OfrepEventStreams.TICKET);
        if (environment == null || environment.isEmpty() || ticket == null || ticket.isEmpty()) {
            throw new ApiException(401, ErrorCodes.UNAUTHORIZED, "the stream needs the environment and the ticket"
                    + " that a bulk evaluation's eventStreams gives", OfrepEventStreams.TICKET);
        }
        if (authenticator.redeem(ticket, OfrepEventStreams.purpose(environment)).isEmpty()) {
            throw new ApiException(401, ErrorCodes.UNAUTHORIZED, "the ticket is not valid for this environment's"
                    + " stream, or its token was revoked: evaluate again for a new one", OfrepEventStreams.TICKET);
        }
        open(call, environment, StreamEvent::ofrepFrame);
    }

    private void open(Call call, String environment, Function<StreamEvent, byte[]> framing) throws IOException {
        long resumeAfter = resumeAfter(call);
        if (call.isHead()) {
            // HEAD gets the stream's head and nothing held open: the client reads no body and reuses the connection
            call.respondEmpty(200);
            streamHeaders(call::setHeader);
            return;
        }
        AsyncContext async = call.startAsync();
        async.setTimeout(0);
        HttpServletResponse response = (HttpServletResponse) async.getResponse();
        response.setStatus(200);
        streamHeaders(response::setHeader);
        broadcast.open(async, response.getOutputStream(), environment, resumeAfter, limits.maxQueuedEvents(), framing);
    }

    /** The headers of a stream's answer, to GET and HEAD alike. */
    private static void streamHeaders(java.util.function.BiConsumer<String, String> header) {
        header.accept("Content-Type", EVENT_STREAM);
        header.accept("Cache-Control", "no-cache");
        // Tells nginx-like proxies not to buffer the stream.
        header.accept("X-Accel-Buffering", "no");
    }


    /** The last sequence the client has, from Last-Event-ID or ?lastEventId=; -1 when it has none. */
    private static long resumeAfter(Call call) {
        String header = call.header(LAST_EVENT_ID);
        String text = header != null && !header.isBlank() ? header.strip() : call.query("lastEventId");
        if (text == null || text.isEmpty()) {
            return -1;
        }
        try {
            long sequence = Long.parseLong(text);
            if (sequence >= 0) {
                return sequence;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ApiException(400, ErrorCodes.INVALID_HEADER,
                "Last-Event-ID must be the id of an event of this stream, a sequence number", LAST_EVENT_ID);
    }
}
