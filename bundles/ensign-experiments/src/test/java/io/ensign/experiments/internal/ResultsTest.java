package io.ensign.experiments.internal;

import static io.ensign.experiments.internal.Fixture.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.ensign.api.experiment.AutoStop;
import io.ensign.api.stats.StatisticalTest;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.descriptive.moment.Variance;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The results document against numbers computed here from the raw per-unit values. */
class ResultsTest {
    private static final List<String> VARIANTS = List.of("off", "on", "blue");

    @TempDir
    Path directory;
    private Fixture fixture;
    /** variant -> per-unit revenue and conversion values, as sent. */
    private final Map<String, List<Double>> revenue = new HashMap<>();
    private final Map<String, List<Double>> converted = new HashMap<>();

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private void sendUnits(Map<String, StatisticalTest> tests) {
        fixture = new Fixture(directory, tests);
        fixture.running("e", AutoStop.DISABLED, VARIANTS.toArray(String[]::new));
        Random random = new Random(11);
        List<Map<String, Object>> batch = new ArrayList<>();
        int[] units = {400, 380, 420};
        double[] rates = {0.10, 0.14, 0.11};
        double[] means = {20, 21.5, 20.2};
        for (int v = 0; v < VARIANTS.size(); v++) {
            String variant = VARIANTS.get(v);
            for (int u = 0; u < units[v]; u++) {
                boolean converts = random.nextDouble() < rates[v];
                double spend = converts ? Math.max(0, means[v] + 8 * random.nextGaussian()) : 0;
                Map<String, Double> values = new LinkedHashMap<>();
                if (converts) {
                    values.put("converted", 1.0);
                    values.put("revenue", spend);
                }
                revenue.computeIfAbsent(variant, k -> new ArrayList<>()).add(spend);
                converted.computeIfAbsent(variant, k -> new ArrayList<>()).add(converts ? 1.0 : 0.0);
                batch.addAll(fixture.unit("e", variant + u, variant, values));
            }
        }
        fixture.service.ingest(batch);
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> document, String... path) {
        Object node = document;
        for (String step : path) {
            node = ((Map<String, Object>) node).get(step);
        }
        return (Map<String, Object>) node;
    }

    private static double number(Map<String, Object> map, String field) {
        return ((Number) map.get(field)).doubleValue();
    }

    @Test
    void variantStatisticsEqualThoseOfThePerUnitValues() {
        sendUnits(Fixture.BUILT_IN_TESTS);
        Map<String, Object> results = fixture.service.results("e");
        assertEquals("e", results.get("experiment"));
        assertEquals("running", results.get("status"));
        for (String variant : VARIANTS) {
            double[] spend = array(revenue.get(variant));
            Map<String, Object> mean = at(results, "variants", variant, "metrics", "revenue");
            assertEquals((long) spend.length, mean.get("units"));
            assertEquals(Arrays.stream(spend).average().orElseThrow(), number(mean, "mean"), 1e-9);
            assertEquals(new Variance(true).evaluate(spend), number(mean, "variance"), 1e-7);

            double[] conversions = array(converted.get(variant));
            double rate = Arrays.stream(conversions).average().orElseThrow();
            Map<String, Object> proportion = at(results, "variants", variant, "metrics", "converted");
            assertEquals(rate, number(proportion, "mean"), 1e-12);
            // p(1-p)n/(n-1) is exactly the sample variance of the 0/1 values
            assertEquals(new Variance(true).evaluate(conversions), number(proportion, "variance"), 1e-12);
        }
    }

