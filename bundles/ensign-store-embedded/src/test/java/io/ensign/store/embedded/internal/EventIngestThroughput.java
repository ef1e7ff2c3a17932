package io.ensign.store.embedded.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.ensign.api.experiment.ExperimentEvent;
import io.ensign.api.experiment.ExposureEvent;
import io.ensign.api.experiment.MetricEvent;

/**
 * Prints how many experiment events per second the embedded event store ingests here: units
 * with one exposure and two metric events each, a fifth of the metric events arriving before the exposure,
 * in batches of {@code batch} events, synced per batch unless {@code sync} is false. A measurement to run by hand, not a test:
 * {@code java -cp <test classpath> io.ensign.store.embedded.internal.EventIngestThroughput [events] [batch] [sync]}.
 */
public final class EventIngestThroughput {
    private EventIngestThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        boolean sync = args.length <= 2 || Boolean.parseBoolean(args[2]);
        List<ExperimentEvent> events = events(total, new Random(1));
        for (int round = 0; round < 2; round++) {
            Path directory = Files.createTempDirectory("ensign-events");
            try (EmbeddedExperimentEventStore store = new EmbeddedExperimentEventStore(directory, sync)) {
                long start = System.nanoTime();
                for (int from = 0; from < events.size(); from += batchSize) {
                    store.append(events.subList(from, Math.min(events.size(), from + batchSize)));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                long read = System.nanoTime();
                store.aggregates("bench");
                System.out.printf("round %d: %d events in batches of %d in %.2f s = %.0f events/s;"
                                + " reading aggregates %.2f ms%n", round, events.size(), batchSize, seconds,
                        events.size() / seconds, (System.nanoTime() - read) / 1e6);
            }
        }
    }

    private static List<ExperimentEvent> events(int total, Random random) {
        Instant now = Instant.now();
        List<ExperimentEvent> events = new ArrayList<>(total);
        for (int unit = 0; events.size() < total; unit++) {
            String id = "u" + unit;
            ExposureEvent exposure = new ExposureEvent(id + "-x", "bench", id, random.nextBoolean() ? "on" : "off",
                    now);
            MetricEvent converted = new MetricEvent(id + "-c", "bench", "converted", id, random.nextInt(2), now);
            MetricEvent revenue = new MetricEvent(id + "-r", "bench", "revenue", id, random.nextDouble() * 50, now);
            if (random.nextInt(5) == 0) {
                events.addAll(List.of(converted, exposure, revenue));
            } else {
                events.addAll(List.of(exposure, converted, revenue));
            }
        }
        return events.subList(0, total);
    }
}
