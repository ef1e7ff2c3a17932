package io.ensign.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP load for measuring what a plugin swap costs: several threads POST one OFREP evaluation after another, first
 * for a warm-up that is not reported (server and driver both start cold), then for a fixed measured time, each
 * request's latency recorded with the time it was sent. At the end it prints p50/p99/max, non-200
 * responses and the variants served for every one-second window, then compares the steady state with the swap.
 *
 * <p>The swap itself is done by someone else (benchmarks/swap-bench.sh), who writes {@code start <epoch ms>} and
 * {@code end <epoch ms>} lines, before and after it, into the marks file. The swap window is [start, max(end,
 * start + 1 s)); the steady state is every measured request sent up to 1 s before the swap, and from 2 s after it
 * to the end.
 *
 * <pre>java SwapLatency URL TOKEN BODY THREADS WARMUP_SECONDS SECONDS MARKS_FILE</pre>
 */
public final class SwapLatency {
    private static final Pattern VARIANT = Pattern.compile("\"variant\"\\s*:\\s*\"([^\"]*)\"");

    /** One request: when it was sent (epoch ms), how long it took (ns), its status and the variant served. */
    private record Sample(long sentMillis, long nanos, int status, String variant) {
    }

    private SwapLatency() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: SwapLatency URL TOKEN BODY THREADS WARMUP_SECONDS SECONDS MARKS_FILE");
            System.exit(2);
        }
        URI uri = URI.create(args[0]);
        String token = args[1];
        String body = args[2];
        int threads = Integer.parseInt(args[3]);
        long began = System.currentTimeMillis() + Long.parseLong(args[4]) * 1_000;
        long until = began + Long.parseLong(args[5]) * 1_000;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        List<List<Sample>> perThread = new ArrayList<>();
        List<Thread> load = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            List<Sample> mine = new ArrayList<>(200_000);
            perThread.add(mine);
            Thread t = new Thread(() -> send(client, uri, token, body, until, mine), "load-" + i);
            t.start();
            load.add(t);
        }
        for (Thread t : load) {
            t.join();
        }
        List<Sample> all = new ArrayList<>();
        perThread.forEach(samples -> samples.stream().filter(s -> s.sentMillis() >= began).forEach(all::add));
        report(all, began, marks(Path.of(args[6])));
    }

    private static void send(HttpClient client, URI uri, String token, String body, long until, List<Sample> into) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        while (System.currentTimeMillis() < until) {
            long sent = System.currentTimeMillis();
            long started = System.nanoTime();
            int status;
            String variant = null;
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
                Matcher m = VARIANT.matcher(response.body());
                variant = m.find() ? m.group(1) : null;
            } catch (IOException e) {
                status = -1; // no response at all counts as a failure like any non-200
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            into.add(new Sample(sent, System.nanoTime() - started, status, variant));
        }
    }

    /** The swap's start and end from the marks file; the start is 0 when nothing was marked. */
    private static long[] marks(Path file) throws IOException {
        long[] marks = {0, 0};
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2) {
                    marks[parts[0].equals("start") ? 0 : 1] = Long.parseLong(parts[1]);
                }
            }
        }
        return marks;
    }

    private static void report(List<Sample> all, long began, long[] marks) {
        Map<Long, List<Sample>> windows = new TreeMap<>();
        all.forEach(s -> windows.computeIfAbsent((s.sentMillis() - began) / 1_000, w -> new ArrayList<>()).add(s));
        System.out.println("second  requests  p50_ms  p99_ms  max_ms  non200  variants");
        windows.forEach((second, samples) -> System.out.println(String.format("%6d  %8d  %6.2f  %6.2f  %6.1f  %6d  %s",
                second, samples.size(), millis(samples, 0.50), millis(samples, 0.99), millis(samples, 1.0),
                non200(samples), variants(samples))));
        System.out.println(summary("overall", all));
        if (marks[0] == 0) {
            System.out.println("no swap was marked");
            return;
        }
        long swapStart = marks[0];
        long swapEnd = Math.max(marks[1], swapStart + 1_000);
        List<Sample> swap = all.stream().filter(s -> s.sentMillis() >= swapStart && s.sentMillis() < swapEnd).toList();
        List<Sample> steady = all.stream()
                .filter(s -> s.sentMillis() < swapStart - 1_000 || s.sentMillis() >= swapEnd + 2_000).toList();
        System.out.println(String.format("swap took %d ms (the API call); window %d ms", marks[1] - swapStart,
                swapEnd - swapStart));
        System.out.println(summary("steady", steady));
        System.out.println(summary("swap", swap));
        System.out.println(String.format("p99 swap/steady: %.2f (+%.2f ms)", millis(swap, 0.99) / millis(steady, 0.99),
                millis(swap, 0.99) - millis(steady, 0.99)));
    }

    private static String summary(String name, List<Sample> samples) {
        return String.format("%-8s requests=%d p50=%.2fms p99=%.2fms max=%.1fms non200=%d variants=%s", name,
                samples.size(), millis(samples, 0.50), millis(samples, 0.99), millis(samples, 1.0), non200(samples),
                variants(samples));
    }

    /** The latency at quantile {@code q} (nearest rank), in milliseconds. */
    private static double millis(List<Sample> samples, double q) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        long[] nanos = samples.stream().mapToLong(Sample::nanos).toArray();
        Arrays.sort(nanos);
        int rank = (int) Math.ceil(q * nanos.length) - 1;
        return nanos[Math.max(0, rank)] / 1e6;
    }

    private static long non200(List<Sample> samples) {
        return samples.stream().filter(s -> s.status() != 200).count();
    }

    private static Map<String, Long> variants(List<Sample> samples) {
        Map<String, Long> counts = new TreeMap<>();
        samples.forEach(s -> counts.merge(String.valueOf(s.variant()), 1L, Long::sum));
        return counts;
    }
}
