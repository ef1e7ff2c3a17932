package io.ensign.http.jetty.internal;

import io.ensign.api.http.SettingChecks;
import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Hands felix http.jetty12 the {@link JettyTuning} of its server, through the one hook it offers (a connector
 * factory; Felix calls it whenever Jetty starts and this service is there, or this service arrives). The header
 * deadline follows configuration edits at once; a bad value is refused with a warning and the one in force stays.
 */
@Component(service = ConnectorFactory.class, configurationPid = ServerSettings.PID)
@Designate(ocd = ServerSettings.Config.class)
public final class ServerSettings implements ConnectorFactory {
    static final String PID = "io.ensign.http.server";
    static final int DEFAULT_HEADER_TIMEOUT_MILLIS = 10_000;

    /** Limits on connections. */
    @ObjectClassDefinition(name = "Ensign HTTP server", description = "Limits on the web server's connections")
    public @interface Config {
        @AttributeDefinition(description = "Longest time a client may take to send a whole request header, in "
                + "milliseconds (from the connection's opening, or from its first byte after a response); a "
                + "connection over it is closed")
        int headerTimeoutMillis() default DEFAULT_HEADER_TIMEOUT_MILLIS;
    }

    private volatile int headerTimeoutMillis;

    @Activate
    public ServerSettings(Config config) {
        headerTimeoutMillis = SettingChecks.readOrKeep(PID, () -> read(config), DEFAULT_HEADER_TIMEOUT_MILLIS);
    }

    @Modified
    void modified(Config config) {
        headerTimeoutMillis = SettingChecks.readOrKeep(PID, () -> read(config), headerTimeoutMillis);
    }

    private static int read(Config config) {
        return SettingChecks.atLeast(PID, "headerTimeoutMillis", config.headerTimeoutMillis(), 100);
    }

    @Override
    public Connector createConnector(Server server) {
        return new JettyTuning(server, () -> headerTimeoutMillis);
    }
}
