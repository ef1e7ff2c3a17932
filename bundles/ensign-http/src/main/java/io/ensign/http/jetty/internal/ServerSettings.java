package io.ensign.http.jetty.internal;

import io.ensign.api.http.AddressRanges;
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
    static final int DEFAULT_KEYSTORE_SCAN_SECONDS = 1;

    /** Limits on connections, reverse proxies, HTTPS. */
    @ObjectClassDefinition(name = "Ensign HTTP server",
            description = "Limits on the web server's connections, trusted reverse proxies and HTTPS")
    public @interface Config {
        @AttributeDefinition(description = "Longest time a client may take to send a whole request header, in "
                + "milliseconds (from the connection's opening, or from its first byte after a response); a "
                + "connection over it is closed")
        int headerTimeoutMillis() default DEFAULT_HEADER_TIMEOUT_MILLIS;

        @AttributeDefinition(description = "IP addresses and CIDR ranges of reverse proxies whose Forwarded and "
                + "X-Forwarded-* headers are honoured (client address, scheme, host, port); empty: nobody's")
        String[] trustedProxies() default {};

        @AttributeDefinition(description = "How often the HTTPS keystore file is checked for changes, in seconds; "
                + "a changed one is loaded without a restart. Read when the web server starts")
        int keystoreScanSeconds() default DEFAULT_KEYSTORE_SCAN_SECONDS;

        @AttributeDefinition(description = "Answer requests that came over plain HTTP with a redirect (308) to "
                + "HTTPS on this port; 0: no redirect")
        int redirectToHttpsPort() default 0;
    }

    /** The settings in force. */
    record Values(int headerTimeoutMillis, AddressRanges trustedProxies, int keystoreScanSeconds,
                  int redirectToHttpsPort) {
        static final Values DEFAULTS = new Values(DEFAULT_HEADER_TIMEOUT_MILLIS,
                AddressRanges.of("trustedProxies", new String[0]), DEFAULT_KEYSTORE_SCAN_SECONDS, 0);

        static Values of(Config config) {
            return new Values(SettingChecks.atLeast(PID, "headerTimeoutMillis", config.headerTimeoutMillis(), 100),
                    AddressRanges.of("trustedProxies", config.trustedProxies()),
                    SettingChecks.atLeast(PID, "keystoreScanSeconds", config.keystoreScanSeconds(), 1),
                    SettingChecks.atLeast(PID, "redirectToHttpsPort", config.redirectToHttpsPort(), 0));
        }

        @Override
        public String toString() {
            return "headerTimeoutMillis=" + headerTimeoutMillis + ", trustedProxies=" + trustedProxies
                    + ", keystoreScanSeconds=" + keystoreScanSeconds + ", redirectToHttpsPort=" + redirectToHttpsPort;
        }
    }

    private volatile Values values;

    @Activate
    public ServerSettings(Config config) {
        values = SettingChecks.readOrKeep(PID, () -> Values.of(config), Values.DEFAULTS);
    }

    @Modified
    void modified(Config config) {
        values = SettingChecks.readOrKeep(PID, () -> Values.of(config), values);
    }

    @Override
    public Connector createConnector(Server server) {
        return new JettyTuning(server, () -> values.headerTimeoutMillis(), () -> values.trustedProxies(),
                () -> values.keystoreScanSeconds());
    }
}
