package io.ensign.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.Test;
import org.ops4j.pax.exam.Option;

/**
 * An A/B test end to end on a real server, as a user runs one: a flag, an experiment on it, start, assignment
 * through OFREP checked against an independent MurmurHash3 split (Guava), exposures and metrics posted with
 * duplicates and malformed events mixed in, the results compared figure by figure with a computation from the raw
 * data made here (Commons Math), the lifecycle's 409s, and concluding with a winner that the flag then serves; and
 * the results history growing by one point per round of events, its newest point the results as they are read.
 */
public class ExperimentsHttpIT extends FrameworkServerTest {
    private static final String FLAG = "it-checkout";
    private static final String KEY = "it-checkout-exp";
    private static final String EXPERIMENTS = "/api/v1/experiments/";
    private static final double ALPHA = 0.05;
    private static final int UNITS = 600;
    private static final int BATCH = 250;
    private static final double TOLERANCE = 1e-9;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    protected Option[] options(Path home) {
        // Guava for the independent hash inside the test probe.
        return new Option[] {mavenBundle("com.google.guava", "failureaccess", "1.0.3"),
            mavenBundle("com.google.guava", "guava", "33.5.0-jre")};
    }

    private static String definition(String flag, String control, String weights) {
        return "{\"flag\":\"" + flag + "\",\"environment\":\"production\",\"control\":\"" + control + "\","
                + "\"weights\":" + weights + ",\"metrics\":[{\"name\":\"converted\",\"kind\":\"proportion\"},"
                + "{\"name\":\"revenue\",\"kind\":\"mean\"}],\"primaryMetric\":\"converted\",\"alpha\":" + ALPHA + ","
                + "\"power\":0.8,\"minimumDetectableEffect\":0.05,\"autoStop\":{\"enabled\":false}}";
    }

    /** The raw data of the test as the clients saw it, kept to compute the expected results independently. */
    private static final class Truth {
        final Map<String, String> variantOf = new LinkedHashMap<>();
        final Map<String, Double> revenue = new LinkedHashMap<>();
        final Map<String, Double> converted = new LinkedHashMap<>();
    }

    @Test
    public void anAbTestFromFlagToWinner() throws Exception {
        http.expect(201, "PUT", "/api/v1/flags/" + FLAG, ADMIN, "{\"type\":\"boolean\",\"variants\":{\"on\":true,"
                + "\"off\":false},\"defaultVariant\":\"off\"}");
        String weights = "{\"off\":40,\"on\":60}";
        JsonNode created = http.expect(201, "PUT", EXPERIMENTS + KEY, ADMIN, definition(FLAG, "off", weights));
        assertEquals("draft", created.path("status").asText());
        assertEquals("ILLEGAL_TRANSITION", http.expect(409, "POST", EXPERIMENTS + KEY + "/stop", ADMIN, null)
                .path("error").asText());
        http.expect(409, "POST", EXPERIMENTS + KEY + "/conclude", ADMIN, "{\"winner\":\"on\"}");

        JsonNode started = http.expect(200, "POST", EXPERIMENTS + KEY + "/start", ADMIN, null);
        assertEquals("running", started.path("status").asText());
        http.expect(409, "POST", EXPERIMENTS + KEY + "/start", ADMIN, null);
        http.expect(409, "PUT", EXPERIMENTS + KEY, ADMIN, definition(FLAG, "off", weights));
        http.expect(409, "DELETE", EXPERIMENTS + KEY, ADMIN, null);
        http.expect(409, "POST", EXPERIMENTS + KEY + "/conclude", ADMIN, null);

        Truth truth = assignThroughOfrep(mapper.readTree(weights));
        postEvents(truth);
        checkResults(truth, http.expect(200, "GET", EXPERIMENTS + KEY + "/results", http.token("viewer", null), null));

        long flagVersion = http.expect(200, "GET", "/api/v1/flags/" + FLAG, ADMIN, null).path("version").asLong();
        assertEquals("analysing", http.expect(200, "POST", EXPERIMENTS + KEY + "/stop", ADMIN, null)
                .path("status").asText());
        JsonNode concluded = http.expect(200, "POST", EXPERIMENTS + KEY + "/conclude", ADMIN, "{\"winner\":\"on\"}");
        assertEquals("concluded", concluded.path("status").asText());
        assertEquals("on", concluded.path("winner").asText());
        JsonNode flag = http.expect(200, "GET", "/api/v1/flags/" + FLAG, ADMIN, null);
        assertTrue("a new flag version", flag.path("version").asLong() > flagVersion);
        assertEquals("on", flag.at("/environments/production/defaultVariant").asText());
        assertEquals("off", flag.path("defaultVariant").asText());
        for (int i = 0; i < 20; i++) {
            JsonNode served = evaluateUntil("u-" + i, "production", r -> !r.path("reason").asText().equals("SPLIT"));
            assertEquals("on", served.path("variant").asText());
            assertTrue(served.path("value").asBoolean());
        }
        assertEquals("off", evaluateUntil("u-1", "staging", r -> true).path("variant").asText());
        http.expect(409, "POST", EXPERIMENTS + KEY + "/stop", ADMIN, null);
    }

