package io.ensign.experiments.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.experiment.Experiment;
import io.ensign.api.experiment.Metric;
import io.ensign.api.model.Flag;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;

/**
 * Checks an experiment against its own rules and against the flag and environment it names, collecting every
 * violation with the JSON pointer of its field so a writer learns of all of them at once.
 */
final class ExperimentValidation {
    static final String RULE = "experiment";
    private static final Pattern KEY = Pattern.compile(Flag.KEY_PATTERN);

    private final FlagCatalog catalog;

    ExperimentValidation(FlagCatalog catalog) {
        this.catalog = catalog;
    }

    /** Throws {@link ValidationException} listing every violation; returns the experiment's flag otherwise. */
    Flag check(Experiment experiment) {
        List<Violation> violations = new ArrayList<>();
        if (!KEY.matcher(experiment.key()).matches()) {
            violations.add(fail("/key", "must match " + Flag.KEY_PATTERN));
        }
        Flag flag = null;
        if (experiment.flag() == null) {
            violations.add(fail("/flag", "is required"));
        } else {
            Optional<Flag> found = catalog.flag(experiment.flag());
            if (found.isEmpty()) {
                violations.add(fail("/flag", "flag '" + experiment.flag() + "' does not exist"));
            }
            flag = found.orElse(null);
        }
        if (experiment.environment() == null) {
            violations.add(fail("/environment", "is required"));
        } else if (catalog.environment(experiment.environment()).isEmpty()) {
            violations.add(fail("/environment", "environment '" + experiment.environment() + "' does not exist"));
        }
        checkVariants(experiment, flag, violations);
        checkMetrics(experiment, violations);
        checkOpenUnitInterval(experiment.alpha(), "/alpha", violations);
        checkOpenUnitInterval(experiment.power(), "/power", violations);
        if (!(experiment.minimumDetectableEffect() > 0) || Double.isInfinite(experiment.minimumDetectableEffect())) {
            violations.add(fail("/minimumDetectableEffect", "must be a number above 0"));
        }
        if (experiment.autoStop().enabled() && experiment.autoStop().minUnitsPerVariant() < 2) {
            violations.add(fail("/autoStop/minUnitsPerVariant",
                    "must be at least 2 when auto-stop is enabled: variances need two units"));
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        return flag;
    }

    private static void checkVariants(Experiment experiment, Flag flag, List<Violation> violations) {
        Map<String, Double> weights = experiment.weights();
        if (weights.size() < 2) {
            violations.add(fail("/weights", "must name at least two variants"));
        }
        weights.forEach((variant, weight) -> {
            String at = "/weights/" + escape(variant);
            if (flag != null && !flag.variants().containsKey(variant)) {
                violations.add(fail(at, "flag '" + flag.key() + "' has no variant '" + variant + "'"));
            }
            if (weight == null || !(weight > 0) || weight.isInfinite()) {
                violations.add(fail(at, "must be a number above 0"));
            }
        });
        if (experiment.control() == null) {
            violations.add(fail("/control", "is required"));
        } else if (!weights.containsKey(experiment.control())) {
            violations.add(fail("/control", "must be one of the variants in weights"));
        }
    }

    private static void checkMetrics(Experiment experiment, List<Violation> violations) {
        List<Metric> metrics = experiment.metrics();
        if (metrics.isEmpty()) {
            violations.add(fail("/metrics", "must name at least one metric"));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < metrics.size(); i++) {
            String name = metrics.get(i).name();
            if (name.isEmpty()) {
                violations.add(fail("/metrics/" + i + "/name", "must not be empty"));
            } else if (!names.add(name)) {
                violations.add(fail("/metrics/" + i + "/name", "metric '" + name + "' is named twice"));
            }
            Metric.Guardrail guardrail = metrics.get(i).guardrail();
            if (guardrail != null && !(guardrail.margin() >= 0 && Double.isFinite(guardrail.margin()))) {
                violations.add(fail("/metrics/" + i + "/guardrail/margin", "must be a finite number >= 0"));
            }
        }
        if (experiment.primaryMetric() == null) {
            violations.add(fail("/primaryMetric", "is required"));
        } else if (!names.contains(experiment.primaryMetric())) {
            violations.add(fail("/primaryMetric", "must be one of the metrics"));
        } else if (experiment.metric(experiment.primaryMetric()).guardrail() != null) {
            violations.add(fail("/primaryMetric", "must not be a guardrail: guardrails guard the primary metric's winner"));
        }
    }

    private static void checkOpenUnitInterval(double value, String field, List<Violation> violations) {
        if (!(value > 0 && value < 1)) {
            violations.add(fail(field, "must be between 0 and 1, both excluded"));
        }
    }

    static Violation fail(String field, String message) {
        return Violation.error(RULE, field, message);
    }

    /** JSON pointer escaping of one reference token (RFC 6901). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
