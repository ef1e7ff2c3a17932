package io.ensign.metrics.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.util.List;
import java.util.Set;

import io.ensign.api.audit.AuditDelivery;
import io.ensign.api.audit.SinkStatus;
import io.ensign.api.evaluation.FlagEvaluator;
import io.ensign.api.evaluation.PluginHealth;
import io.ensign.api.http.AddressRanges;
import io.ensign.api.http.ApiException;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Call;
import io.ensign.api.http.ErrorCodes;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import io.ensign.api.http.SettingChecks;
import io.ensign.api.metrics.ServerMetrics;
import io.ensign.api.model.EvaluationResult;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The server's metrics, kept in a Prometheus registry of this component's own and served at {@code GET /metrics}:
 * what the other bundles report through {@link ServerMetrics}, what the engine and the audit dispatcher count
 * anyway (read from their services at each scrape, so nothing is lost while this bundle is away but the time it was
 * away), and the JVM's. The route demands a token of role {@code metrics} (or {@code admin}) and, when
 * {@code allowedAddresses} is set, a client address in it.
 */
@Component(service = {ServerMetrics.class, ApiResource.class}, configurationPid = PrometheusMetrics.PID)
@Designate(ocd = PrometheusMetrics.Config.class)
public final class PrometheusMetrics implements ServerMetrics, ApiResource {
    static final String PID = "io.ensign.metrics";
    public static final int DEFAULT_MAX_EVALUATION_SERIES = 10_000;
    private static final System.Logger LOG = System.getLogger(PrometheusMetrics.class.getName());
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    private static final String OTHER_METHOD = "other";

    /** Who may read the metrics, and how many evaluation series are kept. */
    @ObjectClassDefinition(name = "Ensign metrics", description = "Prometheus metrics at GET /metrics")
    public @interface Config {
        @AttributeDefinition(description = "IP addresses and CIDR ranges (e.g. 10.0.0.0/8) that may read /metrics, "
                + "besides needing a token of role metrics or admin; empty: any address")
        String[] allowedAddresses() default {};

        @AttributeDefinition(description = "Most (flag, environment, variant, reason) series of "
                + "ensign_evaluations_total; evaluations of further combinations count in the series whose flag, "
                + "environment and variant are (other)")
        int maxEvaluationSeries() default DEFAULT_MAX_EVALUATION_SERIES;
    }

    /** The settings in force. */
    private record Settings(AddressRanges allowed, int maxEvaluationSeries) {
        static Settings of(Config config) {
            return new Settings(AddressRanges.of("allowedAddresses", config.allowedAddresses()),
                    SettingChecks.atLeast(PID, "maxEvaluationSeries", config.maxEvaluationSeries(), 1));
        }

        @Override
        public String toString() {
            return "allowedAddresses=" + (allowed.isEmpty() ? "any address" : allowed) + ", maxEvaluationSeries="
                    + maxEvaluationSeries;
        }
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormatWriter text = PrometheusTextFormatWriter.create();
    private final ExpositionFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();
    private final EvaluationCounters evaluations;
    private final Histogram requests;
    private final Histogram snapshots;
    private final Histogram commits;
    private final Gauge subscribers;
    private final Counter eventsSent;
    private final Counter ingested;
    private volatile Settings settings;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile FlagEvaluator evaluator;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditDelivery audit;

    @Activate
    public PrometheusMetrics(Config config) {
        settings = SettingChecks.readOrKeep(PID, () -> Settings.of(config),
                new Settings(AddressRanges.of("allowedAddresses", new String[0]), DEFAULT_MAX_EVALUATION_SERIES));
        evaluations = new EvaluationCounters(registry, settings.maxEvaluationSeries());
        requests = Histogram.builder().name("ensign_http_request_duration_seconds").unit(Unit.SECONDS)
                .help("API requests by method, route template (empty when no route took the request) and status, "
                        + "from arrival to the endpoint's return")
                .labelNames("method", "route", "status").classicOnly().withoutExemplars().register(registry);
        snapshots = Histogram.builder().name("ensign_snapshot_build_duration_seconds").unit(Unit.SECONDS)
                .help("Evaluation snapshots built from the store and swapped in").classicOnly().withoutExemplars()
                .register(registry);
        commits = Histogram.builder().name("ensign_store_commit_duration_seconds").unit(Unit.SECONDS)
                .help("Store commits, each durable when it ends").classicOnly().withoutExemplars()
                .register(registry);
        subscribers = Gauge.builder().name("ensign_stream_subscribers")
                .help("Change-stream (server-sent events) subscribers connected").withoutExemplars()
                .register(registry);
        eventsSent = Counter.builder().name("ensign_stream_events_sent_total")
                .help("Change events queued to change-stream subscribers").withoutExemplars().register(registry);
        ingested = Counter.builder().name("ensign_experiment_events_total")
                .help("Experiment events posted, by result: accepted, duplicate or rejected").labelNames("result")
                .withoutExemplars().register(registry);
        registerPluginMetrics();
        registerAuditMetrics();
        JvmMetrics.builder().register(registry);
    }

