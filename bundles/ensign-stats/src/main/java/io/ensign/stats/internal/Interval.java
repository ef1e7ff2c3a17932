package io.ensign.stats.internal;

/** A point estimate with the bounds of its confidence interval (or confidence sequence). */
record Interval(double estimate, double lower, double upper) {

    /** The symmetric interval {@code estimate ± halfWidth}; bounds are undefined when the width is. */
    static Interval around(double estimate, double halfWidth) {
        return new Interval(estimate, estimate - halfWidth, estimate + halfWidth);
    }

    OutputMap toOutput() {
        return new OutputMap().number("estimate", estimate).number("lower", lower).number("upper", upper);
    }
}
