package io.ensign.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.store.Store;
import io.ensign.itests.plugins.FileAuditSink;
import io.ensign.itests.plugins.FirstVariantStrategy;
import io.ensign.itests.plugins.LastVariantStrategy;
import io.ensign.itests.plugins.PluginJars;
import io.ensign.itests.plugins.ProductTest;
import io.ensign.itests.plugins.SumTest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.Before;
import org.junit.Test;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.osgi.framework.Constants;

/**
 * The other plugin kinds swapped as {@link PluginHotSwapIT} swaps an operator: an assignment strategy, a validation
 * rule, a statistical test and an audit sink, each updated in place to a version that behaves differently, removed,
 * and installed again while several threads use it over HTTP. The new behaviour shows within a second, each kind's
 * documented fallback applies while it is absent, no request gets a 5xx, and the framework never restarts.
 */
public class PluginKindsHotSwapIT extends FrameworkServerTest {
    private static final long GRACE_MILLIS = 2_000;
    private static final long ABSENT_MILLIS = GRACE_MILLIS + 1_000;
    private static final String STRATEGY_BUNDLE = "it.swap.strategy";
    private static final String RULE_BUNDLE = "it.swap.rule";
    private static final String STATS_BUNDLE = "it.swap.stats";
    private static final String SINK_BUNDLE = "it.swap.sink";

    @Override
    protected Option[] options(Path home) throws Exception {
        Path jars = home.resolve("jars");
        PluginJars.versions(jars, "strategy", STRATEGY_BUNDLE, PluginJars.STRATEGY_IMPORTS,
                PluginJars.strategy(FirstVariantStrategy.class, "it_first"),
                PluginJars.strategy(LastVariantStrategy.class, "it_first"));
        PluginJars.versions(jars, "rule", RULE_BUNDLE, PluginJars.RULE_IMPORTS,
                PluginJars.flagRule("it_words", "forbidden"), PluginJars.flagRule("it_words", "banned"));
        PluginJars.versions(jars, "stats", STATS_BUNDLE, PluginJars.STATS_IMPORTS,
                PluginJars.statisticalTest(SumTest.class, "it_stat"),
                PluginJars.statisticalTest(ProductTest.class, "it_stat"));
        PluginJars.versions(jars, "sink", SINK_BUNDLE, PluginJars.SINK_IMPORTS,
                PluginJars.fileSink("it_sink", "v1"), PluginJars.fileSink("it_sink", "v2"));
        Files.createDirectories(home.resolve("conf"));
        return OptionUtils.combine(EnsignConfiguration.fileInstall(home),
                CoreOptions.frameworkProperty(FileAuditSink.FILE_PROPERTY).value(home.resolve("sink.log").toString()));
    }

    @Before
    public void configurePlugins() throws Exception {
        EnsignConfiguration.configure(context, "io.ensign.engine", Map.of("pluginGracePeriodMillis", GRACE_MILLIS));
        // The calculator's own grace period is covered by StatsResourceTest; here a removed test must be gone at once.
        EnsignConfiguration.configure(context, "io.ensign.http.stats", Map.of("gracePeriodMillis", 0L));
    }

    private Path jar(String name) {
        return home("jars").resolve(name);
    }

    private void install(String jar) {
        HttpResponse<String> installed = http.sendJar("POST", "/api/v1/bundles", ADMIN, jar(jar));
        assertEquals(installed.body(), 201, installed.statusCode());
    }

    /** A response as the load threads saw it: status, and what the test reads from the body. */
    private record Seen(int status, String value, String reason, String errorCode) {
        static Seen of(HttpResponse<String> r, JsonNode body, String value) {
            return new Seen(r.statusCode(), value, OfrepAnswers.ensignReason(body), OfrepAnswers.errorCode(body));
        }
    }

    private static final BundleSwap.Checks NO_CHECKS = new BundleSwap.Checks() {
        @Override
        public void removed() {
        }

        @Override
        public void absent() {
        }
    };

    private static void assertAnswered(BundleSwap.Run<Seen> run, List<Integer> statuses) {
        assertEquals(List.of(), run.failures());
        assertTrue("requests made: " + run.samples().size(), run.samples().size() > 20);
        List<Seen> other = run.results().stream().filter(s -> !statuses.contains(s.status())).toList();
        assertTrue(other.size() + " answered otherwise than " + statuses + ", e.g. " + other.stream().limit(3).toList(),
                other.isEmpty());
    }

