package io.ensign.metrics.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.ensign.api.model.ErrorCode;
import io.ensign.api.model.EvaluationResult;
import io.ensign.api.model.Reason;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code ensign_evaluations_total{flag, environment, variant, reason}}: a Prometheus counter whose data points are
 * looked up through a tree of concurrent maps (flag, then environment, then variant, then the reason's ordinal), so
 * that counting a combination seen before reads three maps and adds to a {@code LongAdder}: no lock, no allocation.
 *
 * <p>The number of series is bounded by {@code maxSeries}: once that many combinations are counted, a new one is
 * counted in the overflow series of its reason, whose flag, environment and variant are {@value #OTHER} (a value no
 * flag key, environment name or variant name can take, as none may hold parentheses). Evaluations of flags that do not
 * exist count under flag {@value #UNKNOWN}, so random keys cannot use up the bound. Concurrent first evaluations of
 * new combinations may pass the bound by at most the number of threads doing so.
 */
final class EvaluationCounters {
    static final String OTHER = "(other)";
    static final String UNKNOWN = "(unknown)";
    private static final Reason[] REASONS = Reason.values();

    private final Counter counter;
    private volatile int maxSeries;
    private final AtomicInteger series = new AtomicInteger();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, ConcurrentHashMap<String, Slots>>> flags =
            new ConcurrentHashMap<>();
    private final CounterDataPoint[] overflow = new CounterDataPoint[REASONS.length];

    /** The data points of one (flag, environment, variant), by reason ordinal, each made when first counted. */
    private static final class Slots {
        private final AtomicReferenceArray<CounterDataPoint> byReason = new AtomicReferenceArray<>(REASONS.length);
    }

    EvaluationCounters(PrometheusRegistry registry, int maxSeries) {
        this.maxSeries = maxSeries;
        this.counter = Counter.builder()
                .name("ensign_evaluations_total")
                .help("Flag evaluations by flag, environment, variant and reason; at most maxSeries series, the rest "
                        + "counted with flag, environment and variant (other)")
                .labelNames("flag", "environment", "variant", "reason")
                .withoutExemplars()
                .register(registry);
        for (Reason reason : REASONS) {
            overflow[reason.ordinal()] = counter.labelValues(OTHER, OTHER, OTHER, reason.name());
        }
    }

    /** Counts one evaluation. */
    void count(String environment, EvaluationResult result) {
        int reason = result.reason().ordinal();
        String flag = result.errorCode() == ErrorCode.FLAG_NOT_FOUND ? UNKNOWN : result.key();
        String variant = result.variant() == null ? "" : result.variant();
        String env = environment == null ? "" : environment;
        ConcurrentHashMap<String, ConcurrentHashMap<String, Slots>> environments = flags.get(flag);
        ConcurrentHashMap<String, Slots> variants = environments == null ? null : environments.get(env);
        Slots slots = variants == null ? null : variants.get(variant);
        CounterDataPoint point = slots == null ? null : slots.byReason.get(reason);
        if (point == null) {
            point = firstOf(flag, env, variant, reason);
        }
        point.inc();
    }

    /** The data point of a combination not counted before: a new series while the bound allows, else overflow. */
    private CounterDataPoint firstOf(String flag, String environment, String variant, int reason) {
        if (series.get() >= maxSeries) {
            return overflow[reason];
        }
        Slots slots = flags.computeIfAbsent(flag, f -> new ConcurrentHashMap<>())
                .computeIfAbsent(environment, e -> new ConcurrentHashMap<>())
                .computeIfAbsent(variant, v -> new Slots());
        CounterDataPoint point = counter.labelValues(flag, environment, variant, REASONS[reason].name());
        if (slots.byReason.compareAndSet(reason, null, point)) {
            series.incrementAndGet();
        }
        return point;
    }

    /** A new bound, for the combinations counted from now on (series kept already stay). */
    void maxSeries(int bound) {
        maxSeries = bound;
    }

    /** How many series are counted, the overflow ones aside. */
    int series() {
        return series.get();
    }
}
