package io.ensign.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.ensign.api.assignment.AssignmentStrategy;
import io.ensign.api.evaluation.MissingTargetingKey;
import io.ensign.api.model.ErrorCode;
import io.ensign.api.model.EvaluationContext;
import io.ensign.api.model.EvaluationResult;
import io.ensign.api.operator.EvaluationOperator;
import io.ensign.assignment.BuiltInStrategies;
import io.ensign.client.internal.EventBatcher;
import io.ensign.client.internal.SyncLoop;
import io.ensign.client.internal.SyncState;
import io.ensign.codec.ModelCodec;
import io.ensign.codec.PlainValues;
import io.ensign.evaluation.PluginGuard;
import io.ensign.evaluation.PluginRegistry;
import io.ensign.evaluation.SnapshotCompiler;
import io.ensign.operators.BuiltInOperators;

/**
 * Evaluates flags and reads configuration inside the application, from an immutable local copy of one
 * environment's state that a background thread keeps current from the server (the sync document, then the change
 * stream). Evaluation reads one volatile reference, takes no lock, does no I/O and never throws: a failure is an
 * error result and a typed read's default. The state is written to the backup file on every change, and a client
 * that cannot reach the server starts from it (else from the bootstrap file). Thread-safe; {@link #close} it.
 *
 * <pre>{@code
 * try (EnsignClient ensign = EnsignClient.builder("http://localhost:8080", sdkToken)
 *         .backupFile(Path.of("ensign-backup.json")).build()) {
 *     ensign.awaitReady(Duration.ofSeconds(5));
 *     boolean on = ensign.booleanValue("new-checkout", new EvaluationContext("user-1", Map.of("country", "NL")), false);
 *     int timeout = ensign.getInt("checkout", "timeoutMs", 2000);
 * }
 * }</pre>
 */
