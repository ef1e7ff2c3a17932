package io.ensign.stats.internal;

/**
 * A normal prior N(mean, standardDeviation²) on an effect, or the flat (improper) prior when
 * {@code standardDeviation} is infinite. Read from the optional {@code prior} object of a test's input:
 * absent means flat; present needs {@code standardDeviation} (> 0) and takes {@code mean} (default 0).
 */
record NormalPrior(double mean, double standardDeviation) {
    static final NormalPrior FLAT = new NormalPrior(0, Double.POSITIVE_INFINITY);

    static NormalPrior read(InputReader reader) {
        if (!reader.has("prior")) {
            return FLAT;
        }
        InputReader prior = reader.object("prior");
        return new NormalPrior(prior.has("mean") ? prior.number("mean") : 0, prior.positive("standardDeviation"));
    }

    /** The posterior after a normal likelihood N(estimate, variance) of the effect: precision weighting. */
    NormalPosterior update(double estimate, double variance) {
        if (Double.isInfinite(standardDeviation)) {
            return new NormalPosterior(estimate, Math.sqrt(variance));
        }
        double priorPrecision = 1 / (standardDeviation * standardDeviation);
        double precision = 1 / variance + priorPrecision;
        return new NormalPosterior((estimate / variance + mean * priorPrecision) / precision,
                Math.sqrt(1 / precision));
    }

    /** {@code {"mean","standardDeviation"}}, both null for the flat prior. */
    OutputMap toOutput() {
        boolean flat = Double.isInfinite(standardDeviation);
        return new OutputMap().number("mean", flat ? Double.NaN : mean).number("standardDeviation", standardDeviation);
    }
}
