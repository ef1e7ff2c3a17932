package io.ensign.experiments.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.ensign.api.experiment.Experiment;
import io.ensign.api.experiment.ExperimentStatus;
import io.ensign.api.experiment.Metric;
import io.ensign.api.experiment.MetricAggregate;
import io.ensign.api.experiment.VariantAggregate;
import io.ensign.api.stats.StatisticalTest;

/**
 * Builds an experiment's results document from its aggregates alone, running every comparison through the
 * {@link StatisticalTest} of that name so tests stay plugins: a test that is missing or fails leaves an
 * {@code error} in its place and the rest of the document intact. Beside the frequentist comparisons stands the
 * Bayesian read-out of every metric ({@code bayesian-lift}, flat prior, relative scale), and every guardrail
 * metric gets the one-sided {@code guardrail} check.
 *
 * <p>Also decides auto-stop. The rule, checked only while the experiment runs with auto-stop enabled: every
 * variant has at least {@code minUnitsPerVariant} units, the sample ratio check does not fail, and some
 * treatment's always-valid p-value of the primary metric (Holm-adjusted across treatments when there are
 * several) is below alpha. A treatment whose guardrail shows harm (or cannot be checked) is never the winner.
 * The caller carries out the stop.
 */
final class ExperimentAnalysis {
    static final String WELCH_T = "welch-t";
    static final String TWO_PROPORTION_Z = "two-proportion-z";
    static final String SRM_CHI_SQUARE = "srm-chi-square";
    static final String MSPRT = "msprt";
    static final String BAYESIAN_LIFT = "bayesian-lift";
    static final String GUARDRAIL = "guardrail";
    /** Below this p-value the split of units is taken to be broken (a common threshold for SRM alarms). */
    static final double SRM_THRESHOLD = 0.001;
    private static final String P_VALUE = "pValue";
    private static final String ERROR = "error";

    /** Records one look of the sequential test and returns the running minimum of its p-values. */
    @FunctionalInterface
    interface SequentialLooks {
        double record(String experiment, String arm, double pValue);
    }

