package io.ensign.engine.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.ensign.api.assignment.AssignmentStrategy;
import io.ensign.api.audit.AuditRecord;
import io.ensign.api.catalog.CreatedAll;
import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.catalog.WriteResult;
import io.ensign.api.evaluation.FlagEvaluator;
import io.ensign.api.evaluation.MissingTargetingKey;
import io.ensign.api.evaluation.PluginHealth;
import io.ensign.api.evaluation.PluginInGrace;
import io.ensign.api.metrics.ServerMetrics;
import io.ensign.api.model.Environment;
import io.ensign.api.model.EvaluationContext;
import io.ensign.api.model.EvaluationResult;
import io.ensign.api.model.Flag;
import io.ensign.api.model.Segment;
import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.plugin.BoundServices;
import io.ensign.api.plugin.PluginBindings;
import io.ensign.api.store.Store;
import io.ensign.api.validation.ValidationRule;
import io.ensign.codec.ModelCodec;
import io.ensign.evaluation.PluginGuard;
import io.ensign.evaluation.PluginRegistry;
import io.ensign.evaluation.Snapshot;
import io.ensign.evaluation.SnapshotCompiler;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
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
 * The evaluation engine and the flag catalog. Evaluations read one volatile {@link Snapshot} and take no
 * lock; a single background thread builds a new snapshot whenever the store reports a change to flags,
 * segments or environments, or a plugin comes or goes, and swaps it in. Writes go through
 * {@link CatalogWrites} and return once the snapshot includes them, so a client reads its own writes.
 */
@Component(service = {FlagEvaluator.class, FlagCatalog.class, PluginBindings.class}, immediate = true,
        configurationPid = "io.ensign.engine")
@Designate(ocd = FlagEngine.Config.class)
public final class FlagEngine implements FlagEvaluator, FlagCatalog, PluginBindings {
    static final long DEFAULT_GRACE_MILLIS = 30_000;
    static final long DEFAULT_VISIBILITY_MILLIS = 5_000;
    static final long DEFAULT_BUDGET_MILLIS = 1_000;
    static final long DEFAULT_QUARANTINE_MILLIS = 5_000;
    private static final System.Logger LOG = System.getLogger(FlagEngine.class.getName());

    @ObjectClassDefinition(name = "Ensign evaluation engine",
            description = "How long plugins may take and stay away, and how long writes wait to be seen")
    public @interface Config {
        @AttributeDefinition(description = "How long a plugin that left keeps serving until a replacement "
                + "arrives, in milliseconds")
        long pluginGracePeriodMillis() default DEFAULT_GRACE_MILLIS;

        @AttributeDefinition(description = "How long a write waits for evaluations to see it, in milliseconds")
        long writeVisibilityTimeoutMillis() default DEFAULT_VISIBILITY_MILLIS;

        // Generous on purpose: a thread starved of CPU on a loaded machine must not look like a hung plugin.
        @AttributeDefinition(description = "The longest one plugin call may take before its evaluation reports "
                + "an error, in milliseconds")
        long pluginCallBudgetMillis() default DEFAULT_BUDGET_MILLIS;

        @AttributeDefinition(description = "How long a plugin that overran its budget is skipped (its "
                + "evaluations fail fast), in milliseconds")
        long pluginQuarantineMillis() default DEFAULT_QUARANTINE_MILLIS;
    }

    private final Store store;
    private final ModelCodec codec = new ModelCodec();
    private final BoundServices boundPlugins = new BoundServices();
    private final PluginRegistry<EvaluationOperator> operators =
            new PluginRegistry<>(SnapshotCompiler.OPERATOR, EvaluationOperator.NAME, System::currentTimeMillis);
    private final PluginRegistry<AssignmentStrategy> strategies =
            new PluginRegistry<>(SnapshotCompiler.ASSIGNMENT, AssignmentStrategy.NAME, System::currentTimeMillis);
    private final PluginRegistry<ValidationRule> validationRules =
            new PluginRegistry<>("validation-rule", ValidationRule.NAME, System::currentTimeMillis);
    private final StateReader state;
    private final CatalogWrites writes;
    private final PluginGuard guard;
    private volatile ScheduledExecutorService builder = newBuilder();
    private final AtomicBoolean rebuildPending = new AtomicBoolean();
    private final AtomicLong versions = new AtomicLong();
    private final Object published = new Object();
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private volatile ServerMetrics metrics;
    private volatile long graceMillis;
    private volatile long visibilityTimeoutMillis;
    private ScheduledFuture<?> deadlineRebuild;
    private RuntimeException buildFailure;
    private AutoCloseable subscription;

