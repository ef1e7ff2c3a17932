package io.ensign.experiments.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.ensign.api.experiment.AutoStop;

/**
 * Prints how long the results of an experiment with {@code units} units take, after ingesting them through the
 * service into the embedded event store (one exposure per unit, a tenth converting with a revenue event). Results
 * read aggregates only, so their time does not grow with the units. A measurement to run by hand, not a test:
 * {@code java -cp <test classpath> io.ensign.experiments.internal.ResultsAtScale [units]}.
 */
public final class ResultsAtScale {
    private static final int BATCH_UNITS = 5_000;

    private ResultsAtScale() {
    }

    public static void main(String[] args) throws Exception {
        int units = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path directory = Files.createTempDirectory("ensign-results");
        try (Fixture fixture = new Fixture(directory)) {
            fixture.running("e", AutoStop.DISABLED);
            Random random = new Random(5);
            long events = 0;
            long start = System.nanoTime();
            for (int from = 0; from < units; from += BATCH_UNITS) {
                List<Map<String, Object>> batch = new ArrayList<>();
                for (int u = from; u < Math.min(units, from + BATCH_UNITS); u++) {
                    String variant = random.nextBoolean() ? "on" : "off";
                    boolean converts = random.nextDouble() < (variant.equals("on") ? 0.105 : 0.1);
                    batch.addAll(fixture.unit("e", "u" + u, variant, converts
                            ? Map.of("converted", 1.0, "revenue", 10 + 5 * random.nextGaussian()) : Map.of()));
                }
                events += batch.size();
                fixture.service.ingest(batch);
            }
            double ingestSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("ingested %d units (%d events) through the service in %.1f s = %.0f events/s%n",
                    units, events, ingestSeconds, events / ingestSeconds);
            double[] millis = new double[7];
            for (int i = 0; i < millis.length; i++) {
                long t = System.nanoTime();
                Map<String, Object> results = fixture.service.results("e");
                millis[i] = (System.nanoTime() - t) / 1e6;
                if (i == 0) {
                    System.out.println("units per variant: " + ((Map<?, ?>) results.get("variants")).entrySet()
                            .stream().map(e -> e.getKey() + "=" + ((Map<?, ?>) e.getValue()).get("units")).toList());
                }
            }
            System.out.printf("results: first %.1f ms, median of 7 %.1f ms%n", millis[0],
                    Arrays.stream(millis).sorted().toArray()[3]);
        }
    }
}
