package io.ensign.http.internal;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.auth.Role;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.config.ConfigService;
import io.ensign.api.http.ApiResource;
import io.ensign.api.store.Store;
import io.ensign.config.internal.ConfigCatalog;
import io.ensign.http.audit.internal.AuditResource;
import io.ensign.http.auth.internal.TokenRegistry;
import io.ensign.http.auth.internal.TokenRegistryAccess;
import io.ensign.http.catalog.internal.EnvironmentsResource;
import io.ensign.http.catalog.internal.FlagsResource;
import io.ensign.http.catalog.internal.SegmentsResource;
import io.ensign.http.config.internal.ConfigResource;
import io.ensign.http.jetty.internal.JettyTuning;
import io.ensign.http.ofrep.internal.OfrepResource;
import io.ensign.http.stream.internal.StreamResource;
import io.ensign.http.tokens.internal.TokensResource;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The API's servlets in an embedded Jetty 12 (the servlet container felix http.jetty12 embeds), over in-memory
 * store, catalog and evaluator, with an HTTP client to drive them.
 */
public final class ApiHarness implements AutoCloseable {
    public static final String ADMIN_SECRET = "ens_admin-secret-for-tests";
    public static final int MAX_BODY = 4096;
    /** Events that may wait for a slow stream subscriber. */
    public static final int STREAM_QUEUE = 100;
    /** The header deadline of the server's connections: short for the tests of it, long for a loaded machine. */
    public static final long HEADER_TIMEOUT_MILLIS = 2000;

    public final InMemoryStore store = new InMemoryStore();
    public final InMemoryCatalog catalog = new InMemoryCatalog();
    public final CatalogEvaluator evaluator = new CatalogEvaluator(catalog);
    public final TokenRegistry tokens;
    public final ApiServlet api;
    /** The real configuration service (bundle ensign-config) over the store and catalog. */
    public final ConfigCatalog config;
    /** The resources routed, one of each kind. */
    public final List<ApiResource> resources;
    public final HealthServlet health = new HealthServlet();
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Server server;
    private final String base;

    public ApiHarness(Path dataDirectory) throws Exception {
        tokens = TokenRegistryAccess.create(store, ADMIN_SECRET, dataDirectory);
        api = new ApiServlet(tokens, config());
        config = new ConfigCatalog(store, catalog, dataDirectory.resolve(ConfigCatalog.KEY_FILE));
        resources = resources(tokens, catalog, evaluator, store, config);
        for (ApiResource resource : resources) {
            api.addResource(resource);
        }
        server = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder apiHolder = new ServletHolder(api);
        apiHolder.setAsyncSupported(true);
        context.addServlet(apiHolder, "/api/*");
        context.addServlet(apiHolder, "/ofrep/*");
        context.addServlet(new ServletHolder(health), "/health/*");
        server.setHandler(context);
        server.start();
        // As felix http.jetty12 does with a connector factory's connector once Jetty runs.
        JettyTuning tuning = new JettyTuning(server, () -> HEADER_TIMEOUT_MILLIS);
        server.addConnector(tuning);
        tuning.start();
        base = "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** The resource of this type among those routed. */
    public <T extends ApiResource> T resource(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    /** Every resource of this bundle, built over the given services. */
    public static List<ApiResource> resources(TokenRegistry tokens, InMemoryCatalog catalog, CatalogEvaluator evaluator,
                                              Store store, ConfigService config) {
        return List.of(new FlagsResource(catalog), new SegmentsResource(catalog), new EnvironmentsResource(catalog),
                new TokensResource(tokens, catalog), new OfrepResource(evaluator, catalog, ofrepConfig()),
                new ConfigResource(config), new AuditResource(store),
                new StreamResource(store, catalog, streamConfig()));
    }

    /** Heartbeats every second and room for 100 waiting events, so that tests see both soon. */
    private static StreamResource.Config streamConfig() {
        return new StreamResource.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return StreamResource.Config.class;
            }

            @Override
            public int heartbeatSeconds() {
                return 1;
            }

            @Override
            public int maxQueuedEvents() {
                return STREAM_QUEUE;
            }
        };
    }

    private static ApiServlet.Config config() {
        return new ApiServlet.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ApiServlet.Config.class;
            }

            @Override
            public int maxBodyBytes() {
                return MAX_BODY;
            }

            @Override
            public int maxNestingDepth() {
                return 16;
            }

            @Override
            public int maxStringLength() {
                return 1000;
            }
        };
    }

    private static OfrepResource.Config ofrepConfig() {
        return new OfrepResource.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return OfrepResource.Config.class;
            }

            @Override
            public String defaultEnvironment() {
                return "production";
            }

            @Override
            public long minPollingIntervalMs() {
                return 5000;
            }
        };
    }

    /** Issues a token of a role and returns its secret. */
    public String token(Role role, String environment) {
        return tokens.issue("test " + role.jsonName(), role, environment, new WriteContext("tests", null, null)).secret();
    }

    public HttpRequest.Builder request(String method, String path, String token, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    public HttpResponse<String> send(String method, String path, String token, String json) {
        return send(request(method, path, token, json));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Asserts the documented error: the status, JSON, the code and a message; returns the body. */
    public JsonNode assertError(HttpResponse<String> response, int status, String code) {
        org.junit.jupiter.api.Assertions.assertEquals(status, response.statusCode(), response.body());
        org.junit.jupiter.api.Assertions.assertTrue(
                response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = json(response);
        org.junit.jupiter.api.Assertions.assertEquals(code, body.path("error").asText(), response.body());
        org.junit.jupiter.api.Assertions.assertFalse(body.path("message").asText().isEmpty(), "every error has a message");
        return body;
    }

    public JsonNode json(HttpResponse<String> response) {
        try {
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** The port the server listens on. */
    public int port() {
        return Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
