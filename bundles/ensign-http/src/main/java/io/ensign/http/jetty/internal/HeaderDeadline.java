package io.ensign.http.jetty.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection whose request header does not arrive whole in time. Jetty's idle timeout restarts with every
 * byte, so a client sending a header line every few seconds holds a connection (and its buffers) for as long as it
 * likes; this bounds the whole header instead. The clock runs from the connection's opening for its first request,
 * and from the first byte after a response for the next ones, so an idle keep-alive connection is left to the idle
 * timeout and a request body or a long response (an event stream) is never cut.
 *
 * <p>Jetty tells when a header is complete only by handing the request on: the connector's customizer marks it,
 * the request's completion unmarks it, and a sweep on the connector's scheduler closes the laggards.
 */
final class HeaderDeadline implements Connection.Listener, HttpConfiguration.Customizer, Runnable {
    private static final System.Logger LOG = System.getLogger(HeaderDeadline.class.getName());

    private final ServerConnector connector;
    private final LongSupplier timeoutMillis;
    private final Map<Connection, Progress> connections = new ConcurrentHashMap<>();
    private volatile Scheduler.Task sweep;
    private volatile boolean installed;

    /** Where one connection is: between requests (waiting for a header, maybe started) or inside one. */
    private static final class Progress {
        /** When the header being waited for began (nanoTime), 0 while none has begun. */
        volatile long headerSince;
        /** Bytes the connection had read when its last request completed; more means the next header began. */
        volatile long bytesAtLastRequest;
        volatile boolean inRequest;
        /** How many requests began on the connection; a completion counts only for the newest one. */
        volatile long started;

        Progress(long openedAt) {
            headerSince = openedAt;
        }
    }

    HeaderDeadline(ServerConnector connector, LongSupplier timeoutMillis) {
        this.connector = connector;
        this.timeoutMillis = timeoutMillis;
    }

    void install() {
        installed = true;
        connector.addEventListener(this);
        HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
        if (http != null) {
            http.getHttpConfiguration().addCustomizer(this);
        }
        schedule();
    }

    void uninstall() {
        installed = false;
        Scheduler.Task task = sweep;
        if (task != null) {
            task.cancel();
        }
        connector.removeEventListener(this);
        HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
        if (http != null) {
            http.getHttpConfiguration().getCustomizers().remove(this);
        }
        connections.clear();
    }

    @Override
    public void onOpened(Connection connection) {
        connections.put(connection, new Progress(System.nanoTime()));
    }

    @Override
    public void onClosed(Connection connection) {
        connections.remove(connection);
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        Connection connection = request.getConnectionMetaData().getConnection();
        Progress progress = connections.get(connection);
        if (progress != null) {
            long number = ++progress.started;
            progress.headerSince = 0;
            progress.inRequest = true;
            Request.addCompletionListener(request, failure -> {
                // a request's completion may run after the client's next request began on the same connection:
                // then it must not mark that next request as waiting for its header
                if (progress.started == number) {
                    progress.bytesAtLastRequest = connection.getBytesIn();
                    progress.headerSince = 0;
                    progress.inRequest = false;
                }
            });
        }
        return request;
    }

    /** One sweep: closes every connection whose header is late, then schedules the next sweep. */
    @Override
    public void run() {
        long now = System.nanoTime();
        long limit = TimeUnit.MILLISECONDS.toNanos(timeoutMillis.getAsLong());
        connections.forEach((connection, progress) -> {
            if (progress.inRequest) {
                return;
            }
            if (progress.headerSince == 0) {
                if (connection.getBytesIn() > progress.bytesAtLastRequest) {
                    progress.headerSince = now;
                }
                return;
            }
            if (now - progress.headerSince > limit) {
                LOG.log(System.Logger.Level.DEBUG, () -> "closing " + connection.getEndPoint().getRemoteSocketAddress()
                        + ": no whole request header within " + timeoutMillis.getAsLong() + " ms");
                connections.remove(connection);
                connection.getEndPoint().close();
            }
        });
        schedule();
    }

    /** Sweeps four times per deadline, at least once a second: a late header is closed at most that much late. */
    private void schedule() {
        if (installed) {
            long period = Math.max(50, Math.min(1000, timeoutMillis.getAsLong() / 4));
            sweep = connector.getScheduler().schedule(this, period, TimeUnit.MILLISECONDS);
        }
    }
}
