package io.ensign.benchmarks;

import java.lang.annotation.Annotation;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.ensign.api.model.EvaluationResult;
import io.ensign.api.model.Reason;
import io.ensign.metrics.internal.PrometheusMetrics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What counting one evaluation costs the metrics bundle's recorder ({@link PrometheusMetrics#evaluated}), alone: the
 * lookup of its data point among 64 series (16 flags, two variants, two reasons) and the increment. Run with several
 * threads ({@code -t}) to see it under contention; {@code -prof gc} shows it allocates nothing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MetricsBenchmark {
    private static final int RESULTS = 64;

    /** The recorder, shared by all threads as in the server. */
    @State(Scope.Benchmark)
    public static class Recorder {
        final PrometheusMetrics metrics = new PrometheusMetrics(new MetricsConfig());
        final EvaluationResult[] results = new EvaluationResult[RESULTS];

        @Setup(Level.Trial)
        public void setUp() {
            for (int i = 0; i < RESULTS; i++) {
                results[i] = new EvaluationResult("flag-" + i % 16, i % 2 == 0, i % 2 == 0 ? "on" : "off",
                        i % 4 < 2 ? Reason.SPLIT : Reason.DEFAULT, null, null, Map.of());
                metrics.evaluated("production", results[i]); // the series exist, as after a server's first minute
            }
        }
    }

    /** Each thread's own position in the results. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    public void countEvaluation(Recorder recorder, Cursor cursor) {
        recorder.metrics.evaluated("production", recorder.results[cursor.next++ & (RESULTS - 1)]);
    }

    /** The metrics bundle's defaults, as DS would pass them. */
    static final class MetricsConfig implements PrometheusMetrics.Config {
        @Override
        public String[] allowedAddresses() {
            return new String[0];
        }

        @Override
        public int maxEvaluationSeries() {
            return PrometheusMetrics.DEFAULT_MAX_EVALUATION_SERIES;
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return PrometheusMetrics.Config.class;
        }
    }
}
