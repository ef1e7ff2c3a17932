package io.ensign.audit.webhook.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import javax.crypto.spec.SecretKeySpec;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.audit.AuditSink;
import io.ensign.api.audit.AuditSinkPlugin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * POSTs every audit record as JSON to a configured URL; any answer but 2xx, or none within the timeout, fails
 * the delivery so the dispatcher retries it. The request is a {@link WebhookPost}: its sequence header lets the
 * receiver drop redeliveries, and with a secret its signature header carries the body's HMAC-SHA256.
 * Only active once configured.
 */
@Component(service = AuditSink.class, configurationPid = WebhookAuditSink.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@AuditSinkPlugin(name = "webhook")
@Designate(ocd = WebhookAuditSink.Config.class)
public final class WebhookAuditSink implements AuditSink {
    static final String PID = "io.ensign.audit.webhook";

    /** Configuration of the audit webhook. */
    @ObjectClassDefinition(name = "Ensign audit webhook", description = "Where audit records are POSTed")
    public @interface Config {
        @AttributeDefinition(description = "The http or https URL that receives every audit record")
        String url();

        @AttributeDefinition(description = "How long connecting and answering may take, in milliseconds")
        long timeoutMillis() default 5_000;

        /**
         * The HMAC key; the leading underscore makes its property name {@code .secret}, which DS keeps out of the
         * service properties that every bundle can read.
         */
        @AttributeDefinition(type = AttributeType.PASSWORD, required = false,
                description = "Key for the HMAC-SHA256 signature header; empty sends no signature")
        String _secret() default "";
    }

    private static final System.Logger LOG = System.getLogger(WebhookAuditSink.class.getName());

    /** Where and how records go; replaced whole by a configuration edit. */
    private record Target(URI url, Duration timeout, SecretKeySpec key, HttpClient client) {
        static Target of(URI url, Duration timeout, String secret) {
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw new IllegalArgumentException("the audit webhook needs an absolute http or https URL");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the audit webhook's timeout must be positive");
            }
            return new Target(url, timeout, secret == null || secret.isEmpty() ? null
                    : WebhookPost.key(secret),
                    HttpClient.newBuilder().connectTimeout(timeout).build());
        }

        static Target of(Config config) {
            return of(URI.create(config.url()), Duration.ofMillis(config.timeoutMillis()), config._secret());
        }
    }

    private volatile Target target;

    /** A configuration that cannot be used fails the activation: the sink is not there rather than wrong. */
    @Activate
    public WebhookAuditSink(Config config) {
        this.target = Target.of(config);
    }

    WebhookAuditSink(URI url, Duration timeout, String secret) {
        this.target = Target.of(url, timeout, secret);
    }

    /**
     * A configuration edit applies to the next delivery without the sink going away; one that cannot be used (no
     * URL, a value that does not convert, a timeout of 0) is refused with a warning and the target in force kept.
     */
    @Modified
    void modified(Config config) {
        try {
            target = Target.of(config);
        } catch (RuntimeException e) {
            // The message never names the URL: it may carry credentials.
            LOG.log(System.Logger.Level.WARNING, "configuration " + PID + " refused (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + "); keeping the webhook target in force");
        }
    }

    @Override
    public void deliver(AuditRecord record) throws IOException, InterruptedException {
        Target current = target;
        WebhookPost.send(current.client(), current.url(), current.timeout(), current.key(), record, "the audit webhook");
    }
}