    @Test
    public void theResultsHistoryGrowsWithEachRoundOfEventsAndEndsAtTheResults() throws Exception {
        String flag = "it-history";
        String key = EXPERIMENTS + "it-history-exp";
        http.expect(201, "PUT", "/api/v1/flags/" + flag, ADMIN, "{\"type\":\"boolean\",\"variants\":{\"on\":true,"
                + "\"off\":false},\"defaultVariant\":\"off\"}");
        http.expect(201, "PUT", key, ADMIN, definition(flag, "off", "{\"off\":50,\"on\":50}"));
        http.expect(200, "POST", key + "/start", ADMIN, null);
        String viewer = http.token("viewer", null);
        Random random = new Random(20261203);
        int rounds = 4;
        for (int round = 0; round < rounds; round++) {
            ArrayNode batch = mapper.createArrayNode();
            for (int u = 0; u < 60; u++) {
                String unit = "h" + round + "-" + u;
                boolean on = u % 2 == 1;
                ObjectNode exposure = exposure(unit + "-x", unit, on ? "on" : "off").put("experiment", "it-history-exp");
                batch.add(exposure);
                if (random.nextDouble() < (on ? 0.4 : 0.25)) {
                    batch.add(metric(unit + "-c", unit, "converted", 1).put("experiment", "it-history-exp"));
                    batch.add(metric(unit + "-r", unit, "revenue", Math.round(2000 * random.nextDouble()) / 100.0)
                            .put("experiment", "it-history-exp"));
                }
            }
            JsonNode ingested = http.expect(202, "POST", "/api/v1/events", ADMIN,
                    mapper.createObjectNode().set("events", batch).toString());
            assertEquals(ingested.toString(), batch.size(), ingested.path("accepted").asLong());
            JsonNode results = http.expect(200, "GET", key + "/results", viewer, null);
            JsonNode points = http.expect(200, "GET", key + "/results/history", viewer, null).path("points");
            assertEquals("one point per round of events", round + 1, points.size());
            assertPointIsResults(results, points.get(round));
            http.expect(200, "GET", key + "/results", viewer, null);
            assertEquals("reading unchanged results again records nothing", round + 1,
                    http.expect(200, "GET", key + "/results/history", viewer, null).path("points").size());
        }

        JsonNode all = http.expect(200, "GET", key + "/results/history", viewer, null).path("points");
        for (int i = 1; i < rounds; i++) {
            assertTrue("ordered by time", Instant.parse(all.get(i - 1).path("time").asText())
                    .isBefore(Instant.parse(all.get(i).path("time").asText())));
            assertTrue("units grow", all.get(i).at("/units/on").asLong() > all.get(i - 1).at("/units/on").asLong());
        }
        String since = all.get(1).path("time").asText();
        JsonNode after = http.expect(200, "GET", key + "/results/history?since=" + since, viewer, null);
        assertEquals(List.of(all.get(2), all.get(3)), List.of(after.path("points").get(0), after.path("points").get(1)));
        assertEquals("since is exclusive", rounds - 2, after.path("points").size());
        JsonNode newest = http.expect(200, "GET", key + "/results/history?limit=1", viewer, null);
        assertEquals(List.of(all.get(rounds - 1)), List.of(newest.path("points").get(0)));
        assertTrue(newest.path("truncated").asBoolean());
        JsonNode bad = http.expect(400, "GET", key + "/results/history?since=last-week", viewer, null);
        assertEquals("since", bad.path("field").asText());
        http.expect(404, "GET", EXPERIMENTS + "no-such-exp/results/history", viewer, null);
    }