    @Test
    public void aSwappedStrategyChoosesAnewWithinASecondAndItsFlagsServeTheirDefaultOnceItIsGone() throws Exception {
        String uuid = context.getProperty(Constants.FRAMEWORK_UUID);
        install("strategy-v1.jar");
        http.expect(201, "PUT", "/api/v1/flags/it-split", ADMIN, "{\"type\":\"string\",\"variants\":{\"a\":\"A\","
                + "\"b\":\"B\",\"c\":\"C\"},\"defaultVariant\":\"c\",\"rules\":[{\"rollout\":{\"strategy\":\"it_first\","
                + "\"weights\":{\"a\":1,\"b\":1}}}]}");

        BundleSwap.Run<Seen> run = BundleSwap.run(http, STRATEGY_BUNDLE, jar("strategy-v1.jar"),
                jar("strategy-v2.jar"), ABSENT_MILLIS, 4, n -> {
                    HttpResponse<String> r = BundleSwap.readOnly(() -> http.send("POST",
                            "/ofrep/v1/evaluate/flags/it-split", ADMIN, "{\"context\":{\"targetingKey\":\"u" + n
                                    + "\"}}"));
                    JsonNode body = http.json(r);
                    return Seen.of(r, body, body.path("variant").asText(null));
                }, new BundleSwap.Checks() {
                    @Override
                    public void removed() {
                        BundleSwap.assertListedInGrace(http, "assignment", "it_first", "2.0.0", STRATEGY_BUNDLE);
                    }

                    @Override
                    public void absent() {
                        assertTrue(http.send("GET", "/health/ready", null, null).body().contains("assignment/it_first"));
                    }
                });

        assertAnswered(run, List.of(200));
        Predicate<Seen> first = s -> "a".equals(s.value()) && "SPLIT".equals(s.reason());
        Predicate<Seen> last = s -> "b".equals(s.value()) && "SPLIT".equals(s.reason());
        Predicate<Seen> fallback = s -> "c".equals(s.value()) && "ERROR".equals(s.reason())
                && "GENERAL".equals(s.errorCode());
        assertEquals(List.of(), run.unexpected(0, run.update().sent(), first));
        assertEquals("v2 from a second after the update", List.of(),
                run.unexpected(run.update().done() + 1_000, run.removal().sent(), last));
        assertEquals("v2 through the grace period", List.of(),
                run.unexpected(run.removal().sent(), run.removal().done() + GRACE_MILLIS - 300, last));
        assertEquals("the default with ERROR past the grace period", List.of(),
                run.unexpected(run.removal().done() + GRACE_MILLIS + 500, run.reinstall().sent(), fallback));
        assertEquals("v1 again a second after reinstalling", List.of(),
                run.unexpected(run.reinstall().done() + 1_000, Long.MAX_VALUE, first));
        assertEquals(uuid, context.getProperty(Constants.FRAMEWORK_UUID));
    }

    /** A flag write whose description holds a word the rule versions refuse, or none. */
    private record Write(String word, int status) {
    }

    @Test
    public void aSwappedValidationRuleRefusesItsNewWordWithinASecondAndWritesPassWhileItIsGone() throws Exception {
        String uuid = context.getProperty(Constants.FRAMEWORK_UUID);
        install("rule-v1.jar");
        List<String> words = List.of("forbidden", "banned", "harmless");
        BundleSwap.Run<Write> run = BundleSwap.run(http, RULE_BUNDLE, jar("rule-v1.jar"), jar("rule-v2.jar"),
                ABSENT_MILLIS, 4, n -> {
                    String word = words.get(n % words.size());
                    return new Write(word, http.send("PUT", "/api/v1/flags/it-rule-" + n, ADMIN, "{\"type\":\"boolean\","
                            + "\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\",\"description\":\"a "
                            + word + " word\"}").statusCode());
                }, NO_CHECKS);

        assertEquals(List.of(), run.failures());
        assertEquals("only created or refused, never a 5xx", List.of(),
                run.results().stream().filter(w -> w.status() != 201 && w.status() != 422).toList());
        Predicate<Write> v1 = w -> w.status() == ("forbidden".equals(w.word()) ? 422 : 201);
        Predicate<Write> v2 = w -> w.status() == ("banned".equals(w.word()) ? 422 : 201);
        assertEquals(List.of(), run.unexpected(0, run.update().sent(), v1));
        assertEquals("v2 from a second after the update", List.of(),
                run.unexpected(run.update().done() + 1_000, run.removal().sent(), v2));
        assertEquals("every write passes a second after the removal", List.of(),
                run.unexpected(run.removal().done() + 1_000, run.reinstall().sent(), w -> w.status() == 201));
        assertEquals("v1 again a second after reinstalling", List.of(),
                run.unexpected(run.reinstall().done() + 1_000, Long.MAX_VALUE, v1));
        assertTrue("each phase saw writes", run.between(run.update().done() + 1_000, run.removal().sent()).size() > 3
                && run.between(run.removal().done() + 1_000, run.reinstall().sent()).size() > 3);
        assertEquals(uuid, context.getProperty(Constants.FRAMEWORK_UUID));
    }