    @Activate
    public FlagEngine(@Reference(target = Store.SELECTED) Store store, Config config) {
        this.store = store;
        this.state = new StateReader(store, codec);
        this.guard = new PluginGuard(DEFAULT_BUDGET_MILLIS, DEFAULT_QUARANTINE_MILLIS);
        this.writes = new CatalogWrites(store, codec, state, operators, strategies, validationRules, guard);
        this.graceMillis = DEFAULT_GRACE_MILLIS;
        this.visibilityTimeoutMillis = DEFAULT_VISIBILITY_MILLIS;
        configure(config);
    }

    /** Runs after the dynamic references present at start are bound, so the first snapshot sees them. */
    @Activate
    public void start() {
        writes.createDefaultEnvironments();
        subscription = store.subscribe(this::changed);
        state.readAgain();
        long target = store.lastSequence();
        synchronized (published) {
            buildFailure = null;
            builder.execute(this::rebuild);
            while (snapshot.sequence() < target) { // the empty snapshot's sequence is -1
                if (buildFailure != null) {
                    throw new IllegalStateException("could not build the first snapshot", buildFailure);
                }
                try {
                    published.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static ScheduledExecutorService newBuilder() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ensign-snapshot-builder");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Gives up a builder whose thread is stuck in a plugin past its budget (an operator's compile that ignores the
     * interrupt): a new thread builds the next snapshot, in which the plugin is quarantined. The stuck thread's build,
     * should it ever end, is older than what was published since and is dropped.
     */
    private void replaceBuilder(ScheduledExecutorService stuck) {
        synchronized (published) {
            if (builder != stuck) {
                return;
            }
            builder = newBuilder();
        }
        stuck.shutdownNow();
        LOG.log(System.Logger.Level.WARNING, "a plugin held the snapshot builder past its time budget; snapshots are"
                + " built on a new thread while it is quarantined");
        rebuildPending.set(false);
        requestRebuild();
    }

    /**
     * Applies a configuration edit at once. All values are read and checked before any is applied: a value that does
     * not convert (DS throws when it is read), a negative duration or a call budget of 0 refuses the whole edit with
     * a warning, and the settings in force stay.
     */
    @Modified
    public void configure(Config config) {
        long grace;
        long visibility;
        long budget;
        long quarantine;
        try {
            grace = config.pluginGracePeriodMillis();
            visibility = config.writeVisibilityTimeoutMillis();
            budget = config.pluginCallBudgetMillis();
            quarantine = config.pluginQuarantineMillis();
            if (grace < 0 || visibility < 0 || budget < 1 || quarantine < 0) {
                throw new IllegalArgumentException("durations must not be negative and pluginCallBudgetMillis must be"
                        + " at least 1, not " + grace + ", " + visibility + ", " + budget + ", " + quarantine);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "configuration io.ensign.engine refused (" + e.getMessage()
                    + "); keeping the settings in force");
            return;
        }
        graceMillis = grace;
        visibilityTimeoutMillis = visibility;
        guard.configure(budget, quarantine);
    }

    /** The grace period in force, in milliseconds. */
    long graceMillis() {
        return graceMillis;
    }

    @Deactivate
    public void stop() throws Exception {
        if (subscription != null) {
            subscription.close();
        }
        ScheduledExecutorService current = builder;
        current.shutdownNow();
        // A snapshot build in flight reads the store; it must end before the store may close.
        if (!current.awaitTermination(5, TimeUnit.SECONDS)) {
            LOG.log(System.Logger.Level.WARNING, "the snapshot builder did not stop within 5 s");
        }
        guard.close();
    }

    // ------------------------------------------------------------------ plugins

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindOperator(EvaluationOperator operator, Map<String, Object> properties) {
        if (operators.bind(operator, properties, bundleOf(operator))) {
            requestRebuild();
        }
        boundPlugins.bound(properties);
    }

    public void unbindOperator(EvaluationOperator operator, Map<String, Object> properties) {
        boundPlugins.unbinding(properties);
        operators.unbind(operator, properties, graceMillis);
        requestRebuild();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindStrategy(AssignmentStrategy strategy, Map<String, Object> properties) {
        if (strategies.bind(strategy, properties, bundleOf(strategy))) {
            requestRebuild();
        }
        boundPlugins.bound(properties);
    }

    public void unbindStrategy(AssignmentStrategy strategy, Map<String, Object> properties) {
        boundPlugins.unbinding(properties);
        strategies.unbind(strategy, properties, graceMillis);
        requestRebuild();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindValidationRule(ValidationRule rule, Map<String, Object> properties) {
        validationRules.bind(rule, properties, bundleOf(rule));
        boundPlugins.bound(properties);
    }

    /**
     * The symbolic name of the bundle a service came from, or null outside OSGi. Read when the service arrives: once
     * it has left, its registration can no longer tell.
     */
    private static String bundleOf(Object service) {
        Bundle bundle = FrameworkUtil.getBundle(service.getClass());
        return bundle == null ? null : bundle.getSymbolicName();
    }

    public void unbindValidationRule(ValidationRule rule, Map<String, Object> properties) {
        boundPlugins.unbinding(properties);
        validationRules.unbind(rule, properties, 0);
    }

    @Override
    public boolean hasBound(long serviceId) {
        return boundPlugins.hasBound(serviceId);
    }

    /** Where evaluations and snapshot builds are reported; without a recorder (no metrics bundle) they are not. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindMetrics(ServerMetrics recorder) {
        metrics = recorder;
    }

    public void unbindMetrics(ServerMetrics recorder) {
        if (metrics == recorder) {
            metrics = null;
        }
    }

    // ------------------------------------------------------------------ evaluation

    @Override
    public EvaluationResult evaluate(String environment, String flagKey, EvaluationContext context) {
        return evaluate(environment, flagKey, context, MissingTargetingKey.NO_MATCH);
    }

    @Override
    public EvaluationResult evaluate(String environment, String flagKey, EvaluationContext context,
                                     MissingTargetingKey missingKey) {
        EvaluationResult result = snapshot.evaluate(environment, flagKey, context, missingKey);
        ServerMetrics recorder = metrics;
        if (recorder != null) {
            recorder.evaluated(environment, result);
        }
        return result;
    }

    @Override
    public List<EvaluationResult> evaluateAll(String environment, EvaluationContext context) {
        return evaluateAll(environment, context, MissingTargetingKey.NO_MATCH);
    }

    @Override
    public List<EvaluationResult> evaluateAll(String environment, EvaluationContext context,
                                              MissingTargetingKey missingKey) {
        List<EvaluationResult> results = snapshot.evaluateAll(environment, context, missingKey);
        ServerMetrics recorder = metrics;
        if (recorder != null) {
            results.forEach(result -> recorder.evaluated(environment, result));
        }
        return results;
    }

    @Override
    public long stateVersion() {
        return snapshot.version();
    }

    @Override
    public List<String> missingPlugins() {
        return snapshot.missingPlugins();
    }

    @Override
    public List<PluginHealth> pluginHealth() {
        Map<String, long[]> counts = guard.counts();
        Map<String, Long> swaps = new java.util.TreeMap<>();
        for (PluginRegistry<?> registry : List.of(operators, strategies, validationRules)) {
            registry.swaps().forEach((name, n) -> swaps.put(registry.kind() + "/" + name, n));
        }
        swaps.keySet().forEach(plugin -> counts.computeIfAbsent(plugin, p -> new long[5]));
        List<PluginHealth> result = new ArrayList<>();
        counts.forEach((plugin, c) -> result.add(new PluginHealth(plugin, c[0], c[1], c[2] > 0, c[3], c[4],
                swaps.getOrDefault(plugin, 0L))));
        return result;
    }

    @Override
    public List<PluginInGrace> pluginsInGrace() {
        List<PluginInGrace> result = new ArrayList<>();
        for (PluginRegistry<?> registry : List.of(operators, strategies, validationRules)) {
            registry.inGrace().forEach(e ->
                    result.add(new PluginInGrace(registry.kind() + "/" + e.name(), e.version(), e.bundle())));
        }
        result.sort(Comparator.comparing(PluginInGrace::plugin));
        return result;
    }

    // ------------------------------------------------------------------ snapshots

    private void changed(AuditRecord record) {
        state.heard(record);
        if (StateReader.EVALUATED_KINDS.contains(record.kind())) {
            requestRebuild();
        }
    }

    private void requestRebuild() {
        if (rebuildPending.compareAndSet(false, true)) {
            try {
                builder.execute(this::rebuild);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                rebuildPending.set(false); // shutting down
            }
        }
    }

    /** Builds and publishes a snapshot; runs on the builder thread only. */
    private void rebuild() {
        rebuildPending.set(false);
        ScheduledExecutorService mine = builder;
        guard.slot().onOverrun(() -> replaceBuilder(mine));
        StateReader.State read;
        Snapshot next;
        long start = System.nanoTime();
        try {
            read = state.current();
            next = new SnapshotCompiler(operators, strategies, guard)
                    .compile(read.sequence(), versions.incrementAndGet(), read.flags(), read.segments(), read.experiments());
        } catch (RuntimeException e) {
            // the scheduled executor would swallow it; evaluations keep the snapshot they have
            LOG.log(System.Logger.Level.ERROR, "building a snapshot failed; evaluations keep snapshot "
                    + snapshot.sequence(), e);
            synchronized (published) {
                buildFailure = e;
                published.notifyAll();
            }
            return;
        }
        synchronized (published) {
            if (next.version() < snapshot.version()) {
                return; // the build of a builder given up on; a newer one is out
            }
            snapshot = next;
            ServerMetrics recorder = metrics;
            if (recorder != null) {
                recorder.snapshotBuilt(System.nanoTime() - start);
            }
            published.notifyAll();
            scheduleDeadline(next.nextDeadline());
        }
    }

    private void scheduleDeadline(long deadline) {
        if (deadlineRebuild != null) {
            deadlineRebuild.cancel(false);
            deadlineRebuild = null;
        }
        if (deadline != Long.MAX_VALUE) {
            long delay = Math.max(0, deadline - System.currentTimeMillis()) + 1;
            deadlineRebuild = builder.schedule(this::requestRebuild, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Returns a write's result once evaluations see it. */
    private <T> T visible(T written) {
        awaitVisible();
        return written;
    }

    /** Waits until evaluations see every change up to the store's current sequence (bounded). */
    private void awaitVisible() {
        long target = store.lastSequence();
        long deadline = System.currentTimeMillis() + visibilityTimeoutMillis;
        synchronized (published) {
            while (snapshot.sequence() < target) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return;
                }
                requestRebuild();
                try {
                    published.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    // ------------------------------------------------------------------ catalog

    @Override
    public Optional<Flag> flag(String key) {
        return state.flag(key);
    }

    @Override
    public List<Flag> flags() {
        return state.flags();
    }

    @Override
    public WriteResult<Flag> putFlag(Flag flag, long expectedVersion, WriteContext context) {
        return visible(writes.putFlag(flag, expectedVersion, context));
    }

    @Override
    public void deleteFlag(String key, long expectedVersion, WriteContext context) {
        writes.delete(FLAG, key, expectedVersion, context);
        awaitVisible();
    }

    @Override
    public Optional<Segment> segment(String key) {
        return state.segment(key);
    }

    @Override
    public List<Segment> segments() {
        return state.segments();
    }

    @Override
    public WriteResult<Segment> putSegment(Segment segment, long expectedVersion, WriteContext context) {
        return visible(writes.putSegment(segment, expectedVersion, context));
    }

    @Override
    public void deleteSegment(String key, long expectedVersion, WriteContext context) {
        writes.deleteSegment(key, expectedVersion, context);
        awaitVisible();
    }

    @Override
    public Optional<Environment> environment(String name) {
        return state.environment(name);
    }

    @Override
    public List<Environment> environments() {
        return state.environments();
    }

    @Override
    public WriteResult<Environment> putEnvironment(Environment environment, long expectedVersion,
                                                   WriteContext context) {
        return visible(writes.putEnvironment(environment, expectedVersion, context));
    }

    @Override
    public CreatedAll createAll(List<Segment> segments, List<Flag> flags, WriteContext context) {
        return visible(writes.createAll(segments, flags, context));
    }
}