    /** The figures a point keeps are those of the results document, as the results route served them. */
    private static void assertPointIsResults(JsonNode results, JsonNode point) {
        assertEquals(results.path("status"), point.path("status"));
        for (String variant : List.of("off", "on")) {
            assertEquals(variant, results.at("/variants/" + variant + "/units"), point.at("/units/" + variant));
            assertEquals(variant, results.at("/variants/" + variant + "/metrics/converted/mean"),
                    point.at("/variants/" + variant + "/converted"));
        }
        for (String metric : List.of("converted", "revenue")) {
            for (String field : List.of("test", "difference", "relativeLift", "pValue")) {
                JsonNode expected = results.at("/comparisons/on/" + metric + "/" + field);
                assertFalse(metric + " " + field, expected.isMissingNode());
                assertEquals(metric + " " + field, expected, point.at("/metrics/" + metric + "/on/" + field));
            }
            assertEquals(results.at("/bayesian/on/" + metric + "/chanceToBeatControl"),
                    point.at("/metrics/" + metric + "/on/chanceToBeatControl"));
        }
        for (String field : List.of("alwaysValidPValue", "confidenceSequence")) {
            JsonNode expected = results.at("/sequential/on/" + field);
            assertFalse(field, expected.isMissingNode());
            assertEquals(field, expected, point.at("/metrics/converted/on/" + field));
        }
        assertEquals(results.at("/srm/pValue"), point.at("/srm/pValue"));
        assertEquals(results.path("decision"), point.path("decision"));
    }

    /** Evaluates every unit; each must be split by the experiment's hash, which the test computes itself. */
    private Truth assignThroughOfrep(JsonNode weights) throws InterruptedException {
        Truth truth = new Truth();
        for (int i = 0; i < UNITS; i++) {
            String unit = "u-" + i;
            JsonNode result = evaluateUntil(unit, "production", r -> r.path("reason").asText().equals("SPLIT"));
            assertEquals(KEY, result.at("/metadata/experiment").asText());
            String expected = ReferenceResolver.split(KEY, unit, weights);
            assertEquals(unit, expected, result.path("variant").asText());
            assertEquals(expected.equals("on"), result.path("value").asBoolean());
            truth.variantOf.put(unit, expected);
        }
        long on = truth.variantOf.values().stream().filter("on"::equals).count();
        assertTrue("about 60% on: " + on, on > UNITS * 0.5 && on < UNITS * 0.7);
        return truth;
    }

