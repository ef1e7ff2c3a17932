package io.ensign.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.auth.Authenticator;
import io.ensign.api.auth.Caller;
import io.ensign.api.auth.Role;
import io.ensign.api.http.ApiException;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.CorsPolicy;
import io.ensign.api.http.ErrorCodes;
import io.ensign.api.http.ErrorStyle;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import io.ensign.api.http.SettingChecks;
import io.ensign.api.metrics.ServerMetrics;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
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
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The REST API and OFREP: one servlet, one {@link Router} over the routes of every {@link ApiResource} present.
 * Per request: authentication (401, or 400 for several Authorization headers), route lookup (404/405, told only
 * to an authenticated caller), role check (403), then the endpoint; every failure
 * becomes an error body through {@link ErrorMapping}. Async requests are supported for the event stream, the one
 * endpoint that starts one (see {@link Call#startAsync()}). Every request answered is reported to the
 * {@link ServerMetrics} present, by route template (never the raw path) and status.
 *
 * <p>The limits follow configuration edits at once; a value that is not a number or out of range is refused with
 * a warning and the limits in force stay.
 */
@Component(service = Servlet.class, configurationPid = ApiServlet.PID)
@Designate(ocd = ApiServlet.Config.class)
@HttpWhiteboardServletName("ensign-api")
@HttpWhiteboardServletPattern({"/api/*", "/ofrep/*", ApiServlet.METRICS})
@HttpWhiteboardServletAsyncSupported
public final class ApiServlet extends HttpServlet {
    static final String PID = "io.ensign.http";
    static final String OPENAPI = "/api/v1/openapi.json";
    /** The one path outside /api/ and /ofrep/ a resource may serve: where Prometheus scrapes by convention. */
    static final String METRICS = "/metrics";
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(ApiServlet.class.getName());
    private static final String REQUEST_ID = "X-Request-Id";
    private static final String AUTHORIZATION = "Authorization";
    private static final String BEARER = "Bearer ";
    private static final int MAX_REQUEST_ID_LENGTH = 128;
    static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    private static final int DRAIN_CHUNK_BYTES = 16 * 1024;
    static final int DEFAULT_MAX_NESTING_DEPTH = 64;
    static final int DEFAULT_MAX_STRING_LENGTH = 256 * 1024;

    /** Limits on request bodies. */
    @ObjectClassDefinition(name = "Ensign HTTP API", description = "Limits on the REST API's request bodies")
    public @interface Config {
        @AttributeDefinition(description = "Largest request body accepted, in bytes; larger ones get 413")
        int maxBodyBytes() default DEFAULT_MAX_BODY_BYTES;

        @AttributeDefinition(description = "Deepest nesting of JSON arrays and objects accepted in a body")
        int maxNestingDepth() default DEFAULT_MAX_NESTING_DEPTH;

        @AttributeDefinition(description = "Longest JSON string accepted in a body, in characters")
        int maxStringLength() default DEFAULT_MAX_STRING_LENGTH;
    }

    private final transient Authenticator tokens;
    /** Who may call from other origins; none while no bundle provides a policy. */
    private transient volatile CorsPolicy cors;
    private transient volatile Limits limits;
    private final transient List<Bound> resources = new CopyOnWriteArrayList<>();
    private final transient OpenApiAssembly openApi = new OpenApiAssembly();
    private transient volatile Routing routing;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile ServerMetrics metrics;

    /**
     * The routes served now and what the OpenAPI document of exactly those is made of, replaced together; the
     * document is assembled when first asked for, so that a resource coming or going costs only a new router.
     */
    private final class Routing {
        private final Router router;
        private final List<OpenApiAssembly.Contribution> contributions;
        private volatile byte[] document;

        Routing(Router router, List<OpenApiAssembly.Contribution> contributions) {
            this.router = router;
            this.contributions = contributions;
        }

        Router router() {
            return router;
        }

        byte[] openApi() throws IOException {
            byte[] assembled = document;
            if (assembled == null) {
                // two requests racing here assemble the same document; either result is right
                assembled = openApi.assemble(contributions);
                document = assembled;
            }
            return assembled;
        }
    }

    /** A resource as bound, with its routes and OpenAPI fragment (null when it has none) read once: both are fixed. */
    private record Bound(ApiResource resource, String source, List<Route> routes, JsonNode fragment) {
    }

    /** The limits in force, with the parser they make. */
    private record Limits(int maxBodyBytes, int maxNestingDepth, int maxStringLength, Json json) {
        static final Limits DEFAULTS = new Limits(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_NESTING_DEPTH,
                DEFAULT_MAX_STRING_LENGTH, new Json(DEFAULT_MAX_NESTING_DEPTH, DEFAULT_MAX_STRING_LENGTH));

        static Limits of(Config config) {
            int depth = SettingChecks.atLeast(PID, "maxNestingDepth", config.maxNestingDepth(), 1);
            int length = SettingChecks.atLeast(PID, "maxStringLength", config.maxStringLength(), 1);
            return new Limits(SettingChecks.atLeast(PID, "maxBodyBytes", config.maxBodyBytes(), 1), depth, length,
                    new Json(depth, length));
        }

        @Override
        public String toString() {
            return "maxBodyBytes=" + maxBodyBytes + ", maxNestingDepth=" + maxNestingDepth + ", maxStringLength="
                    + maxStringLength;
        }
    }

    @Activate
    public ApiServlet(@Reference Authenticator tokens, Config config) {
        this.tokens = tokens;
        this.limits = SettingChecks.readOrKeep(PID, () -> Limits.of(config), Limits.DEFAULTS);
        rebuildRouter();
    }

    /** A configuration edit applies to the next request, without taking the servlet away. */
    @Modified
    void modified(Config config) {
        limits = SettingChecks.readOrKeep(PID, () -> Limits.of(config), limits);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addResource(ApiResource resource) {
        String source = source(resource);
        Bound bound;
        try {
            bound = new Bound(resource, source, List.copyOf(resource.routes()),
                    OpenApiAssembly.fragment(resource.openApi(), limits.json()));
        } catch (RuntimeException | IOException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "the routes of " + source + " are not served", e);
            return;
        }
        if (bound.fragment() == null) {
            LOG.log(System.Logger.Level.WARNING, "the routes of " + source + " are served but left out of "
                    + OPENAPI + ": the resource has no OpenAPI fragment (ApiResource.openApi())");
        }
        resources.add(bound);
        rebuildRouter();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setCors(CorsPolicy policy) {
        cors = policy;
    }

    void unsetCors(CorsPolicy policy) {
        if (cors == policy) {
            cors = null;
        }
    }

    void removeResource(ApiResource resource) {
        if (resources.removeIf(bound -> bound.resource() == resource)) {
            rebuildRouter();
        }
    }

    /**
     * Routes to every resource bound that keeps the rules of {@link ApiResource} (one whose routes or fragment could
     * not be read was refused when bound); one that breaks them is left out with a warning, the first of two
     * resources with the same route keeping it.
     */
    private synchronized void rebuildRouter() {
        List<Route> routes = new ArrayList<>();
        routes.add(Route.get(OPENAPI, Permission.PUBLIC, call -> call.respondCacheable(routing.openApi())));
        List<OpenApiAssembly.Contribution> contributions = new ArrayList<>();
        Set<String> taken = new HashSet<>(Set.of("GET " + OPENAPI));
        for (Bound bound : resources) {
            String problem = problem(bound.routes(), taken);
            if (problem != null) {
                LOG.log(System.Logger.Level.WARNING, "the routes of " + bound.source() + " are not served: " + problem);
                continue;
            }
            bound.routes().forEach(r -> taken.add(r.method() + " " + r.template()));
            routes.addAll(bound.routes());
            if (bound.fragment() != null) {
                contributions.add(new OpenApiAssembly.Contribution(bound.source(), bound.routes(), bound.fragment()));
            }
        }
        routing = new Routing(new Router(routes), contributions);
    }

    /** Why these routes cannot be served beside those {@code taken}, or null when they can. */
    private static String problem(List<Route> routes, Set<String> taken) {
        Set<String> mine = new HashSet<>();
        for (Route route : routes) {
            String key = route.method() + " " + route.template();
            if (!servedHere(route.template())) {
                return key + " lies outside /api/, /ofrep/ and " + METRICS;
            }
            if (taken.contains(key) || !mine.add(key)) {
                return key + " is served already";
            }
        }
        return null;
    }

    /** Whether a path is this servlet's: under {@code /api/} or {@code /ofrep/}, or {@code /metrics}. */
    static boolean servedHere(String path) {
        return path.startsWith("/api/") || path.startsWith("/ofrep/") || path.equals(METRICS);
    }

    /** The resource's class and bundle, for log lines. */
    private static String source(ApiResource resource) {
        Bundle bundle = FrameworkUtil.getBundle(resource.getClass());
        return resource.getClass().getName() + (bundle == null ? "" : " of bundle " + bundle.getSymbolicName());
    }

    /** The routes answered now. */
    public List<Route> routes() {
        return routing.router().routes();
    }

    /** The OpenAPI document of the routes answered now. */
    byte[] openApiDocument() throws IOException {
        return routing.openApi();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long start = System.nanoTime();
        Router.Match match = null;
        try {
            match = answer(request, response);
        } finally {
            ServerMetrics recorder = metrics;
            if (recorder != null) {
                recorder.requested(request.getMethod(), match == null ? "" : match.route().template(),
                        response.getStatus(), System.nanoTime() - start);
            }
        }
    }

    /** Answers a request; returns the route match that took it, or null when no route did. */
    private Router.Match answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requestId = requestId(request.getHeader(REQUEST_ID));
        response.setHeader(REQUEST_ID, requestId);
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String method = request.getMethod();
        Router current = routing.router();
        Router.Match match = current.match(method, path);
        if (match == null && method.equals("HEAD")) {
            match = current.match("GET", path);
        }
        ErrorStyle style = match == null ? ErrorStyle.forPath(path) : match.route().errorStyle();
        try {
            if (request.getHeader(CrossOrigin.ORIGIN) != null) {
                if (CrossOrigin.isPreflight(request)) {
                    CrossOrigin.preflight(request, response, cors, current.routesAt(path));
                    return match;
                }
                CrossOrigin.decorate(request, response, cors, corsEnvironment(request));
            }
            if (match == null) {
                throw noRoute(request, current.routesAt(path), path, response);
            }
            Caller caller = authorise(request, match.route().permission());
            Limits inForce = limits;
            match.route().endpoint().handle(new HttpCall(request, response, match, caller, requestId, inForce.json(),
                    inForce.maxBodyBytes()));
        } catch (Exception | Error e) {
            // an endpoint of another bundle may throw anything: every failure but the VM's own gets an error body
            if (e instanceof VirtualMachineError vm && !(e instanceof StackOverflowError)) {
                throw vm;
            }
            ApiError error = ErrorMapping.map(e);
            if (error.status() >= 500 && error.retryAfterSeconds() == 0) {
                LOG.log(System.Logger.Level.ERROR, "request " + requestId + " " + method + " " + path + " failed", e);
            }
            drainBody(request, limits.maxBodyBytes());
            writeError(response, error, style, match == null ? null : match.parameter("key"));
        }
        return match;
    }

    /**
     * Reads what is left of a refused request's body, up to the body limit, before the refusal is written. A
     * client still sending the body would otherwise lose the answer: the server closing the connection with bytes
     * unread makes its kernel reset the connection, and the client's next write or read fails. A body declared
     * larger than the limit is not read (that answer is a 413, and the connection is closed after it); reading
     * stops at the limit for one of unknown length.
     */
    private static void drainBody(HttpServletRequest request, int maxBytes) {
        if (request.getContentLengthLong() > maxBytes) {
            return;
        }
        try {
            InputStream in = request.getInputStream();
            byte[] chunk = new byte[DRAIN_CHUNK_BYTES];
            long left = maxBytes;
            for (int n = in.read(chunk); n > 0 && left > 0; n = in.read(chunk)) {
                left -= n;
            }
        } catch (IOException | IllegalStateException | UnsupportedOperationException gone) {
            // the client is gone, the body was read as characters, or it was read and closed: nothing to drain
        }
    }

    /**
     * The refusal of a request no route takes: 404 for an unknown path, 405 for a method the path does not answer.
     * Either is told only to an authenticated caller (or on a path whose routes are all public), so the route map
     * is not revealed to anyone without a token and a wrong method never answers before authentication does.
     */
    private ApiException noRoute(HttpServletRequest request, List<Route> routes, String path,
                                 HttpServletResponse response) {
        if (routes.isEmpty() || routes.stream().anyMatch(r -> r.permission() != Permission.PUBLIC)) {
            authenticate(request);
        }
        if (routes.isEmpty()) {
            return new ApiException(404, ErrorCodes.NOT_FOUND, "no resource at " + path);
        }
        Set<String> methods = new LinkedHashSet<>();
        routes.forEach(r -> methods.add(r.method()));
        response.setHeader("Allow", String.join(", ", methods));
        return new ApiException(405, ErrorCodes.METHOD_NOT_ALLOWED,
                path + " answers " + String.join(", ", methods) + " only");
    }

    /** The caller's token, checked against the permission the route demands; null for public routes. */
    private Caller authorise(HttpServletRequest request, Permission permission) {
        if (permission == Permission.PUBLIC) {
            return null;
        }
        Caller token = authenticate(request);
        if (!permission.allows(token.role())) {
            throw new ApiException(403, ErrorCodes.FORBIDDEN,
                    "a token with role " + token.role().jsonName() + " may not do this");
        }
        return token;
    }

    /**
     * The token of exactly one {@code Authorization: Bearer <token>} header: the scheme (any case), one space and
     * a token68 (RFC 9110 11.2), nothing else. Two headers are a 400 naming the header, since which one counts
     * would otherwise depend on the server in front; anything else is a 401.
     */
    private Caller authenticate(HttpServletRequest request) {
        Enumeration<String> headers = request.getHeaders(AUTHORIZATION);
        String header = headers != null && headers.hasMoreElements() ? headers.nextElement() : null;
        if (header != null && headers.hasMoreElements()) {
            throw new ApiException(400, ErrorCodes.INVALID_HEADER,
                    "send one Authorization header, not several", AUTHORIZATION);
        }
        String secret = bearerToken(header);
        if (secret == null) {
            throw new ApiException(401, ErrorCodes.UNAUTHORIZED, "send an API token as Authorization: Bearer <token>");
        }
        return tokens.authenticate(secret).orElseThrow(() ->
                new ApiException(401, ErrorCodes.UNAUTHORIZED, "the API token is not valid"));
    }

    /**
     * The environment a cross-origin request works in, for its CORS answer: the one its query names, else an sdk
     * token's own; null when neither says.
     */
    private String corsEnvironment(HttpServletRequest request) {
        String query = request.getQueryString();
        if (query != null && query.contains("environment=")) {
            String named = request.getParameter("environment");
            if (named != null && !named.isEmpty()) {
                return named;
            }
        }
        String secret = bearerToken(request.getHeader(AUTHORIZATION));
        Caller caller = secret == null ? null : tokens.authenticate(secret).orElse(null);
        return caller != null && caller.role() == Role.SDK ? caller.environment() : null;
    }

    /** The token of a well-formed bearer credential, or null. */
    static String bearerToken(String header) {
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = header.substring(BEARER.length());
        int end = token.length();
        while (end > 1 && token.charAt(end - 1) == '=') {
            end--;
        }
        for (int i = 0; i < end; i++) {
            char c = token.charAt(i);
            boolean token68 = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
            if (!token68) {
                return null;
            }
        }
        return token;
    }

    private void writeError(HttpServletResponse response, ApiError error, ErrorStyle style, String key)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(error.status());
        if (error.status() == 401) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"ensign\"");
        }
        if (error.retryAfterSeconds() > 0) {
            response.setHeader("Retry-After", Integer.toString(error.retryAfterSeconds()));
        }
        response.setContentType("application/json");
        response.setHeader("ETag", null);
        try (JsonGenerator g = limits.json().generator(response.getOutputStream())) {
            error.write(g, style, key);
        }
    }

    /** The caller's request id when it is short and plain, else a new one. */
    static String requestId(String given) {
        if (given != null && !given.isEmpty() && given.length() <= MAX_REQUEST_ID_LENGTH && isPlain(given)) {
            return given;
        }
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }

    private static boolean isPlain(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_' || c == '.' || c == ':';
            if (!plain) {
                return false;
            }
        }
        return true;
    }
}