    @Test
    void comparisonsAreTheTestsOnPerUnitValuesWithHolmAcrossTreatments() {
        sendUnits(Fixture.BUILT_IN_TESTS);
        Map<String, Object> results = fixture.service.results("e");
        Map<String, Double> welch = new HashMap<>();
        Map<String, Double> z = new HashMap<>();
        for (String treatment : List.of("on", "blue")) {
            Map<String, Object> mean = at(results, "comparisons", treatment, "revenue");
            assertEquals("welch-t", mean.get("test"));
            double expected = new TTest().tTest(array(revenue.get(treatment)), array(revenue.get("off")));
            assertEquals(expected, number(mean, "pValue"), 1e-9);
            welch.put(treatment, expected);

            Map<String, Object> proportion = at(results, "comparisons", treatment, "converted");
            assertEquals("two-proportion-z", proportion.get("test"));
            double expectedZ = twoProportionPValue(converted.get("off"), converted.get(treatment));
            assertEquals(expectedZ, number(proportion, "pValue"), 1e-9);
            z.put(treatment, expectedZ);
        }
        for (Map.Entry<String, Map<String, Double>> metric : Map.of("revenue", welch, "converted", z).entrySet()) {
            double low = Math.min(metric.getValue().get("on"), metric.getValue().get("blue"));
            for (String treatment : List.of("on", "blue")) {
                Map<String, Object> comparison = at(results, "comparisons", treatment, metric.getKey());
                double p = metric.getValue().get(treatment);
                double holm = p == low ? Math.min(1, 2 * p) : Math.max(Math.min(1, 2 * low), p);
                assertEquals(holm, number(comparison, "adjustedPValue"), 1e-12);
                assertEquals("holm", comparison.get("correction"));
            }
        }
    }

    @Test
    void theBayesianReadOutIsTheLogRatioPosteriorOfThePerUnitValues() {
        sendUnits(Fixture.BUILT_IN_TESTS);
        Map<String, Object> results = fixture.service.results("e");
        NormalDistribution normal = new NormalDistribution();
        for (String treatment : List.of("on", "blue")) {
            for (Map<String, List<Double>> metric : List.of(revenue, converted)) {
                String name = metric == revenue ? "revenue" : "converted";
                double[] control = array(metric.get("off"));
                double[] other = array(metric.get(treatment));
                double mc = Arrays.stream(control).average().orElseThrow();
                double mt = Arrays.stream(other).average().orElseThrow();
                // a rate's variance is p(1-p)/n, a mean's s²/n (the 0/1 values' population variance is p(1-p))
                boolean proportion = metric == converted;
                double vc = new Variance(!proportion).evaluate(control) / control.length;
                double vt = new Variance(!proportion).evaluate(other) / other.length;
                double logRatio = Math.log(mt / mc);
                double sd = Math.sqrt(vt / (mt * mt) + vc / (mc * mc));
                Map<String, Object> bayes = at(results, "bayesian", treatment, name);
                assertEquals("bayesian-lift", bayes.get("test"));
                assertEquals(normal.cumulativeProbability(logRatio / sd), number(bayes, "chanceToBeatControl"), 1e-9,
                        treatment + " " + name);
                Map<String, Object> interval = at(bayes, "credibleInterval");
                assertEquals(Math.expm1(logRatio + normal.inverseCumulativeProbability(0.025) * sd),
                        number(interval, "lower"), 1e-7, treatment + " " + name);
            }
        }
    }

    private static double twoProportionPValue(List<Double> control, List<Double> treatment) {
        double x1 = control.stream().mapToDouble(Double::doubleValue).sum();
        double x2 = treatment.stream().mapToDouble(Double::doubleValue).sum();
        double n1 = control.size();
        double n2 = treatment.size();
        double pooled = (x1 + x2) / (n1 + n2);
        double statistic = (x2 / n2 - x1 / n1) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
        return 2 * new NormalDistribution().cumulativeProbability(-Math.abs(statistic));
    }

    @Test
    void srmIsPearsonsChiSquareOfUnitsAgainstWeights() {
        sendUnits(Fixture.BUILT_IN_TESTS);
        Map<String, Object> srm = at(fixture.service.results("e"), "srm");
        double total = 400 + 380 + 420;
        double statistic = 0;
        for (int n : new int[] {400, 380, 420}) {
            statistic += (n - total / 3) * (n - total / 3) / (total / 3);
        }
        assertEquals(statistic, number(srm, "statistic"), 1e-9);
        assertEquals(1 - new ChiSquaredDistribution(2).cumulativeProbability(statistic), number(srm, "pValue"),
                1e-9);
        assertEquals(false, srm.get("mismatch"));
    }

