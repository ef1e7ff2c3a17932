package io.ensign.http.jetty.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Ensign's settings on the Jetty server that felix http.jetty12 runs: the JSON {@link JsonErrorHandler} and a
 * {@link HeaderDeadline} on every network connector. Felix hands its server only to a
 * {@code ConnectorFactory}, and only to add a connector, so the tuning travels as one: a connector that never
 * opens a socket, applies the settings when Felix starts it and takes them back when Felix stops it (our service
 * leaving, or Jetty stopping). It reports the address of the connector it tunes, so the endpoints Felix lists
 * stay true even when it is already there as Jetty starts.
 */
public final class JettyTuning extends ServerConnector {
    private final Server server;
    private final LongSupplier headerTimeoutMillis;
    private final List<HeaderDeadline> deadlines = new ArrayList<>();
    private Request.Handler previousErrorHandler;

    public JettyTuning(Server server, LongSupplier headerTimeoutMillis) {
        super(server, 0, 1);
        this.server = server;
        this.headerTimeoutMillis = headerTimeoutMillis;
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
    protected synchronized void doStart() {
        previousErrorHandler = server.getErrorHandler();
        server.setErrorHandler(new JsonErrorHandler());
        for (ServerConnector connector : networkConnectors()) {
            HeaderDeadline deadline = new HeaderDeadline(connector, headerTimeoutMillis);
            deadline.install();
            deadlines.add(deadline);
        }
    }

    @Override
    protected synchronized void doStop() {
        deadlines.forEach(HeaderDeadline::uninstall);
        deadlines.clear();
        server.setErrorHandler(previousErrorHandler);
    }
}
