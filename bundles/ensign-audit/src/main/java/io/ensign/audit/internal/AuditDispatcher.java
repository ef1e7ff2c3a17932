package io.ensign.audit.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import io.ensign.api.audit.AuditDelivery;
import io.ensign.api.audit.AuditSink;
import io.ensign.api.audit.SinkStatus;
import io.ensign.api.plugin.BoundServices;
import io.ensign.api.plugin.PluginBindings;
import io.ensign.api.store.Coordination;
import io.ensign.api.store.Store;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Feeds the store's change log to every {@link AuditSink}, each on its own {@link SinkFeed} from its own durable
 * cursor under {@code <data>/audit/cursors/} — or, for a cluster's sink on a store that several nodes share, from
 * the store's shared cursor on whichever node leads ({@link Coordination}). A sink seen for the first time has no cursor and starts at sequence
 * 0, so it receives the whole history. Commits only wake the feeds; no sink ever runs on a committing thread.
 * When two sinks share a name (and so a cursor), the first one bound is fed and the other waits for it to leave.
 * Immediate, because feeding must start with the store, not when someone first asks for the status.
 */
@Component(service = {AuditDelivery.class, PluginBindings.class}, immediate = true,
        configurationPid = AuditDispatcher.PID)
@Designate(ocd = AuditDispatcher.Config.class)
public final class AuditDispatcher implements AuditDelivery, PluginBindings {
    static final String PID = "io.ensign.audit";
    /** Framework property naming Ensign's data directory. */
    static final String DATA_PROPERTY = "ensign.data";
    private static final String DEFAULT_DATA_DIRECTORY = "./data";
    /** How long stopping waits for a sink's delivery in progress before leaving it to finish alone. */
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(10);
    private static final System.Logger LOG = System.getLogger(AuditDispatcher.class.getName());

    /** Configuration of audit delivery. */
    @ObjectClassDefinition(name = "Ensign audit delivery", description = "How audit records are fed to the sinks")
    public @interface Config {
        @AttributeDefinition(description = "Wait before retrying a record a sink rejected, in milliseconds;"
                + " doubles with each further failure")
        long initialBackoffMillis() default DeliveryPolicy.DEFAULT_INITIAL_BACKOFF_MILLIS;

        @AttributeDefinition(description = "Longest wait between two attempts to deliver a record, in milliseconds")
        long maxBackoffMillis() default DeliveryPolicy.DEFAULT_MAX_BACKOFF_MILLIS;

        @AttributeDefinition(description = "Records read from the change log at once; the cursor is saved at least"
                + " once per batch")
        int batchSize() default DeliveryPolicy.DEFAULT_BATCH_SIZE;

        @AttributeDefinition(description = "How often an idle sink checks for records even without a change"
                + " notification, in milliseconds")
        long pollIntervalMillis() default DeliveryPolicy.DEFAULT_POLL_INTERVAL_MILLIS;
    }

    /** A sink bound, with whether it is fed once per cluster ({@link AuditSink#DELIVERY}). */
    private record BoundSink(String name, AuditSink sink, boolean perCluster) {
    }

    private final Store store;
    private final Path cursorDirectory;
    private volatile DeliveryPolicy policy;
    /** Read by committing threads without locking; changed only under this object's monitor. */
    private final Map<String, SinkFeed> feeds = new ConcurrentSkipListMap<>();
    /** Every named sink bound, fed or waiting, in the order bound; guarded by this object's monitor. */
    private final List<BoundSink> bound = new ArrayList<>();
    private final BoundServices boundPlugins = new BoundServices();
    private final AutoCloseable subscription;
    private boolean closed;

    @Activate
    public AuditDispatcher(@Reference(target = Store.SELECTED) Store store, BundleContext context, Config config) {
        this(store, dataDirectory(context.getProperty(DATA_PROPERTY)).resolve("audit").resolve("cursors"),
                policyOr(config, DeliveryPolicy.DEFAULT));
    }