    @Test
    void theAlwaysValidPValueIsTheRunningMinimumOverLooks() {
        fixture = new Fixture(directory);
        fixture.running("e", AutoStop.DISABLED);
        List<Map<String, Object>> strong = new ArrayList<>();
        for (int u = 0; u < 200; u++) {
            strong.addAll(fixture.unit("e", "c" + u, "off", u % 10 == 0 ? Map.of("converted", 1.0) : Map.of()));
            strong.addAll(fixture.unit("e", "t" + u, "on", u % 3 == 0 ? Map.of("converted", 1.0) : Map.of()));
        }
        fixture.service.ingest(strong);
        Map<String, Object> first = at(fixture.service.results("e"), "sequential", "on");
        assertEquals("msprt", first.get("test"));
        assertEquals("converted", first.get("metric"));
        assertTrue(number(first, "pValue") < 1, first.toString());
        assertEquals(number(first, "pValue"), number(first, "alwaysValidPValue"), 0);
        // many more units converting at control's rate weaken the evidence; the minimum of earlier looks stays
        List<Map<String, Object>> more = new ArrayList<>();
        for (int u = 0; u < 2000; u++) {
            more.addAll(fixture.unit("e", "late" + u, "on", u % 10 == 0 ? Map.of("converted", 1.0) : Map.of()));
        }
        fixture.service.ingest(more);
        Map<String, Object> second = at(fixture.service.results("e"), "sequential", "on");
        assertTrue(number(second, "pValue") > number(first, "pValue"), second.toString());
        assertEquals(number(first, "pValue"), number(second, "alwaysValidPValue"), 0);
    }

    @Test
    void threeArmsGetHolmOnTheSequentialPValues() {
        sendUnits(Fixture.BUILT_IN_TESTS);
        Map<String, Object> on = at(fixture.service.results("e"), "sequential", "on");
        assertEquals("holm", on.get("correction"));
        assertTrue(number(on, "adjustedPValue") >= number(on, "alwaysValidPValue"));
    }

    @Test
    void aMissingTestLeavesAnErrorInItsPlaceAndTheRestOfTheResults() {
        Map<String, StatisticalTest> tests = new HashMap<>(Fixture.BUILT_IN_TESTS);
        tests.remove("welch-t");
        tests.put("two-proportion-z", input -> {
            throw new IllegalStateException("boom");
        });
        sendUnits(tests);
        Map<String, Object> results = fixture.service.results("e");
        assertEquals(Map.of("test", "welch-t", "error", "statistical test 'welch-t' is not installed"),
                at(results, "comparisons", "on", "revenue"));
        assertTrue(at(results, "comparisons", "on", "converted").get("error").toString().contains("boom"));
        assertNull(at(results, "comparisons", "on", "converted").get("adjustedPValue"));
        assertTrue(at(results, "srm").get("pValue") instanceof Number);
        assertTrue(at(results, "sequential", "on").get("pValue") instanceof Number);
    }

    @Test
    void aTestInstalledLaterIsUsedAtTheNextLook() {
        Map<String, StatisticalTest> tests = new HashMap<>(Fixture.BUILT_IN_TESTS);
        tests.remove("welch-t");
        sendUnits(tests);
        assertTrue(at(fixture.service.results("e"), "comparisons", "on", "revenue").containsKey("error"));
        StatisticalTest welch = Fixture.BUILT_IN_TESTS.get("welch-t");
        fixture.service.addTest(welch, Map.of(StatisticalTest.NAME, "welch-t"));
        assertFalse(at(fixture.service.results("e"), "comparisons", "on", "revenue").containsKey("error"));
        fixture.service.removeTest(welch, Map.of(StatisticalTest.NAME, "welch-t"));
        assertTrue(at(fixture.service.results("e"), "comparisons", "on", "revenue").containsKey("error"));
    }

    @Test
    void aDraftHasResultsWithEveryComparisonMarkedAsNotComputable() {
        fixture = new Fixture(directory);
        fixture.service.put(Fixture.experiment("d", AutoStop.DISABLED), -1, ALICE);
        Map<String, Object> results = fixture.service.results("d");
        assertEquals("draft", results.get("status"));
        assertEquals(0L, at(results, "variants", "off", "metrics", "revenue").get("units"));
        assertTrue(at(results, "comparisons", "on", "revenue").containsKey("error"));
        assertEquals(false, at(results, "decision").get("stop"));
    }
}
