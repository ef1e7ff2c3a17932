package io.ensign.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;
import org.osgi.framework.Bundle;

/**
 * The metrics bundle is optional: while a client evaluates without pause, stopping it, starting it again and
 * updating it in place costs no request anything but {@code /metrics} itself, which is a 404 while the bundle is
 * away and counts from zero once it is back.
 */
public class MetricsSwapIT extends FrameworkServerTest {
    private static final String FLAG = "metrics-swap";

    @Test
    public void evaluationsKeepAnsweringWhileTheMetricsBundleStopsStartsAndIsUpdated() throws Exception {
        http.expect(201, "PUT", "/api/v1/flags/" + FLAG, ADMIN, "{\"type\":\"boolean\",\"variants\":{\"on\":true,"
                + "\"off\":false},\"defaultVariant\":\"off\"}");
        Bundle metrics = Arrays.stream(context.getBundles()).filter(b -> "ensign-metrics".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        Thread client = new Thread(() -> {
            while (running.get()) {
                HttpResponse<String> r = http.send("POST", "/ofrep/v1/evaluate/flags/" + FLAG, ADMIN,
                        "{\"context\":{\"targetingKey\":\"u\"}}");
                if (r.statusCode() == 200) {
                    answered.incrementAndGet();
                } else {
                    failures.add(r.statusCode() + " " + r.body());
                }
            }
        });
        client.start();
        try {
            awaitAnswers(answered);
            metrics.stop();
            awaitAnswers(answered);
            http.assertError(http.send("GET", "/metrics", ADMIN, null), 404, "NOT_FOUND");
            metrics.start();
            awaitAnswers(answered);
            metrics.update();
            awaitAnswers(answered);
        } finally {
            running.set(false);
            client.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertEquals("every evaluation answered 200", List.of(), failures);

        HttpResponse<String> scrape = http.send("GET", "/metrics", ADMIN, null);
        assertEquals(scrape.body(), 200, scrape.statusCode());
        assertTrue("the new instance counts the evaluations since it came: " + scrape.body(),
                scrape.body().contains("ensign_evaluations_total{environment=\"production\",flag=\"" + FLAG + "\""));
    }

    /** Waits until the client got 20 more answers, so that each step happens while it evaluates. */
    private static void awaitAnswers(AtomicInteger answered) throws InterruptedException {
        int target = answered.get() + 20;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (answered.get() < target && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue("the client keeps getting answers", answered.get() >= target);
    }
}
