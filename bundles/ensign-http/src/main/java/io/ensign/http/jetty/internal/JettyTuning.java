package io.ensign.http.jetty.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.ensign.api.http.AddressRanges;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.KeyStoreScanner;

/**
 * Ensign's settings on the Jetty server that felix http.jetty12 runs: the JSON {@link JsonErrorHandler}, and on every
 * network connector a {@link HeaderDeadline} and the {@link TrustedForwarded} customizer; on every HTTPS connector a
 * {@link KeyStoreScanner}, so that a keystore file replaced on disk is loaded without a restart (new connections get
 * the new certificate). Felix hands its server only to a
 * {@code ConnectorFactory}, and only to add a connector, so the tuning travels as one: a connector that never
 * opens a socket, applies the settings when Felix starts it and takes them back when Felix stops it (our service
 * leaving, or Jetty stopping). It reports the address of the connector it tunes, so the endpoints Felix lists
 * stay true even when it is already there as Jetty starts.
 */
public final class JettyTuning extends ServerConnector {
    private final Server server;
    private final LongSupplier headerTimeoutMillis;
    private final TrustedForwarded forwarded;
    private final IntSupplier keystoreScanSeconds;
    private final List<HeaderDeadline> deadlines = new ArrayList<>();
    private final List<HttpConfiguration> customized = new ArrayList<>();
    private final List<KeyStoreScanner> scanners = new ArrayList<>();
    private Request.Handler previousErrorHandler;

    /**
     * @param trustedProxies      the proxies whose forwarding headers count, read per request
     * @param keystoreScanSeconds how often HTTPS keystores are checked for changes, read when Jetty starts
     */
    public JettyTuning(Server server, LongSupplier headerTimeoutMillis, Supplier<AddressRanges> trustedProxies,
                       IntSupplier keystoreScanSeconds) {
        super(server, 0, 1);
        this.server = server;
        this.headerTimeoutMillis = headerTimeoutMillis;
        this.forwarded = new TrustedForwarded(trustedProxies);
        this.keystoreScanSeconds = keystoreScanSeconds;
        for (ServerConnector tuned : networkConnectors()) {
            setHost(tuned.getHost());
            setPort(tuned.getPort());
            break;
        }
    }

    private List<ServerConnector> networkConnectors() {
        List<ServerConnector> found = new ArrayList<>();
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof ServerConnector network && !(connector instanceof JettyTuning)) {
                found.add(network);
            }
        }
        return found;
    }

    /** Nothing to open: this connector carries settings, it does not listen. */
    @Override
    public void open() {
    }

    @Override
    protected synchronized void doStart() throws Exception {
        previousErrorHandler = server.getErrorHandler();
        server.setErrorHandler(new JsonErrorHandler());
        for (ServerConnector connector : networkConnectors()) {
            HeaderDeadline deadline = new HeaderDeadline(connector, headerTimeoutMillis);
            deadline.install();
            deadlines.add(deadline);
            HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
            if (http != null) {
                http.getHttpConfiguration().addCustomizer(forwarded);
                customized.add(http.getHttpConfiguration());
            }
            SslConnectionFactory tls = connector.getConnectionFactory(SslConnectionFactory.class);
            if (tls != null && tls.getSslContextFactory().getKeyStoreResource() != null) {
                KeyStoreScanner scanner = new KeyStoreScanner(tls.getSslContextFactory());
                scanner.setScanInterval(keystoreScanSeconds.getAsInt());
                scanner.start();
                scanners.add(scanner);
            }
        }
    }

    @Override
    protected synchronized void doStop() throws Exception {
        for (KeyStoreScanner scanner : scanners) {
            scanner.stop();
        }
        scanners.clear();
        customized.forEach(configuration -> configuration.getCustomizers().remove(forwarded));
        customized.clear();
        deadlines.forEach(HeaderDeadline::uninstall);
        deadlines.clear();
        server.setErrorHandler(previousErrorHandler);
    }
}