    @Test
    public void aSwappedStatisticalTestComputesAnewWithinASecondAndIs404WhileItIsGone() throws Exception {
        String uuid = context.getProperty(Constants.FRAMEWORK_UUID);
        install("stats-v1.jar");
        BundleSwap.Run<Seen> run = BundleSwap.run(http, STATS_BUNDLE, jar("stats-v1.jar"), jar("stats-v2.jar"),
                ABSENT_MILLIS, 4, n -> {
                    HttpResponse<String> r = BundleSwap.readOnly(() -> http.send("POST", "/api/v1/stats/it_stat",
                            ADMIN, "{\"a\":2,\"b\":3}"));
                    JsonNode body = http.json(r);
                    return Seen.of(r, body, r.statusCode() == 200 ? body.path("value").asText() : body.path("error")
                            .asText());
                }, NO_CHECKS);

        assertAnswered(run, List.of(200, 404));
        Predicate<Seen> sum = s -> s.status() == 200 && "5.0".equals(s.value());
        Predicate<Seen> product = s -> s.status() == 200 && "6.0".equals(s.value());
        Predicate<Seen> gone = s -> s.status() == 404 && "NOT_FOUND".equals(s.value());
        assertEquals(List.of(), run.unexpected(0, run.update().sent(), sum));
        assertEquals("v2 from a second after the update", List.of(),
                run.unexpected(run.update().done() + 1_000, run.removal().sent(), product));
        assertEquals("404 while it is gone", List.of(),
                run.unexpected(run.removal().done(), run.reinstall().sent(), gone));
        assertEquals("v1 again a second after reinstalling", List.of(),
                run.unexpected(run.reinstall().done() + 1_000, Long.MAX_VALUE, sum));
        assertEquals(uuid, context.getProperty(Constants.FRAMEWORK_UUID));
    }

    /** One line of the sink's file: the label of the version that wrote it, the record's sequence, when. */
    private record Delivery(String label, long sequence, long at) {
        static Delivery parse(String line) {
            String[] parts = line.split(" ");
            return new Delivery(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        }
    }

    @Test
    public void aSwappedAuditSinkGetsEveryRecordInOrderAndCatchesUpAfterItsAbsence() throws Exception {
        String uuid = context.getProperty(Constants.FRAMEWORK_UUID);
        Path file = Path.of(context.getProperty(FileAuditSink.FILE_PROPERTY));
        install("sink-v1.jar");
        BundleSwap.Run<Integer> run = BundleSwap.run(http, SINK_BUNDLE, jar("sink-v1.jar"), jar("sink-v2.jar"),
                ABSENT_MILLIS, 2, n -> http.send("PUT", "/api/v1/flags/it-audited-" + n, ADMIN, "{\"type\":\"boolean\","
                        + "\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\"}").statusCode(), NO_CHECKS);
        assertEquals(List.of(), run.failures());
        assertEquals(List.of(), run.results().stream().filter(status -> status != 201).toList());

        Store store = context.getService(context.getServiceReference(Store.class));
        long last = store.lastSequence();
        long deadline = System.currentTimeMillis() + 10_000;
        List<Delivery> delivered = read(file);
        while (delivered.stream().noneMatch(d -> d.sequence() >= last) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            delivered = read(file);
        }
        // At least once and in order: every line repeats a record already delivered or is the next one.
        long highest = 0;
        for (Delivery d : delivered) {
            assertTrue("after " + highest + " came " + d, d.sequence() <= highest + 1);
            highest = Math.max(highest, d.sequence());
        }
        assertTrue("caught up to " + last + ", reached " + highest, highest >= last);

        Predicate<Delivery> byV1 = d -> d.label().equals("v1");
        Predicate<Delivery> byV2 = d -> d.label().equals("v2");
        assertEquals("v2 delivers from a second after the update", List.of(),
                deliveredBetween(delivered, run.update().done() + 1_000, run.removal().sent(), byV2.negate()));
        assertTrue("v2 delivered", delivered.stream().anyMatch(byV2));
        assertEquals("nothing is delivered while the sink is gone", List.of(),
                deliveredBetween(delivered, run.removal().done(), run.reinstall().sent(), d -> true));
        assertEquals("v1 delivers again after reinstalling", List.of(),
                deliveredBetween(delivered, run.reinstall().sent(), Long.MAX_VALUE, byV1.negate()));
        // With nothing delivered while it was gone and no gap above, these reached it after the reinstall.
        assertTrue("records were committed while the sink was gone",
                sequenceAt(store, run.reinstall().sent()) > sequenceAt(store, run.removal().done()));
        assertEquals(uuid, context.getProperty(Constants.FRAMEWORK_UUID));
    }

    private static List<Delivery> read(Path file) throws Exception {
        List<Delivery> delivered = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    delivered.add(Delivery.parse(line));
                }
            }
        }
        return delivered;
    }

    private static List<Delivery> deliveredBetween(List<Delivery> delivered, long from, long to, Predicate<Delivery> p) {
        return delivered.stream().filter(d -> d.at() >= from && d.at() < to).filter(p).toList();
    }

    /** The last sequence the store had committed at {@code time}. */
    private static long sequenceAt(Store store, long time) {
        return store.changes(0, 1_000_000).stream().filter(r -> r.time().toEpochMilli() < time)
                .mapToLong(r -> r.sequence()).max().orElse(0);
    }
}
