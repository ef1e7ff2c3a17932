package io.ensign.http.internal;

import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;

import io.ensign.api.auth.Authenticator;
import io.ensign.api.auth.Role;
import io.ensign.api.http.AddressRanges;
import io.ensign.api.http.ApiResource;
import io.ensign.http.jetty.internal.JettyTuning;
import io.ensign.testing.fakes.InMemoryStore;
import io.ensign.testing.fakes.TestTokens;
import io.ensign.testing.http.ApiClient;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The API servlet and the health servlet in an embedded Jetty 12 (the servlet container felix http.jetty12 embeds),
 * with the resources a test routes in it, driven over HTTP: how every bundle's route tests run their routes without
 * a framework. Its store is the in-memory one; its tokens are stand-ins unless a test brings an authenticator.
 */
public final class ApiHarness extends ApiClient implements AutoCloseable {
    /** The secret of an admin token every harness accepts. */
    public static final String ADMIN_SECRET = "ens_admin-secret-for-tests";
    public static final int MAX_BODY = 4096;
    /** The header deadline of the server's connections: short for the tests of it, long for a loaded machine. */
    public static final long HEADER_TIMEOUT_MILLIS = 2000;

    /** Issues a token of a role (and environment, for sdk tokens) and returns its secret. */
    @FunctionalInterface
    public interface TokenIssuer {
        String issue(Role role, String environment);
    }

    public final InMemoryStore store;
    /** Who the tokens sent to the harness belong to. */
    public final Authenticator tokens;
    public final ApiServlet api;
    public final HealthServlet health;
    private final TokenIssuer issuer;
    private final Server server;

    private ApiHarness(Server server, InMemoryStore store, Authenticator tokens, ApiServlet api, HealthServlet health,
                       TokenIssuer issuer) {
        super("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
        this.server = server;
        this.store = store;
        this.tokens = tokens;
        this.api = api;
        this.health = health;
        this.issuer = issuer;
    }

    /** A harness with stand-in tokens ({@link TestTokens}) and a new in-memory store. */
    public static ApiHarness start() throws Exception {
        TestTokens tokens = new TestTokens(ADMIN_SECRET);
        return start(new InMemoryStore(), tokens, tokens::issue);
    }

    /** A harness over {@code store} that authenticates with {@code tokens}, which must accept {@link #ADMIN_SECRET}. */
    public static ApiHarness start(InMemoryStore store, Authenticator tokens, TokenIssuer issuer) throws Exception {
        ApiServlet api = new ApiServlet(tokens, config());
        HealthServlet health = new HealthServlet();
        Server server = new Server(new InetSocketAddress("127.0.0.1", 0));
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
        JettyTuning tuning = new JettyTuning(server, () -> HEADER_TIMEOUT_MILLIS,
                () -> AddressRanges.of("trustedProxies", new String[0]), () -> 1);
        server.addConnector(tuning);
        tuning.start();
        return new ApiHarness(server, store, tokens, api, health, issuer);
    }

    /** Routes the resources, as DS binds the services of route bundles; returns this harness. */
    public ApiHarness add(ApiResource... resources) {
        for (ApiResource resource : resources) {
            api.addResource(resource);
        }
        return this;
    }

    /** Stops routing the resource, as when its bundle goes. */
    public void remove(ApiResource resource) {
        api.removeResource(resource);
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

    /** Issues a token of a role and returns its secret. */
    public String token(Role role, String environment) {
        return issuer.issue(role, environment);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