public final class EnsignClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EnsignClient.class.getName());
    private static final EvaluationContext NO_CONTEXT = new EvaluationContext(null, Map.of());
    private static final int EXPOSURES_REMEMBERED = 100_000;

    private final ObjectMapper mapper = new ObjectMapper();
    private final ModelCodec codec = new ModelCodec();
    private final PluginRegistry<EvaluationOperator> operators =
            new PluginRegistry<>(SnapshotCompiler.OPERATOR, EvaluationOperator.NAME, System::currentTimeMillis);
    private final PluginRegistry<AssignmentStrategy> strategies =
            new PluginRegistry<>(SnapshotCompiler.ASSIGNMENT, AssignmentStrategy.NAME, System::currentTimeMillis);
    private final PluginGuard guard;
    private final AtomicLong snapshotVersions = new AtomicLong();
    private final Path backupFile;
    private final ScheduledExecutorService scheduler;
    private final EventBatcher events;
    private final SyncLoop sync;
    private final Thread syncThread;
    private final Duration closeTimeout;
    private final List<Consumer<Changes>> changeListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ClientStatus>> statusListeners = new CopyOnWriteArrayList<>();
    private final Set<String> exposed = ConcurrentHashMap.newKeySet();
    private final Object statusLock = new Object();
    private volatile SyncState state = SyncState.EMPTY;
    private volatile ClientStatus status = ClientStatus.NOT_READY;

    private EnsignClient(Builder b) {
        BuiltInOperators.create().forEach(operators::register);
        BuiltInStrategies.create().forEach(strategies::register);
        b.operators.forEach(operators::register);
        b.strategies.forEach(strategies::register);
        guard = new PluginGuard(b.pluginCallBudget.toMillis(), b.pluginQuarantine.toMillis());
        backupFile = b.backupFile;
        closeTimeout = b.closeTimeout;
        boolean fromBackup = b.backupFile != null && load(b.backupFile);
        if (!fromBackup && b.bootstrapFile != null) {
            load(b.bootstrapFile);
        }
        if (state != SyncState.EMPTY) {
            status = ClientStatus.STALE;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ensign-client-events"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(b.connectTimeout)
                .version(HttpClient.Version.HTTP_1_1).build();
        events = new EventBatcher(b.eventQueueCapacity, b.eventBatchSize, http, b.server.resolve("/api/v1/events"),
                b.token, b.requestTimeout, scheduler, b.flushInterval);
        sync = new SyncLoop(http, b.server, b.token, b.environment, b.requestTimeout, b.readTimeout,
                b.minReconnectDelay, b.maxReconnectDelay, b.pollInterval, scheduler, new SyncLoop.Sink() {
                    @Override
                    public SyncState current() {
                        return state;
                    }

                    @Override
                    public SyncState apply(byte[] document) throws IOException {
                        return install(parse(document));
                    }

                    @Override
                    public boolean applyChange(long sequence, JsonNode event) throws IOException {
                        SyncState next = state.patched(sequence, event, mapper, codec, compiler(),
                                snapshotVersions.incrementAndGet());
                        if (next != null) {
                            install(next);
                        }
                        return next != null;
                    }

                    @Override
                    public void status(ClientStatus next) {
                        setStatus(next);
                    }
                }, fromBackup);
        syncThread = daemon(sync, "ensign-client-sync");
        syncThread.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** A builder for a client of the server at {@code serverUrl} (e.g. {@code http://localhost:8080}). */
    public static Builder builder(String serverUrl, String sdkToken) {
        return new Builder(URI.create(serverUrl), sdkToken);
    }

    // ------------------------------------------------------------------ state

    private boolean load(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            state = parse(Files.readAllBytes(file));
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot start from " + file + ": " + e.getMessage());
            return false;
        }
    }

    private SyncState parse(byte[] document) throws IOException {
        return SyncState.parse(document, mapper, codec, compiler(), snapshotVersions.incrementAndGet());
    }

    private SnapshotCompiler compiler() {
        return new SnapshotCompiler(operators, strategies, guard);
    }

    /** Serves a new state from the server: swaps it in, writes the backup, tells the listeners. */
    private SyncState install(SyncState next) {
        SyncState previous = state;
        state = next;
        writeBackup(next.document());
        Changes changes = new Changes(next.changedFlags(previous), next.changedConfig(previous));
        if (!changes.flags().isEmpty() || !changes.config().isEmpty()) {
            for (Consumer<Changes> listener : changeListeners) {
                try {
                    listener.accept(changes);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "a change listener failed", e);
                }
            }
        }
        return next;
    }

    private void writeBackup(byte[] document) {
        if (backupFile == null) {
            return;
        }
        Path tmp = backupFile.resolveSibling(backupFile.getFileName() + ".tmp");
        try {
            Files.write(tmp, document);
            Files.move(tmp, backupFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot write the backup file " + backupFile + ": " + e);
        }
    }

    private void setStatus(ClientStatus next) {
        synchronized (statusLock) {
            if (status == next) {
                return;
            }
            status = next;
            statusLock.notifyAll();
        }
        for (Consumer<ClientStatus> listener : statusListeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a status listener failed", e);
            }
        }
    }

    /** Where the state served comes from now. */
    public ClientStatus status() {
        return status;
    }

    /** The change-log sequence of the state served; -1 before any. */
    public long version() {
        return state.version();
    }

    /** Waits until the client is current with the server; false on timeout. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (statusLock) {
            while (status != ClientStatus.READY) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(statusLock, left);
            }
            return true;
        }
    }

    // ------------------------------------------------------------------ evaluation

    /**
     * Evaluates a flag as the server's REST API does: a rollout by targeting key without one does not match.
     * Records the exposure when a running experiment decided.
     */
    public EvaluationResult evaluate(String flagKey, EvaluationContext context) {
        return evaluate(flagKey, context, MissingTargetingKey.NO_MATCH);
    }

    /** Evaluates a flag; {@code missingKey} says what a rollout by targeting key makes of a context without one. */
    public EvaluationResult evaluate(String flagKey, EvaluationContext context, MissingTargetingKey missingKey) {
        try {
            SyncState current = state;
            EvaluationContext c = context == null ? NO_CONTEXT : context;
            EvaluationResult result = current.snapshot().evaluate(current.environment(), flagKey, c,
                    missingKey == null ? MissingTargetingKey.NO_MATCH : missingKey);
            if (result.metadata().get("experiment") instanceof String experiment && c.targetingKey() != null) {
                exposed(experiment, c.targetingKey(), result.variant());
            }
            return result;
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            return EvaluationResult.error(flagKey, null, null, ErrorCode.GENERAL, "evaluation failed: " + e, null);
        }
    }

    /** The flag's value if it is a boolean, else {@code defaultValue}. */
    public boolean booleanValue(String flagKey, EvaluationContext context, boolean defaultValue) {
        return evaluate(flagKey, context).value() instanceof Boolean b ? b : defaultValue;
    }

    /** The flag's value if it is a string, else {@code defaultValue}. */
    public String stringValue(String flagKey, EvaluationContext context, String defaultValue) {
        return evaluate(flagKey, context).value() instanceof String s ? s : defaultValue;
    }

    /** The flag's value if it is a number, else {@code defaultValue}. */
    public double doubleValue(String flagKey, EvaluationContext context, double defaultValue) {
        return evaluate(flagKey, context).value() instanceof Number n ? n.doubleValue() : defaultValue;
    }

    /** The flag's value if it is a whole number within long's range, else {@code defaultValue}. */
    public long longValue(String flagKey, EvaluationContext context, long defaultValue) {
        Object value = evaluate(flagKey, context).value();
        return value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && !(value instanceof Double d
                && Math.abs(d) >= 0x1p63) ? n.longValue() : defaultValue;
    }

    /** The flag's value as JSON ({@code MissingNode} when it has none). */
    public JsonNode jsonValue(String flagKey, EvaluationContext context) {
        Object value = evaluate(flagKey, context).value();
        return value == null ? MissingNode.getInstance() : PlainValues.toJson(value);
    }

    // ------------------------------------------------------------------ configuration

    /** The configuration value resolved for the environment, or {@code MissingNode} when there is none. */
    public JsonNode getJson(String namespace, String key) {
        JsonNode value = state.config(namespace, key);
        return value == null ? MissingNode.getInstance() : value;
    }

    /** The configuration value mapped to {@code type} by Jackson, or {@code defaultValue} if absent or not one. */
    public <T> T getJson(String namespace, String key, Class<T> type, T defaultValue) {
        JsonNode value = state.config(namespace, key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return mapper.treeToValue(value, type);
        } catch (IOException | IllegalArgumentException e) {
            return defaultValue;
        }
    }

    /** The configuration value if it is a string, else {@code defaultValue}. */
    public String getString(String namespace, String key, String defaultValue) {
        JsonNode value = state.config(namespace, key);
        return value != null && value.isTextual() ? value.textValue() : defaultValue;
    }

    /** The configuration value if it is a whole number within int's range, else {@code defaultValue}. */
    public int getInt(String namespace, String key, int defaultValue) {
        JsonNode value = state.config(namespace, key);
        return value != null && value.isNumber() && value.canConvertToExactIntegral() && value.canConvertToInt()
                ? value.intValue() : defaultValue;
    }

    /** The configuration value if it is a whole number within long's range, else {@code defaultValue}. */
    public long getLong(String namespace, String key, long defaultValue) {
        JsonNode value = state.config(namespace, key);
        return value != null && value.isNumber() && value.canConvertToExactIntegral() && value.canConvertToLong()
                ? value.longValue() : defaultValue;
    }

    /** The configuration value if it is a number, else {@code defaultValue}. */
    public double getDouble(String namespace, String key, double defaultValue) {
        JsonNode value = state.config(namespace, key);
        return value != null && value.isNumber() ? value.doubleValue() : defaultValue;
    }

    /** The configuration value if it is a boolean, else {@code defaultValue}. */
    public boolean getBoolean(String namespace, String key, boolean defaultValue) {
        JsonNode value = state.config(namespace, key);
        return value != null && value.isBoolean() ? value.booleanValue() : defaultValue;
    }

    // ------------------------------------------------------------------ listeners

    /** Calls {@code listener} with every change that touches a flag or a configuration entry. */
    public Registration onChange(Consumer<Changes> listener) {
        Objects.requireNonNull(listener, "listener");
        changeListeners.add(listener);
        return () -> changeListeners.remove(listener);
    }

    /** Calls {@code listener} with the flag's key whenever its results may have changed (or it came or went). */
    public Registration onFlagChange(String flagKey, Consumer<String> listener) {
        return onChange(changes -> {
            if (changes.flags().contains(flagKey)) {
                listener.accept(flagKey);
            }
        });
    }

    /** Calls {@code listener} with the new value ({@code MissingNode} once removed) whenever the entry changes. */
    public Registration onConfigChange(String namespace, String key, Consumer<JsonNode> listener) {
        String entry = namespace + "/" + key;
        return onChange(changes -> {
            if (changes.config().contains(entry)) {
                listener.accept(getJson(namespace, key));
            }
        });
    }

    /** Calls {@code listener} whenever the status changes. */
    public Registration onStatusChange(Consumer<ClientStatus> listener) {
        Objects.requireNonNull(listener, "listener");
        statusListeners.add(listener);
        return () -> statusListeners.remove(listener);
    }

    // ------------------------------------------------------------------ tracking

    private void exposed(String experiment, String unit, String variant) {
        String id = "exposure:" + experiment + ":" + unit;
        if (exposed.contains(id)) {
            return;
        }
        if (exposed.size() >= EXPOSURES_REMEMBERED) {
            exposed.clear(); // the id makes a repeat harmless: the server counts it as a duplicate
        }
        exposed.add(id);
        events.offer(new EventBatcher.Event(id, "exposure", experiment, unit, variant, null, 0,
                System.currentTimeMillis()));
    }

    /**
     * Records a metric event for the unit in every running experiment of the environment that takes the metric.
     * Never blocks: a full queue drops the event and counts it.
     */
    public void track(String metric, String unit, double value) {
        if (metric == null || unit == null || !Double.isFinite(value)) {
            return;
        }
        for (String experiment : state.experimentsWithMetric(metric)) {
            track(experiment, metric, unit, value);
        }
    }

    /** Records a metric event for the unit in one experiment. Never blocks. */
    public void track(String experiment, String metric, String unit, double value) {
        if (experiment == null || metric == null || unit == null || !Double.isFinite(value)) {
            return;
        }
        events.offer(new EventBatcher.Event(UUID.randomUUID().toString(), "metric", experiment, unit, null, metric,
                value, System.currentTimeMillis()));
    }

    /** The tracking queue's counts. */
    public TrackingStats trackingStats() {
        return new TrackingStats(events.sent(), events.dropped(), events.failed(), events.queued());
    }

    /** Sends the queued events now; false when some could not be delivered within the timeout. */
    public boolean flush(Duration timeout) {
        return events.flush(timeout.toNanos());
    }

    /** Stops following the server and sends the queued events (within the close timeout). */
    @Override
    public void close() {
        sync.close();
        syncThread.interrupt();
        try {
            syncThread.join(closeTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush(closeTimeout);
        scheduler.shutdownNow();
        guard.close();
    }

    /** How a client is made; every setting but the server and the token has a default. */
    public static final class Builder {
        private final URI server;
        private final String token;
        private String environment;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(45);
        private Duration minReconnectDelay = Duration.ofMillis(200);
        private Duration maxReconnectDelay = Duration.ofSeconds(30);
        private Duration pollInterval = Duration.ofSeconds(30);
        private Duration flushInterval = Duration.ofSeconds(1);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private Duration pluginCallBudget = Duration.ofSeconds(1);
        private Duration pluginQuarantine = Duration.ofSeconds(5);
        private int eventQueueCapacity = 10_000;
        private int eventBatchSize = 500;
        private Path backupFile;
        private Path bootstrapFile;
        private final Map<String, EvaluationOperator> operators = new java.util.LinkedHashMap<>();
        private final Map<String, AssignmentStrategy> strategies = new java.util.LinkedHashMap<>();

        private Builder(URI server, String token) {
            this.server = Objects.requireNonNull(server, "server");
            this.token = Objects.requireNonNull(token, "token");
        }

        /** The environment to follow; by default an sdk token's own. */
        public Builder environment(String name) {
            this.environment = name;
            return this;
        }

        /** How long opening a connection may take (default 5 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout);
            return this;
        }

        /** How long a request may wait for its answer (default 10 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout);
            return this;
        }

        /** How long the change stream may stay silent, heartbeats included, before it is reopened (default 45 s). */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout);
            return this;
        }

        /** The first and the longest delay between reconnection attempts, jittered (default 200 ms and 30 s). */
        public Builder reconnectDelay(Duration min, Duration max) {
            this.minReconnectDelay = positive(min);
            this.maxReconnectDelay = positive(max);
            return this;
        }

        /** How often the document is fetched when the server offers no change stream (default 30 s). */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = positive(interval);
            return this;
        }

        /** The file the state is written to on every change and read at start (default none). */
        public Builder backupFile(Path file) {
            this.backupFile = file;
            return this;
        }

        /** A sync document to start from when there is no backup file yet (default none). */
        public Builder bootstrapFile(Path file) {
            this.bootstrapFile = file;
            return this;
        }

        /** The tracking queue's bound, events per request, and how often it is sent (10 000, 500, 1 s). */
        public Builder tracking(int queueCapacity, int batchSize, Duration flushInterval) {
            if (queueCapacity < 1 || batchSize < 1) {
                throw new IllegalArgumentException("the queue and the batch need room for one event");
            }
            this.eventQueueCapacity = queueCapacity;
            this.eventBatchSize = batchSize;
            this.flushInterval = positive(flushInterval);
            return this;
        }

        /** How long {@link EnsignClient#close} may take to stop and send the queued events (default 5 s). */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive(timeout);
            return this;
        }

        /** Adds a custom operator, or replaces a built-in one, under {@code name}. */
        public Builder operator(String name, EvaluationOperator operator) {
            operators.put(name, Objects.requireNonNull(operator, "operator"));
            return this;
        }

        /** Adds a custom assignment strategy, or replaces {@code hash}, under {@code name}. */
        public Builder strategy(String name, AssignmentStrategy strategy) {
            strategies.put(name, Objects.requireNonNull(strategy, "strategy"));
            return this;
        }

        /** Starts the client: it serves the backup (or bootstrap) state at once and connects in the background. */
        public EnsignClient build() {
            return new EnsignClient(this);
        }

        private static Duration positive(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("a duration must be positive: " + d);
            }
            return d;
        }
    }
}