    /** Edits apply to the next scrape (addresses) and to the next new evaluation series (the bound). */
    @Modified
    void modified(Config config) {
        settings = SettingChecks.readOrKeep(PID, () -> Settings.of(config), settings);
        evaluations.maxSeries(settings.maxEvaluationSeries());
    }

    // ------------------------------------------------------------------ what the bundles report

    @Override
    public void evaluated(String environment, EvaluationResult result) {
        evaluations.count(environment, result);
    }

    @Override
    public void requested(String method, String route, int status, long nanos) {
        requests.labelValues(METHODS.contains(method) ? method : OTHER_METHOD, route, Integer.toString(status))
                .observe(Unit.nanosToSeconds(nanos));
    }

    @Override
    public void snapshotBuilt(long nanos) {
        snapshots.observe(Unit.nanosToSeconds(nanos));
    }

    @Override
    public void storeCommitted(long nanos) {
        commits.observe(Unit.nanosToSeconds(nanos));
    }

    @Override
    public void streamSubscribers(int count) {
        subscribers.set(count);
    }

    @Override
    public void streamEventsSent(int count) {
        eventsSent.inc(count);
    }

    @Override
    public void eventsIngested(long accepted, long duplicates, long rejected) {
        ingested.labelValues("accepted").inc(accepted);
        ingested.labelValues("duplicate").inc(duplicates);
        ingested.labelValues("rejected").inc(rejected);
    }

    // ------------------------------------------------------------------ what is read at each scrape

    private void registerPluginMetrics() {
        pluginCounter("ensign_plugin_calls_total", "Plugin calls made by evaluation and snapshot builds",
                PluginHealth::calls);
        pluginCounter("ensign_plugin_failures_total", "Plugin calls that threw", PluginHealth::failures);
        pluginCounter("ensign_plugin_timeouts_total", "Plugin calls that overran the time budget",
                PluginHealth::timeouts);
        pluginCounter("ensign_plugin_quarantines_total", "Times a plugin was quarantined after an overrun",
                PluginHealth::quarantines);
        pluginCounter("ensign_plugin_swaps_total", "Times a plugin service arrived to replace one of its name",
                PluginHealth::swaps);
        GaugeWithCallback.builder().name("ensign_plugin_quarantined")
                .help("1 while a plugin's calls are skipped after an overrun, else 0").labelNames("plugin")
                .callback(cb -> plugins().forEach(p -> cb.call(p.quarantined() ? 1 : 0, p.plugin())))
                .register(registry);
    }

    private void pluginCounter(String name, String help, java.util.function.ToLongFunction<PluginHealth> value) {
        CounterWithCallback.builder().name(name).help(help + ", by plugin (kind/name), since the server started")
                .labelNames("plugin")
                .callback(cb -> plugins().forEach(p -> cb.call(value.applyAsLong(p), p.plugin())))
                .register(registry);
    }

    private List<PluginHealth> plugins() {
        FlagEvaluator current = evaluator;
        return current == null ? List.of() : current.pluginHealth();
    }

    private void registerAuditMetrics() {
        GaugeWithCallback.builder().name("ensign_audit_sink_lag_records")
                .help("Committed audit records a sink has not acknowledged yet, by sink").labelNames("sink")
                .callback(cb -> sinks().forEach(s -> cb.call(s.lag(), s.name())))
                .register(registry);
        CounterWithCallback.builder().name("ensign_audit_sink_failures_total")
                .help("Failed audit deliveries, by sink, since the sink was bound").labelNames("sink")
                .callback(cb -> sinks().forEach(s -> cb.call(s.failures(), s.name())))
                .register(registry);
    }

    private List<SinkStatus> sinks() {
        AuditDelivery current = audit;
        return current == null ? List.of() : current.sinks();
    }

    // ------------------------------------------------------------------ GET /metrics

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/metrics", Permission.METRICS, this::scrape));
    }

    @Override
    public URL openApi() {
        return PrometheusMetrics.class.getResource("openapi.json");
    }

    private void scrape(Call call) throws IOException {
        String address = call.remoteAddress();
        AddressRanges allowed = settings.allowed();
        if (!allowed.isEmpty() && !allowed.contains(address)) {
            throw new ApiException(403, ErrorCodes.FORBIDDEN, "the address " + address
                    + " may not read the metrics (allowedAddresses of " + PID + ")");
        }
        String accept = call.header("Accept");
        ExpositionFormatWriter writer = openMetrics.accepts(accept) ? openMetrics : text;
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        writer.write(body, registry.scrape());
        call.respond(200, writer.getContentType(), body.toByteArray());
    }

    /** Logged once at activation, so an operator sees who may scrape. */
    @Activate
    void announce() {
        LOG.log(System.Logger.Level.INFO, "metrics at GET /metrics (" + settings + ")");
    }
}