    /** A configuration edit applies to the sinks' next batch or retry; an invalid one is refused and logged. */
    @Modified
    void modified(Config config) {
        policy = policyOr(config, policy);
    }

    /**
     * The policy the configuration describes, or {@code inForce} (and a warning) when it has a value that does not
     * convert (DS throws when such an attribute is read) or is out of range.
     */
    static DeliveryPolicy policyOr(Config config, DeliveryPolicy inForce) {
        try {
            return DeliveryPolicy.of(config);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "configuration " + PID + " refused (" + e.getMessage()
                    + "); keeping " + inForce);
            return inForce;
        }
    }

    AuditDispatcher(Store store, Path cursorDirectory, DeliveryPolicy policy) {
        this.store = store;
        this.cursorDirectory = cursorDirectory;
        this.policy = policy;
        this.subscription = store.subscribe(record -> feeds.values().forEach(SinkFeed::wake));
    }

    @Override
    public boolean hasBound(long serviceId) {
        return boundPlugins.hasBound(serviceId);
    }

    static Path dataDirectory(String frameworkProperty) {
        return Path.of(frameworkProperty == null || frameworkProperty.isBlank()
                ? DEFAULT_DATA_DIRECTORY : frameworkProperty);
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            cardinality = ReferenceCardinality.MULTIPLE, unbind = "removeSink")
    synchronized void addSink(AuditSink sink, Map<String, Object> properties) {
        Object name = properties.get(AuditSink.NAME);
        if (!(name instanceof String text) || text.isBlank()) {
            LOG.log(System.Logger.Level.WARNING, "ignoring an audit sink without a ''{0}'' property: {1}",
                    AuditSink.NAME, sink);
        } else {
            BoundSink added = new BoundSink(text, sink,
                    !AuditSink.DELIVERY_NODE.equals(properties.get(AuditSink.DELIVERY)));
            bound.add(added);
            if (feeds.containsKey(text)) {
                LOG.log(System.Logger.Level.WARNING, "audit sink {0} is already fed; another one of that name waits",
                        text);
            } else {
                startFeed(added);
            }
        }
        boundPlugins.bound(properties);
    }

    synchronized void removeSink(AuditSink sink, Map<String, Object> properties) {
        boundPlugins.unbinding(properties);
        bound.removeIf(b -> b.sink() == sink);
        for (SinkFeed feed : List.copyOf(feeds.values())) {
            if (feed.sink() == sink) {
                feeds.remove(feed.name());
                feed.requestStop();
                feed.awaitStopped(STOP_PATIENCE);
                bound.stream().filter(b -> b.name().equals(feed.name())).findFirst().ifPresent(this::startFeed);
            }
        }
    }

    /**
     * Starts feeding a sink: a cluster's sink, on a store that several nodes share, from the store's shared cursor
     * while this node leads; any other from this node's cursor file, always.
     */
    private void startFeed(BoundSink bound) {
        if (closed) {
            return;
        }
        String name = bound.name();
        Optional<Coordination> coordination = bound.perCluster() ? store.coordination() : Optional.empty();
        SinkFeed feed = coordination.map(c -> new SinkFeed(name, bound.sink(), store, new SharedCursor(c, name),
                        c::leads, () -> policy))
                .orElseGet(() -> new SinkFeed(name, bound.sink(), store, new CursorFile(cursorDirectory, name),
                        () -> true, () -> policy));
        feeds.put(name, feed);
        feed.start();
    }

    @Override
    public List<SinkStatus> sinks() {
        long last = store.lastSequence();
        return feeds.values().stream().map(feed -> feed.status(last)).toList();
    }

    @Deactivate
    synchronized void close() {
        closed = true;
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "cannot unsubscribe from the store", e);
        }
        feeds.values().forEach(SinkFeed::requestStop);
        feeds.values().forEach(feed -> feed.awaitStopped(STOP_PATIENCE));
        feeds.clear();
    }
}