    /** Evaluates until the engine's snapshot has caught up, i.e. the result satisfies {@code ready}. */
    private JsonNode evaluateUntil(String unit, String environment,
                                   Predicate<JsonNode> ready) throws InterruptedException {
        JsonNode result = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            result = http.expect(200, "POST", "/ofrep/v1/evaluate/flags/" + FLAG + "?environment=" + environment,
                    ADMIN, "{\"context\":{\"targetingKey\":\"" + unit + "\"}}");
            if (ready.test(result)) {
                return result;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the evaluation of " + unit + " never became ready: " + result);
    }

    /**
     * Exposures for every unit, conversions and revenue events for some, metric events of units never exposed
     * (they count nowhere), repeats of earlier events (duplicates, in the same and in later batches) and
     * malformed events; the outcome counts of every batch must be exact.
     */
    private void postEvents(Truth truth) {
        Random random = new Random(20261126);
        List<Posted> posted = new ArrayList<>();
        int id = 0;
        for (Map.Entry<String, String> unit : truth.variantOf.entrySet()) {
            boolean on = unit.getValue().equals("on");
            posted.add(new Posted(exposure("x" + id++, unit.getKey(), unit.getValue()), Outcome.ACCEPTED));
            if (random.nextDouble() < (on ? 0.30 : 0.20)) {
                posted.add(new Posted(metric("x" + id++, unit.getKey(), "converted", 1), Outcome.ACCEPTED));
                truth.converted.merge(unit.getKey(), 1.0, Double::sum);
            }
            int purchases = random.nextInt(3);
            for (int p = 0; p < purchases; p++) {
                double value = Math.round((on ? 12 : 10) * random.nextDouble() * 100) / 100.0;
                posted.add(new Posted(metric("x" + id++, unit.getKey(), "revenue", value), Outcome.ACCEPTED));
                truth.revenue.merge(unit.getKey(), value, Double::sum);
            }
            if (random.nextDouble() < 0.05) {
                posted.add(new Posted(posted.get(posted.size() - 1).event().deepCopy(), Outcome.DUPLICATE));
            }
        }
        for (int i = 0; i < 5; i++) {
            posted.add(new Posted(metric("x" + id++, "ghost-" + i, "revenue", 100), Outcome.ACCEPTED));
        }
        ObjectNode missingId = exposure("ignored", "u-1", "on");
        missingId.remove("id");
        for (JsonNode bad : List.of(missingId, exposure("bad1", "u-2", "maybe"),
                exposure("bad2", "u-3", "on").put("experiment", "no-such-experiment"),
                metric("bad3", "u-4", "revenue", 1).put("value", "12"), metric("bad4", "u-5", "clicks", 1),
                exposure("bad5", "u-6", "on").put("type", "click"), mapper.getNodeFactory().textNode("no event"))) {
            posted.add(random.nextInt(posted.size()), new Posted(bad, Outcome.REJECTED));
        }
        // everything once more: every valid event is now a duplicate, every malformed one rejected again
        int total = posted.size();
        for (int i = 0; i < total; i++) {
            Posted earlier = posted.get(i);
            posted.add(new Posted(earlier.event().deepCopy(),
                    earlier.outcome() == Outcome.REJECTED ? Outcome.REJECTED : Outcome.DUPLICATE));
        }

        long accepted = 0;
        long duplicates = 0;
        long rejected = 0;
        for (int from = 0; from < posted.size(); from += BATCH) {
            ArrayNode batch = mapper.createArrayNode();
            List<Integer> expectRejected = new ArrayList<>();
            long expectAccepted = 0;
            long expectDuplicates = 0;
            for (int i = from; i < Math.min(posted.size(), from + BATCH); i++) {
                batch.add(posted.get(i).event());
                switch (posted.get(i).outcome()) {
                    case ACCEPTED -> expectAccepted++;
                    case DUPLICATE -> expectDuplicates++;
                    default -> expectRejected.add(i - from);
                }
            }
            JsonNode result = http.expect(202, "POST", "/api/v1/events", ADMIN,
                    mapper.createObjectNode().set("events", batch).toString());
            assertEquals(result.toString(), expectAccepted, result.path("accepted").asLong());
            assertEquals(result.toString(), expectDuplicates, result.path("duplicates").asLong());
            List<Integer> indices = new ArrayList<>();
            result.path("rejected").forEach(r -> {
                indices.add(r.path("index").asInt());
                assertFalse(r.path("message").asText().isEmpty());
            });
            assertEquals(result.toString(), expectRejected, indices);
            accepted += expectAccepted;
            duplicates += expectDuplicates;
            rejected += expectRejected.size();
        }
        assertEquals(14, rejected);
        assertTrue(duplicates > accepted);

        String sdkStaging = http.token("sdk", "staging");
        JsonNode refused = http.expect(202, "POST", "/api/v1/events", sdkStaging,
                "{\"events\":[" + exposure("sdk-1", "u-9", truth.variantOf.get("u-9")) + "]}");
        assertEquals(0, refused.path("accepted").asLong());
        assertTrue(refused.at("/rejected/0/message").asText().contains("production"));
        JsonNode allowed = http.expect(202, "POST", "/api/v1/events", http.token("sdk", "production"),
                "{\"events\":[" + exposure("x0", "u-0", truth.variantOf.get("u-0")) + "]}");
        assertEquals("an sdk token of production may post; x0 is known", 1, allowed.path("duplicates").asLong());
    }

    private enum Outcome { ACCEPTED, DUPLICATE, REJECTED }

    /** An event as posted and what the server must make of it. */
    private record Posted(JsonNode event, Outcome outcome) {
    }

    private ObjectNode exposure(String id, String unit, String variant) {
        return mapper.createObjectNode().put("id", id).put("type", "exposure").put("experiment", KEY)
                .put("unit", unit).put("variant", variant).put("timestamp", "2026-11-26T10:00:00Z");
    }

    private ObjectNode metric(String id, String unit, String metric, double value) {
        return mapper.createObjectNode().put("id", id).put("type", "metric").put("experiment", KEY)
                .put("metric", metric).put("unit", unit).put("value", value).put("timestamp", "2026-11-26T10:05:00Z");
    }

    /** Every figure of the results document against a computation from the raw per-unit data. */
    private void checkResults(Truth truth, JsonNode results) {
        assertEquals(KEY, results.path("experiment").asText());
        assertEquals("running", results.path("status").asText());
        Map<String, SummaryStatistics> revenue = new LinkedHashMap<>();
        Map<String, SummaryStatistics> converted = new LinkedHashMap<>();
        for (String variant : List.of("off", "on")) {
            revenue.put(variant, new SummaryStatistics());
            converted.put(variant, new SummaryStatistics());
        }
        truth.variantOf.forEach((unit, variant) -> {
            revenue.get(variant).addValue(truth.revenue.getOrDefault(unit, 0.0));
            converted.get(variant).addValue(truth.converted.getOrDefault(unit, 0.0) > 0 ? 1 : 0);
        });
        for (String variant : List.of("off", "on")) {
            JsonNode metrics = results.at("/variants/" + variant + "/metrics");
            SummaryStatistics r = revenue.get(variant);
            SummaryStatistics c = converted.get(variant);
            assertEquals(variant, r.getN(), metrics.at("/revenue/units").asLong());
            close(variant + " revenue mean", r.getMean(), metrics.at("/revenue/mean"));
            close(variant + " revenue variance", r.getVariance(), metrics.at("/revenue/variance"));
            assertEquals(variant, c.getN(), metrics.at("/converted/units").asLong());
            double rate = c.getMean();
            close(variant + " conversion rate", rate, metrics.at("/converted/mean"));
            close(variant + " conversion variance", rate * (1 - rate) * c.getN() / (c.getN() - 1),
                    metrics.at("/converted/variance"));
            close(variant + " conversion variance = sample variance of 0/1", c.getVariance(),
                    metrics.at("/converted/variance"));
        }

        JsonNode welch = results.at("/comparisons/on/revenue");
        assertEquals("welch-t", welch.path("test").asText());
        SummaryStatistics control = revenue.get("off");
        SummaryStatistics treatment = revenue.get("on");
        double vc = control.getVariance() / control.getN();
        double vt = treatment.getVariance() / treatment.getN();
        double df = (vc + vt) * (vc + vt) / (vc * vc / (control.getN() - 1) + vt * vt / (treatment.getN() - 1));
        double d = treatment.getMean() - control.getMean();
        double halfWidth = new TDistribution(df).inverseCumulativeProbability(1 - ALPHA / 2) * Math.sqrt(vc + vt);
        close("welch t", new TTest().t(treatment, control), welch.path("statistic"));
        close("welch df", df, welch.path("degreesOfFreedom"));
        close("welch p", new TTest().tTest(treatment, control), welch.path("pValue"), 1e-7);
        close("welch difference", d, welch.at("/difference/estimate"));
        close("welch lower", d - halfWidth, welch.at("/difference/lower"), 1e-7);
        close("welch upper", d + halfWidth, welch.at("/difference/upper"), 1e-7);

        JsonNode z = results.at("/comparisons/on/converted");
        assertEquals("two-proportion-z", z.path("test").asText());
        double nc = converted.get("off").getN();
        double nt = converted.get("on").getN();
        double pc = converted.get("off").getMean();
        double pt = converted.get("on").getMean();
        double pooled = (pc * nc + pt * nt) / (nc + nt);
        double statistic = (pt - pc) / Math.sqrt(pooled * (1 - pooled) * (1 / nc + 1 / nt));
        NormalDistribution normal = new NormalDistribution();
        double unpooled = Math.sqrt(pc * (1 - pc) / nc + pt * (1 - pt) / nt);
        double zq = normal.inverseCumulativeProbability(1 - ALPHA / 2);
        close("z", statistic, z.path("statistic"));
        close("z p", 2 * normal.cumulativeProbability(-Math.abs(statistic)), z.path("pValue"), 1e-7);
        close("z difference", pt - pc, z.at("/difference/estimate"));
        close("z lower", pt - pc - zq * unpooled, z.at("/difference/lower"), 1e-7);
        close("z upper", pt - pc + zq * unpooled, z.at("/difference/upper"), 1e-7);

        long units = truth.variantOf.size();
        long onUnits = truth.variantOf.values().stream().filter("on"::equals).count();
        double[] expected = {units * 0.4, units * 0.6};
        long[] observed = {units - onUnits, onUnits};
        close("srm statistic", new ChiSquareTest().chiSquare(expected, observed), results.at("/srm/statistic"));
        close("srm p", new ChiSquareTest().chiSquareTest(expected, observed), results.at("/srm/pValue"), 1e-7);
        assertFalse(results.at("/srm/mismatch").asBoolean());
        assertFalse(results.at("/sequential/on").isMissingNode());
        assertTrue(results.path("decision").isObject());
    }

    private static void close(String what, double expected, JsonNode actual) {
        close(what, expected, actual, TOLERANCE);
    }

    private static void close(String what, double expected, JsonNode actual, double relative) {
        assertTrue(what + " is " + actual, actual.isNumber());
        double a = actual.asDouble();
        assertEquals(what, expected, a, Math.max(1e-12, relative * Math.abs(expected)));
    }
}