    /** What the analysis says about stopping; {@code fire} asks the caller to stop the experiment now. */
    record Decision(boolean stop, String reason, String winner, boolean fire) {
        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("stop", stop);
            map.put("reason", reason);
            map.put("winner", winner);
            return map;
        }
    }

    /** The results document (decision included) and the decision. */
    record Results(Map<String, Object> document, Decision decision) {
    }

    /** One metric of one variant as the tests take it. */
    private record Summary(long n, double mean, double variance, long successes) {
        static Summary of(MetricAggregate aggregate, Metric.Kind kind) {
            long n = aggregate.n();
            if (kind == Metric.Kind.MEAN) {
                return new Summary(n, aggregate.mean(), aggregate.variance(), aggregate.successes());
            }
            double rate = n == 0 ? Double.NaN : (double) aggregate.successes() / n;
            // the sample variance of the 0/1 success indicator
            double variance = n < 2 ? Double.NaN : rate * (1 - rate) * n / (n - 1);
            return new Summary(n, rate, variance, aggregate.successes());
        }

        Map<String, Object> meanInput() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("n", n);
            map.put("mean", number(mean));
            map.put("variance", number(variance));
            return map;
        }

        /** The arm as the tests take it: {@code n, mean, variance} for a mean metric, {@code n, successes} else. */
        Map<String, Object> armInput(Metric.Kind kind) {
            return kind == Metric.Kind.MEAN ? meanInput() : Map.of("n", n, "successes", successes);
        }
    }

    private final Function<String, StatisticalTest> tests;
    private final SequentialLooks looks;

    /**
     * @param tests the installed test of a name, null when none is
     * @param looks where the running minimum of sequential p-values is kept
     */
    ExperimentAnalysis(Function<String, StatisticalTest> tests, SequentialLooks looks) {
        this.tests = tests;
        this.looks = looks;
    }

    Results analyse(Experiment experiment, Map<String, VariantAggregate> aggregates) {
        List<String> variants = new ArrayList<>(experiment.weights().keySet());
        List<String> treatments = variants.stream().filter(v -> !v.equals(experiment.control())).toList();
        Map<String, VariantAggregate> byVariant = new LinkedHashMap<>();
        for (String variant : variants) {
            byVariant.put(variant, aggregates.getOrDefault(variant, new VariantAggregate(0, 0, 0, Map.of())));
        }

        Map<String, Object> variantsDocument = new LinkedHashMap<>();
        byVariant.forEach((variant, aggregate) -> {
            Map<String, Object> metrics = new LinkedHashMap<>();
            for (Metric metric : experiment.metrics()) {
                Summary summary = Summary.of(aggregate.metric(metric.name()), metric.kind());
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("units", summary.n());
                entry.put("mean", number(summary.mean()));
                entry.put("variance", number(summary.variance()));
                if (metric.kind() == Metric.Kind.PROPORTION) {
                    entry.put("successes", summary.successes());
                }
                metrics.put(metric.name(), entry);
            }
            Map<String, Object> variantEntry = new LinkedHashMap<>();
            variantEntry.put("units", aggregate.units());
            variantEntry.put("exposures", aggregate.exposures());
            variantEntry.put("conflicts", aggregate.conflicts());
            variantEntry.put("metrics", metrics);
            variantsDocument.put(variant, variantEntry);
        });

        List<Metric> guardrailMetrics = experiment.metrics().stream().filter(m -> m.guardrail() != null).toList();
        Map<String, Object> comparisons = perMetric(experiment, byVariant, treatments, experiment.metrics(),
                metric -> metric.kind() == Metric.Kind.MEAN ? WELCH_T : TWO_PROPORTION_Z, metric -> Map.of(), true);
        Map<String, Object> bayesian = perMetric(experiment, byVariant, treatments, experiment.metrics(),
                metric -> BAYESIAN_LIFT, metric -> Map.of(), false);
        Map<String, Object> guardrails = perMetric(experiment, byVariant, treatments, guardrailMetrics,
                metric -> GUARDRAIL, metric -> Map.of("direction", metric.guardrail().direction(),
                        "margin", metric.guardrail().margin()), false);
        Map<String, Object> srm = srm(experiment, byVariant);
        Map<String, Object> sequential = sequential(experiment, byVariant, treatments);
        Decision decision = decide(experiment, byVariant, treatments, srm, sequential, guardrails);

        Map<String, Object> document = new LinkedHashMap<>();
        document.put("experiment", experiment.key());
        document.put("status", experiment.status().jsonName());
        document.put("variants", variantsDocument);
        document.put("comparisons", comparisons);
        document.put("bayesian", bayesian);
        document.put("guardrails", guardrails);
        document.put("srm", srm);
        document.put("sequential", sequential);
        document.put("decision", decision.toMap());
        return new Results(document, decision);
    }

    /**
     * treatment -> metric -> the output of the test {@code testOf} names for the metric, run on the control and
     * treatment arms of that metric at the experiment's alpha with the metric's {@code extraInput}; with
     * {@code holm}, p-values are Holm-adjusted across treatments per metric.
     */
    private Map<String, Object> perMetric(Experiment experiment, Map<String, VariantAggregate> byVariant,
                                          List<String> treatments, List<Metric> metrics,
                                          Function<Metric, String> testOf,
                                          Function<Metric, Map<String, Object>> extraInput, boolean holm) {
        Map<String, Map<String, Object>> byTreatment = new LinkedHashMap<>();
        treatments.forEach(t -> byTreatment.put(t, new LinkedHashMap<>()));
        for (Metric metric : metrics) {
            Summary control = Summary.of(byVariant.get(experiment.control()).metric(metric.name()), metric.kind());
            List<Map<String, Object>> outputs = new ArrayList<>();
            for (String treatment : treatments) {
                Summary other = Summary.of(byVariant.get(treatment).metric(metric.name()), metric.kind());
                Map<String, Object> input = new LinkedHashMap<>();
                input.put("control", control.armInput(metric.kind()));
                input.put("treatment", other.armInput(metric.kind()));
                input.put("alpha", experiment.alpha());
                input.putAll(extraInput.apply(metric));
                Map<String, Object> output = run(testOf.apply(metric), input);
                outputs.add(output);
                byTreatment.get(treatment).put(metric.name(), output);
            }
            if (holm) {
                correctAcrossTreatments(outputs, P_VALUE);
            }
        }
        return new LinkedHashMap<>(byTreatment);
    }

    private Map<String, Object> srm(Experiment experiment, Map<String, VariantAggregate> byVariant) {
        List<Long> observed = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        byVariant.forEach((variant, aggregate) -> {
            observed.add(aggregate.units());
            weights.add(experiment.weights().get(variant));
        });
        Map<String, Object> output = run(SRM_CHI_SQUARE, Map.of("observed", observed, "weights", weights));
        output.remove("test");
        output.put("mismatch", pValue(output) < SRM_THRESHOLD);
        return output;
    }

    private Map<String, Object> sequential(Experiment experiment, Map<String, VariantAggregate> byVariant,
                                           List<String> treatments) {
        Metric primary = experiment.metric(experiment.primaryMetric());
        Summary control = Summary.of(byVariant.get(experiment.control()).metric(primary.name()), primary.kind());
        boolean running = experiment.status() == ExperimentStatus.RUNNING;
        Map<String, Object> byTreatment = new LinkedHashMap<>();
        List<Map<String, Object>> outputs = new ArrayList<>();
        for (String treatment : treatments) {
            Summary other = Summary.of(byVariant.get(treatment).metric(primary.name()), primary.kind());
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("control", control.meanInput());
            input.put("treatment", other.meanInput());
            input.put("alpha", experiment.alpha());
            input.put("tau", experiment.minimumDetectableEffect());
            Map<String, Object> output = run(MSPRT, input);
            output.put("metric", primary.name());
            double look = pValue(output);
            // only looks while running count; afterwards the minimum so far is read back unchanged
            double minimum = looks.record(experiment.key(), treatment, running && !Double.isNaN(look) ? look : 1);
            output.put("alwaysValidPValue", minimum);
            outputs.add(output);
            byTreatment.put(treatment, output);
        }
        correctAcrossTreatments(outputs, "alwaysValidPValue");
        return byTreatment;
    }

    /** Adds Holm-adjusted p-values when two or more treatments are compared. */
    private static void correctAcrossTreatments(List<Map<String, Object>> outputs, String field) {
        if (outputs.size() < 2) {
            return;
        }
        List<Map<String, Object>> tested = outputs.stream()
                .filter(o -> o.get(field) instanceof Number n && !Double.isNaN(n.doubleValue())).toList();
        double[] adjusted = HolmCorrection.adjust(tested.stream()
                .mapToDouble(o -> ((Number) o.get(field)).doubleValue()).toArray());
        for (int i = 0; i < adjusted.length; i++) {
            tested.get(i).put("adjustedPValue", adjusted[i]);
            tested.get(i).put("correction", "holm");
        }
    }

    private Decision decide(Experiment experiment, Map<String, VariantAggregate> byVariant, List<String> treatments,
                            Map<String, Object> srm, Map<String, Object> sequential, Map<String, Object> guardrails) {
        if (experiment.status() == ExperimentStatus.DRAFT) {
            return new Decision(false, "the experiment has not started", null, false);
        }
        if (experiment.status() != ExperimentStatus.RUNNING) {
            boolean auto = Experiment.AUTO_STOP_ACTOR.equals(experiment.stoppedBy());
            String reason = auto ? "auto-stop moved the experiment to analysing at " + experiment.stoppedAt()
                    : "the experiment was stopped by " + experiment.stoppedBy();
            // the winner named at conclusion, else what the rule recommends on the data now
            String winner = experiment.winner() != null ? experiment.winner()
                    : rule(experiment, byVariant, treatments, srm, sequential, guardrails).winner();
            return new Decision(true, reason, winner, false);
        }
        if (!experiment.autoStop().enabled()) {
            return new Decision(false, "auto-stop is disabled", null, false);
        }
        return rule(experiment, byVariant, treatments, srm, sequential, guardrails);
    }

    /**
     * The auto-stop rule on the data as it is; {@code fire} when it holds. The winner is the significant treatment
     * with the highest primary mean above control's that harms no guardrail, else control.
     */
    private static Decision rule(Experiment experiment, Map<String, VariantAggregate> byVariant,
                                 List<String> treatments, Map<String, Object> srm, Map<String, Object> sequential,
                                 Map<String, Object> guardrails) {
        long minimum = experiment.autoStop().minUnitsPerVariant();
        for (Map.Entry<String, VariantAggregate> variant : byVariant.entrySet()) {
            if (variant.getValue().units() < minimum) {
                return new Decision(false, "variant '" + variant.getKey() + "' has " + variant.getValue().units()
                        + " units; auto-stop waits for " + minimum + " per variant", null, false);
            }
        }
        if (srm.containsKey(ERROR)) {
            return new Decision(false, "the sample ratio cannot be checked: " + srm.get(ERROR), null, false);
        }
        if (Boolean.TRUE.equals(srm.get("mismatch"))) {
            return new Decision(false, "sample ratio mismatch (p = " + srm.get(P_VALUE)
                    + "); auto-stop is suspended until the split is repaired", null, false);
        }
        String best = null;
        double bestMean = Double.NEGATIVE_INFINITY;
        double lowest = 1;
        List<String> significant = new ArrayList<>();
        for (String treatment : treatments) {
            @SuppressWarnings("unchecked")
            Map<String, Object> output = (Map<String, Object>) sequential.get(treatment);
            if (output.containsKey(ERROR)) {
                return new Decision(false, "the sequential test cannot run: " + output.get(ERROR), null, false);
            }
            Object adjusted = output.getOrDefault("adjustedPValue", output.get("alwaysValidPValue"));
            double p = ((Number) adjusted).doubleValue();
            lowest = Math.min(lowest, p);
            double mean = primaryMean(experiment, byVariant.get(treatment));
            if (p < experiment.alpha()) {
                significant.add(treatment);
            }
            if (p < experiment.alpha() && mean > bestMean) {
                best = treatment;
                bestMean = mean;
            }
        }
        if (best == null) {
            return new Decision(false, "no treatment's always-valid p-value of '" + experiment.primaryMetric()
                    + "' is below alpha " + experiment.alpha() + " yet (lowest " + lowest + ")", null, false);
        }
        // a significant treatment that is worse than control, or harms a guardrail, leaves control the one to keep
        String winner = experiment.control();
        double winnerMean = primaryMean(experiment, byVariant.get(experiment.control()));
        StringBuilder blocked = new StringBuilder();
        for (String treatment : significant) {
            double mean = primaryMean(experiment, byVariant.get(treatment));
            String harm = mean > winnerMean ? guardrailHarm(guardrails, treatment) : null;
            if (mean > winnerMean && harm == null) {
                winner = treatment;
                winnerMean = mean;
            } else if (harm != null) {
                blocked.append("; '").append(treatment).append("' cannot win: ").append(harm);
            }
        }
        return new Decision(true, "the always-valid p-value of '" + experiment.primaryMetric() + "' for '" + best
                + "' is below alpha " + experiment.alpha() + " with every variant at " + minimum
                + "+ units and no sample ratio mismatch" + blocked, winner, true);
    }

    /** Why a treatment's guardrails block it (the first harmed or unchecked one), null when none does. */
    @SuppressWarnings("unchecked")
    private static String guardrailHarm(Map<String, Object> guardrails, String treatment) {
        for (Map.Entry<String, Object> entry : ((Map<String, Object>) guardrails.get(treatment)).entrySet()) {
            Map<String, Object> output = (Map<String, Object>) entry.getValue();
            if (output.containsKey(ERROR)) {
                return "guardrail '" + entry.getKey() + "' cannot be checked: " + output.get(ERROR);
            }
            if (Boolean.TRUE.equals(output.get("harmful"))) {
                return "it harms guardrail '" + entry.getKey() + "' (one-sided p = " + output.get(P_VALUE) + ")";
            }
            // no spread in either arm: the harm is exact, and blocks when it exceeds the margin
            if (output.get("harmful") == null && output.get("harm") instanceof Number harm
                    && harm.doubleValue() > ((Number) output.get("margin")).doubleValue()) {
                return "it harms guardrail '" + entry.getKey() + "' in every unit (harm " + harm + ")";
            }
        }
        return null;
    }

    private static double primaryMean(Experiment experiment, VariantAggregate aggregate) {
        Metric primary = experiment.metric(experiment.primaryMetric());
        return Summary.of(aggregate.metric(primary.name()), primary.kind()).mean();
    }

    /** Runs a test; a missing or failing plugin becomes an error entry, never an exception. */
    private Map<String, Object> run(String name, Map<String, Object> input) {
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("test", name);
        StatisticalTest test = tests.apply(name);
        if (test == null) {
            output.put(ERROR, "statistical test '" + name + "' is not installed");
            return output;
        }
        try {
            output.putAll(test.compute(input));
        } catch (RuntimeException e) {
            output.put(ERROR, "statistical test '" + name + "' failed: " + e.getMessage());
        }
        return output;
    }

    private static double pValue(Map<String, Object> output) {
        return output.get(P_VALUE) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static Object number(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
