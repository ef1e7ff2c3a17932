package io.ensign.audit.webhook.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.audit.AuditRecord;
import io.ensign.api.audit.AuditSink;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.config.ConfigEntry;
import io.ensign.api.config.ConfigService;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The webhook subscriptions, kept in the store (kind {@value WebhookSubscription#KIND}); each live one is an
 * {@link AuditSink} service of its own name, so the audit dispatcher feeds it from its own cursor, in order, with
 * retries, and a slow receiver holds up no other. The sinks follow the store's changes, so a subscription made or
 * removed on another node is served here too.
 */
@Component(service = WebhookSubscriptions.class, immediate = true)
public final class WebhookSubscriptions {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final System.Logger LOG = System.getLogger(WebhookSubscriptions.class.getName());

    private final Store store;
    private final ConfigService config;
    private final BundleContext context;
    private final ObjectMapper mapper = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    /** Registering services from the store's change callback would hold up the committer: it happens here. */
    private final ExecutorService follower = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "ensign-webhook-subscriptions");
        thread.setDaemon(true);
        return thread;
    });
    /** Subscription id to what is registered for it; guarded by itself. */
    private final Map<String, Live> live = new HashMap<>();
    private final AutoCloseable subscription;

    private record Live(WebhookSubscription subscription, long version, ServiceRegistration<AuditSink> registration) {
    }

    @Activate
    public WebhookSubscriptions(@Reference(target = Store.SELECTED) Store store, @Reference ConfigService config,
                                BundleContext context) {
        this.store = store;
        this.config = config;
        this.context = context;
        // Subscribe before listing, so no change falls between the two; versions sort out the overlap.
        this.subscription = store.subscribe(this::changed);
        store.list(WebhookSubscription.KIND).forEach(d -> apply(d.key(), d.version(), d.json()));
    }

    @Deactivate
    void close() throws Exception {
        subscription.close();
        follower.shutdown();
        follower.awaitTermination(5, TimeUnit.SECONDS);
        synchronized (live) {
            live.values().forEach(l -> l.registration().unregister());
            live.clear();
        }
    }

    /** Every subscription, ordered by creation. */
    public List<WebhookSubscription> list() {
        List<WebhookSubscription> all = new ArrayList<>();
        synchronized (live) {
            live.values().forEach(l -> all.add(l.subscription()));
        }
        all.sort(Comparator.comparing(WebhookSubscription::created).thenComparing(WebhookSubscription::id));
        return all;
    }

    /** The subscription of this id, if there is one. */
    public Optional<WebhookSubscription> get(String id) {
        synchronized (live) {
            return Optional.ofNullable(live.get(id)).map(Live::subscription);
        }
    }

    /**
     * Makes a subscription from a request body; when this returns its sink is registered.
     *
     * @throws ValidationException naming the field that is wrong; nothing is written then
     */
    public WebhookSubscription create(JsonNode body, WriteContext writer) {
        String id = HexFormat.of().formatHex(randomBytes());
        WebhookSubscription made = WebhookSubscription.fromRequest(body, id, store.lastSequence(), Instant.now());
        if (made.secret() != null) {
            checkSecret(made.secret());
        }
        List<Document> written = store.commit(List.of(new Mutation(WebhookSubscription.KIND, id, null,
                json(made), Mutation.ABSENT, null, writer.actor(), writer.reason(), writer.requestId())));
        written.forEach(d -> apply(d.key(), d.version(), d.json()));
        return made;
    }

    /** Removes a subscription; false when there is none of this id. */
    public boolean delete(String id, WriteContext writer) {
        if (get(id).isEmpty()) {
            return false;
        }
        List<Document> written = store.commit(List.of(new Mutation(WebhookSubscription.KIND, id, null, null,
                Mutation.ANY_VERSION, null, writer.actor(), writer.reason(), writer.requestId())));
        written.forEach(d -> apply(d.key(), d.version(), d.json()));
        return true;
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return bytes;
    }

    private void checkSecret(WebhookSubscription.SecretEntry secret) {
        Optional<ConfigEntry> entry = config.get(secret.namespace(), secret.key(), null, false);
        if (entry.isEmpty() || !entry.get().secret()) {
            throw new ValidationException(List.of(Violation.error("webhook", "/secret", "configuration entry "
                    + secret.namespace() + "/" + secret.key() + " must exist and be secret (its global entry)")));
        }
    }

    private String json(WebhookSubscription subscription) {
        try {
            return mapper.writeValueAsString(subscription.toJson(mapper));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void changed(AuditRecord record) {
        if (WebhookSubscription.KIND.equals(record.kind())) {
            follower.execute(() -> apply(record.key(), record.version(), record.after()));
        }
    }

    /** Brings the registered sinks to this version of a subscription, unless a newer one is applied already. */
    private void apply(String id, long version, String json) {
        WebhookSubscription subscription = json == null ? null : decode(id, json);
        synchronized (live) {
            Live known = live.get(id);
            if (known != null && known.version() >= version) {
                return;
            }
            if (known != null) {
                known.registration().unregister();
                live.remove(id);
            }
            if (subscription != null) {
                Hashtable<String, Object> properties = new Hashtable<>();
                properties.put(AuditSink.NAME, subscription.sinkName());
                properties.put(AuditSink.VERSION, "1.0.0");
                live.put(id, new Live(subscription, version,
                        context.registerService(AuditSink.class, sink(subscription), properties)));
            }
        }
    }

    private WebhookSubscription decode(String id, String json) {
        try {
            return WebhookSubscription.fromStored(mapper.readTree(json));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "webhook subscription " + id + " is unreadable and not served: " + e);
            return null;
        }
    }

    /** The sink of one subscription: records it does not want are acknowledged without a request. */
    private AuditSink sink(WebhookSubscription subscription) {
        return record -> {
            if (subscription.wants(record)) {
                WebhookPost.send(client, subscription.url(), TIMEOUT, key(subscription), record,
                        "webhook subscription " + subscription.id());
            }
        };
    }

    /** The signing key, read at every delivery so that a rotated secret applies to the next one. */
    private SecretKeySpec key(WebhookSubscription subscription) throws IOException {
        WebhookSubscription.SecretEntry secret = subscription.secret();
        if (secret == null) {
            return null;
        }
        Optional<ConfigEntry> entry = config.get(secret.namespace(), secret.key(), null, true);
        if (entry.isEmpty() || !(entry.get().value() instanceof String value) || value.isEmpty()) {
            // Sending unsigned would let a receiver take a forged request for a real one: retry until it is back.
            throw new IOException("the secret " + secret.namespace() + "/" + secret.key() + " of webhook subscription "
                    + subscription.id() + " is missing or not a non-empty string");
        }
        return WebhookPost.key(value);
    }
}
