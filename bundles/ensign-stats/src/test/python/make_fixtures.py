#!/usr/bin/env python3
"""Reference outputs for ensign-stats, computed independently of the Java code with SciPy and NumPy.

Run from anywhere:  python3 bundles/ensign-stats/src/test/python/make_fixtures.py
It rewrites src/test/resources/fixtures/<test>.json; commit the script and the fixtures together.
Each fixture file is {"test": name, "generator": versions, "cases": [{"name", "input", "expected"}]}.
Conventions (docs/statistics.md): a quantity that is NaN or infinite is null; when the standard error
of the difference is 0, every quantity derived from it (statistic, df, p-value, bounds, power) is null.
"""
import json
import math
import pathlib
import sys

import numpy as np
import scipy
from scipy import stats

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "fixtures"
DEFAULT_ALPHA = 0.05


def num(x):
    """A JSON number, or None for NaN/inf (the Java side must return null there)."""
    x = float(x)
    return x if math.isfinite(x) else None


def interval(estimate, lower, upper):
    return {"estimate": num(estimate), "lower": num(lower), "upper": num(upper)}


def with_alpha(body, alpha):
    return body if alpha is None else {**body, "alpha": alpha}


def achieved_power(diff, se, alpha):
    if not se > 0:
        return None
    z = stats.norm.ppf(1 - alpha / 2)
    shift = abs(diff) / se
    return num(stats.norm.cdf(shift - z) + stats.norm.cdf(-shift - z))


def relative_lift(mc, var_mc, mt, var_mt, alpha, difference_se):
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = np.float64(mt - mc) / np.float64(mc)
        se = np.sqrt(var_mt / np.float64(mc) ** 2 + mt ** 2 * var_mc / np.float64(mc) ** 4)
    if not difference_se > 0:
        return interval(estimate, math.nan, math.nan)
    z = stats.norm.ppf(1 - alpha / 2)
    with np.errstate(invalid="ignore"):
        return interval(estimate, estimate - z * se, estimate + z * se)


def welch(control, treatment, alpha=None):
    a = DEFAULT_ALPHA if alpha is None else alpha
    nc, mc, vc = control["n"], control["mean"], control["variance"]
    nt, mt, vt = treatment["n"], treatment["mean"], treatment["variance"]
    with np.errstate(divide="ignore", invalid="ignore"):
        res = stats.ttest_ind_from_stats(mt, math.sqrt(vt), nt, mc, math.sqrt(vc), nc, equal_var=False)
        sc, st = np.float64(vc) / nc, np.float64(vt) / nt
        df = (sc + st) ** 2 / (sc ** 2 / (nc - 1) + st ** 2 / (nt - 1))
        cohen = (mt - mc) / np.sqrt(((nc - 1) * vc + (nt - 1) * vt) / np.float64(nc + nt - 2))
    se = math.sqrt(sc + st)
    diff = mt - mc
    # SciPy reports t = inf, p = 0 for two constant arms with different means; Ensign's convention is null
    defined = se > 0
    half = stats.t.ppf(1 - a / 2, df) * se if defined else math.nan
    return {
        "statistic": num(res.statistic) if defined else None,
        "degreesOfFreedom": num(df),
        "pValue": num(res.pvalue) if defined else None,
        "difference": interval(diff, diff - half, diff + half),
        "relativeLift": relative_lift(mc, sc, mt, st, a, se),
        "cohensD": num(cohen),
        "power": achieved_power(diff, se, a),
    }


def proportions(control, treatment, alpha=None):
    a = DEFAULT_ALPHA if alpha is None else alpha
    nc, xc = control["n"], control["successes"]
    nt, xt = treatment["n"], treatment["successes"]
    pc, pt = xc / nc, xt / nt
    pooled = (xc + xt) / (nc + nt)
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / nc + 1 / nt))
    var_c, var_t = pc * (1 - pc) / nc, pt * (1 - pt) / nt
    se1 = math.sqrt(var_c + var_t)
    diff = pt - pc
    z_stat = diff / se0 if se0 > 0 else math.nan
    p_value = 2 * stats.norm.sf(abs(z_stat)) if se0 > 0 else math.nan
    half = stats.norm.ppf(1 - a / 2) * se1 if se1 > 0 else math.nan
    return {
        "statistic": num(z_stat),
        "pValue": num(p_value),
        "difference": interval(diff, diff - half, diff + half),
        "relativeLift": relative_lift(pc, var_c, pt, var_t, a, se1),
        "power": achieved_power(diff, se1, a),
    }


def srm(observed, weights):
    obs = np.asarray(observed, dtype=float)
    w = np.asarray(weights, dtype=float)
    expected = obs.sum() * w / w.sum()
    res = stats.chisquare(obs, f_exp=expected)
    return {"statistic": num(res.statistic), "degreesOfFreedom": num(len(obs) - 1), "pValue": num(res.pvalue)}


def sample_size(body):
    alpha = body.get("alpha", DEFAULT_ALPHA)
    power = body.get("power", 0.8)
    if "baselineRate" in body:
        variance = body["baselineRate"] * (1 - body["baselineRate"])
    else:
        variance = body["standardDeviation"] ** 2
    raw = 2 * (stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)) ** 2 * variance / body["minimumDetectableEffect"] ** 2
    # a fixture right at an integer would test rounding noise, not the formula
    assert abs(raw - round(raw)) > 1e-6 or raw < 1, raw
    return {"perVariant": float(math.ceil(raw))}


def msprt(control, treatment, alpha=None, tau=None, mde=None):
    a = DEFAULT_ALPHA if alpha is None else alpha
    nc, mc, vc = control["n"], control["mean"], control["variance"]
    nt, mt, vt = treatment["n"], treatment["mean"], treatment["variance"]
    if tau is None:
        tau = mde if mde is not None else 0.1 * math.sqrt(((nc - 1) * vc + (nt - 1) * vt) / (nc + nt - 2))
    V = vt / nt + vc / nc
    theta = mt - mc
    t2 = tau * tau
    if V > 0 and t2 > 0:
        with np.errstate(over="ignore"):
            lam = np.sqrt(V / (V + t2)) * np.exp(np.float64(t2 * theta ** 2 / (2 * V * (V + t2))))
        log_lam = 0.5 * math.log(V / (V + t2)) + t2 * theta ** 2 / (2 * V * (V + t2))
        p = min(1.0, math.exp(-log_lam))
        half = math.sqrt((V * (V + t2) / t2) * (math.log((V + t2) / V) + 2 * math.log(1 / a)))
    else:
        lam = log_lam = p = half = math.nan
    return {
        "lambda": num(lam),
        "logLambda": num(log_lam),
        "pValue": num(p),
        "confidenceSequence": interval(theta, theta - half, theta + half),
        "tau": num(tau),
    }


def arm(body):
    """An arm's estimate and the variance of that estimate: s²/n of a mean, p(1-p)/n of a rate."""
    if "successes" in body:
        p = body["successes"] / body["n"]
        return p, p * (1 - p) / body["n"]
    return body["mean"], body["variance"] / body["n"]


def integral(f, loc, scale):
    """The integral of f over the real line, by quadrature around loc (tight tolerances)."""
    from scipy import integrate
    pieces = [loc + k * scale for k in (-40, -8, -2, 0, 2, 8, 40)]
    return sum(integrate.quad(f, a, b, epsabs=0, epsrel=1e-13, limit=500)[0] for a, b in zip(pieces, pieces[1:]))


def bayesian_lift(control, treatment, alpha=None, scale="relative", prior=None):
    """Posterior by numerical integration of prior x likelihood, decision quantities by quadrature and
    scipy.stats.norm, independently of the closed forms in BayesianLiftTest. The relative scale's effect is
    the log-ratio ln(m_t/m_c), its lift exp(effect) - 1."""
    a = DEFAULT_ALPHA if alpha is None else alpha

    mc, vc = arm(control)
    mt, vt = arm(treatment)
    relative = scale == "relative"
    positive = mc > 0 and mt > 0
    est = var = math.nan
    if relative and positive:
        est, var = math.log(mt) - math.log(mc), vt / mt ** 2 + vc / mc ** 2
    elif not relative:
        est, var = mt - mc, vt + vc
    prior_out = {"mean": None, "standardDeviation": None} if prior is None else {
        "mean": float(prior.get("mean", 0.0)), "standardDeviation": float(prior["standardDeviation"])}
    defined = (vt + vc) > 0 and (positive or not relative)
    out = {
        "estimate": {"mean": num(est), "standardDeviation": num(math.sqrt(var)) if defined else None},
        "prior": prior_out,
    }
    if not defined:
        out.update({"posterior": {"mean": None, "standardDeviation": None},
                    "credibleInterval": interval(math.nan, math.nan, math.nan), "expectedLift": None,
                    "chanceToBeatControl": None, "risk": {"control": None, "treatment": None}})
        return out
    sd = math.sqrt(var)
    if prior is None:
        mu, sigma = est, sd
    else:
        pm, ps = prior_out["mean"], prior_out["standardDeviation"]
        # quadrature around the posterior's bulk; the integrand is prior x likelihood, unnormalised
        centre = (est / var + pm / ps ** 2) / (1 / var + 1 / ps ** 2)
        width = 1 / math.sqrt(1 / var + 1 / ps ** 2)
        post = lambda x: stats.norm.pdf(x, est, sd) * stats.norm.pdf(x, pm, ps)
        z = integral(post, centre, width)
        mu = integral(lambda x: x * post(x), centre, width) / z
        sigma = math.sqrt(integral(lambda x: (x - mu) ** 2 * post(x), centre, width) / z)
    density = lambda x: stats.norm.pdf(x, mu, sigma)
    lift = np.expm1 if relative else (lambda x: x)
    lower, upper = stats.norm.ppf(a / 2, mu, sigma), stats.norm.isf(a / 2, mu, sigma)
    out.update({
        "posterior": {"mean": num(mu), "standardDeviation": num(sigma)},
        "credibleInterval": interval(lift(mu), lift(lower), lift(upper)),
        "expectedLift": num(integral(lambda x: lift(x) * density(x), mu, sigma)),
        "chanceToBeatControl": num(stats.norm.sf(0, mu, sigma)),
        "risk": {"control": num(integral(lambda x: max(lift(x), 0.0) * density(x), mu, sigma)),
                 "treatment": num(integral(lambda x: max(-lift(x), 0.0) * density(x), mu, sigma))},
    })
    return out


def guardrail(control, treatment, alpha=None, direction="higher-is-better", margin=None):
    """One-sided test of harm beyond the margin with scipy.stats.norm, written apart from GuardrailTest."""
    a = DEFAULT_ALPHA if alpha is None else alpha
    m = 0.0 if margin is None else float(margin)

    mc, vc = arm(control)
    mt, vt = arm(treatment)
    harm = (mc - mt) if direction == "higher-is-better" else (mt - mc)
    se = math.sqrt(vc + vt)
    if not se > 0:
        return {"harm": num(harm), "margin": m, "statistic": None, "pValue": None, "harmUpperBound": None,
                "harmful": None, "nonInferior": None}
    z = (harm - m) / se
    p = stats.norm.sf(z)
    upper = harm + stats.norm.isf(a) * se
    return {"harm": num(harm), "margin": m, "statistic": num(z), "pValue": num(p), "harmUpperBound": num(upper),
            "harmful": bool(p < a), "nonInferior": bool(upper < m)}


def mean_arm(n, mean, variance):
    return {"n": n, "mean": mean, "variance": variance}


def prop_arm(n, successes):
    return {"n": n, "successes": successes}


def two_arm_cases(fn, specs):
    cases = []
    for name, control, treatment, alpha, *extra in specs:
        extra = extra[0] if extra else {}
        body = with_alpha({"control": control, "treatment": treatment, **extra}, alpha)
        if fn is msprt:
            kwargs = {"tau": extra.get("tau"), "mde": extra.get("minimumDetectableEffect")}
        elif fn is guardrail:
            kwargs = {"direction": extra.get("direction", "higher-is-better"), "margin": extra.get("margin")}
        elif fn is bayesian_lift:
            kwargs = {"scale": extra.get("scale", "relative"), "prior": extra.get("prior")}
        else:
            kwargs = {}
        cases.append({"name": name, "input": body, "expected": fn(control, treatment, alpha, **kwargs)})
    return cases


WELCH = [
    ("typical arms, default alpha", mean_arm(100, 10.0, 4.0), mean_arm(120, 10.5, 5.0), None),
    ("very unequal variances and n, alpha 0.01", mean_arm(10, 5.0, 100.0), mean_arm(5000, 6.0, 0.01), 0.01),
    ("a million units per arm", mean_arm(1_000_000, 0.101, 0.09), mean_arm(1_000_000, 0.1012, 0.0905), None),
    ("a million units per arm, tiny p-value", mean_arm(1_000_000, 10.0, 4.0), mean_arm(1_000_000, 10.05, 4.0), None),
    ("tiny p-value", mean_arm(500, 10.0, 1.0), mean_arm(500, 12.0, 1.2), None),
    ("negative difference, alpha 0.1", mean_arm(40, 3.2, 2.5), mean_arm(35, 2.7, 3.1), 0.1),
    ("smallest arms", mean_arm(2, 1.0, 0.5), mean_arm(3, 2.0, 1.5), 0.01),
    ("control without spread", mean_arm(50, 1.0, 0.0), mean_arm(60, 1.2, 0.3), None),
    ("no spread in either arm gives nulls", mean_arm(10, 1.0, 0.0), mean_arm(10, 2.0, 0.0), None),
    ("control mean zero leaves relative lift undefined", mean_arm(200, 0.0, 1.0), mean_arm(200, 0.15, 1.1), None),
    ("negative control mean", mean_arm(300, -5.0, 9.0), mean_arm(250, -4.2, 12.0), 0.1),
    ("equal means", mean_arm(80, 3.0, 1.0), mean_arm(90, 3.0, 2.0), None),
]

PROPORTIONS = [
    ("typical arms, default alpha", prop_arm(1000, 100), prop_arm(1000, 120), None),
    ("a million units per arm", prop_arm(1_000_000, 50_000), prop_arm(1_000_000, 50_500), None),
    ("tiny p-value", prop_arm(10_000, 1_000), prop_arm(10_000, 1_500), None),
    ("p-value near 1e-135", prop_arm(50_000, 5_000), prop_arm(50_000, 7_600), None),
    ("negative difference, alpha 0.01", prop_arm(5_000, 600), prop_arm(5_200, 540), 0.01),
    ("very unequal n, alpha 0.1", prop_arm(200, 30), prop_arm(20_000, 3_300), 0.1),
    ("control without successes", prop_arm(500, 0), prop_arm(500, 5), None),
    ("no successes anywhere gives nulls", prop_arm(100, 0), prop_arm(100, 0), None),
    ("every unit a success gives nulls", prop_arm(50, 50), prop_arm(60, 60), None),
    ("none against all", prop_arm(100, 0), prop_arm(100, 100), None),
    ("equal rates", prop_arm(400, 40), prop_arm(800, 80), None),
]

SRM = [
    ("balanced split, small deviation", [5000, 5100], [50, 50]),
    ("balanced split, clear mismatch", [5000, 5300], [1, 1]),
    ("three arms", [3300, 3350, 3250], [1, 1, 1]),
    ("three arms, unequal weights", [2000, 5000, 3100], [20, 50, 30]),
    ("tiny p-value", [10_000, 11_500], [50, 50]),
    ("exact match", [500, 500], [50, 50]),
    ("four arms", [100, 120, 90, 95], [25, 25, 25, 25]),
    ("a million units", [1_000_000, 1_002_000], [1, 1]),
    ("fractional weights 90/10", [9050, 950], [0.9, 0.1]),
    ("p-value below double range", [10_000, 20_000], [1, 1]),
]

SAMPLE_SIZE = [
    ("defaults", {"standardDeviation": 1.0, "minimumDetectableEffect": 0.1}),
    ("baseline rate", {"baselineRate": 0.1, "minimumDetectableEffect": 0.01}),
    ("alpha 0.01, power 0.9", {"standardDeviation": 2.5, "minimumDetectableEffect": 0.3, "alpha": 0.01, "power": 0.9}),
    ("alpha 0.1, power 0.95", {"standardDeviation": 4.0, "minimumDetectableEffect": 0.7, "alpha": 0.1, "power": 0.95}),
    ("baseline rate one half", {"baselineRate": 0.5, "minimumDetectableEffect": 0.05}),
    ("large effect", {"standardDeviation": 10.0, "minimumDetectableEffect": 5.0}),
    ("rare conversions, alpha 0.01", {"baselineRate": 0.02, "minimumDetectableEffect": 0.002, "alpha": 0.01}),
    ("power one half", {"standardDeviation": 1.0, "minimumDetectableEffect": 0.2, "power": 0.5}),
    ("effect far larger than spread", {"standardDeviation": 1.0, "minimumDetectableEffect": 50.0}),
    ("tiny effect", {"standardDeviation": 0.3, "minimumDetectableEffect": 0.001}),
]

MSPRT = [
    ("default tau from pooled spread", mean_arm(1000, 10.0, 4.0), mean_arm(1000, 10.3, 4.2), None),
    ("explicit tau", mean_arm(1000, 10.0, 4.0), mean_arm(1000, 10.3, 4.2), None, {"tau": 0.5}),
    ("tau from minimum detectable effect", mean_arm(5000, 1.0, 1.0), mean_arm(5000, 1.05, 1.0), None,
     {"minimumDetectableEffect": 0.2}),
    ("alpha 0.01", mean_arm(2000, 3.0, 2.0), mean_arm(2100, 3.2, 2.5), 0.01, {"tau": 0.1}),
    ("negative difference, alpha 0.1", mean_arm(400, 7.0, 9.0), mean_arm(380, 6.1, 8.0), 0.1),
    ("lambda overflows but p-value is 0", mean_arm(1_000_000, 10.0, 1.0), mean_arm(1_000_000, 11.0, 1.0), None,
     {"tau": 1.0}),
    ("no difference", mean_arm(500, 2.0, 1.0), mean_arm(500, 2.0, 1.0), None),
    ("no spread in either arm gives nulls", mean_arm(10, 1.0, 0.0), mean_arm(10, 2.0, 0.0), None, {"tau": 1.0}),
    ("very unequal arms", mean_arm(20, 5.0, 50.0), mean_arm(4000, 5.5, 0.5), None),
    ("a million units per arm", mean_arm(1_000_000, 0.101, 0.09), mean_arm(1_000_000, 0.1012, 0.0905), None),
]

BAYESIAN_LIFT = [
    ("proportions, flat prior", prop_arm(10_000, 1_000), prop_arm(10_000, 1_080), None),
    ("means, flat prior", mean_arm(1000, 10.0, 4.0), mean_arm(1000, 10.2, 4.4), None),
    ("means, proper prior 0 +- 0.3 (GrowthBook's)", mean_arm(200, 10.0, 25.0), mean_arm(210, 11.5, 30.0), None,
     {"prior": {"standardDeviation": 0.3}}),
    ("proportions, tight prior shrinks a small-sample lift, alpha 0.2", prop_arm(300, 30), prop_arm(300, 45), 0.2,
     {"prior": {"mean": 0.0, "standardDeviation": 0.05}}),
    ("prior with a non-zero mean, alpha 0.1", prop_arm(2000, 240), prop_arm(2000, 250), 0.1,
     {"prior": {"mean": 0.02, "standardDeviation": 0.04}}),
    ("absolute scale, negative means", mean_arm(400, -5.0, 9.0), mean_arm(380, -4.6, 10.0), None,
     {"scale": "absolute"}),
    ("absolute scale with prior, alpha 0.01", mean_arm(500, 2.0, 1.0), mean_arm(500, 1.9, 1.2), 0.01,
     {"scale": "absolute", "prior": {"mean": 0.0, "standardDeviation": 0.1}}),
    ("treatment clearly worse", prop_arm(50_000, 5_000), prop_arm(50_000, 4_500), None),
    ("a million units per arm", mean_arm(1_000_000, 0.101, 0.09), mean_arm(1_000_000, 0.1012, 0.0905), None),
    ("negative control mean leaves relative lift undefined", mean_arm(300, -5.0, 9.0), mean_arm(250, -4.2, 12.0), None),
    ("treatment mean zero leaves relative lift undefined", mean_arm(300, 1.0, 1.0), mean_arm(300, 0.0, 1.0), None),
    ("no spread on the relative scale keeps the estimate", mean_arm(10, 1.0, 0.0), mean_arm(10, 2.0, 0.0), None),
    ("control without successes leaves relative lift undefined", prop_arm(500, 0), prop_arm(500, 5), None),
    ("no spread in either arm gives nulls", mean_arm(10, 1.0, 0.0), mean_arm(10, 2.0, 0.0), None,
     {"scale": "absolute"}),
    ("equal arms", mean_arm(80, 3.0, 1.0), mean_arm(80, 3.0, 1.0), None),
]

GUARDRAIL = [
    ("no harm, default alpha", mean_arm(5000, 10.0, 4.0), mean_arm(5000, 10.02, 4.1), None),
    ("significant harm", mean_arm(5000, 10.0, 4.0), mean_arm(5000, 9.85, 4.2), None),
    ("harm within the margin", mean_arm(5000, 10.0, 4.0), mean_arm(5000, 9.95, 4.2), None, {"margin": 0.2}),
    ("harm beyond the margin", mean_arm(20_000, 10.0, 4.0), mean_arm(20_000, 9.7, 4.2), None, {"margin": 0.2}),
    ("lower is better: error rate up", prop_arm(10_000, 200), prop_arm(10_000, 260), None,
     {"direction": "lower-is-better"}),
    ("lower is better: error rate down", prop_arm(10_000, 200), prop_arm(10_000, 150), 0.01,
     {"direction": "lower-is-better"}),
    ("proportions, alpha 0.1", prop_arm(2000, 400), prop_arm(2100, 395), 0.1),
    ("latency, lower is better, margin", mean_arm(800, 120.0, 900.0), mean_arm(820, 121.0, 950.0), None,
     {"direction": "lower-is-better", "margin": 5.0}),
    ("tiny p-value", prop_arm(50_000, 5_000), prop_arm(50_000, 4_200), None),
    ("no spread in either arm gives nulls", mean_arm(10, 1.0, 0.0), mean_arm(10, 0.5, 0.0), None),
]


def write(test, cases):
    OUT.mkdir(parents=True, exist_ok=True)
    document = {
        "test": test,
        "generator": f"make_fixtures.py with python {sys.version.split()[0]}, scipy {scipy.__version__}, numpy {np.__version__}",
        "cases": cases,
    }
    (OUT / f"{test}.json").write_text(json.dumps(document, indent=1, allow_nan=False) + "\n")


def main():
    write("welch-t", two_arm_cases(welch, WELCH))
    write("two-proportion-z", two_arm_cases(proportions, PROPORTIONS))
    write("srm-chi-square", [{"name": n, "input": {"observed": o, "weights": w}, "expected": srm(o, w)} for n, o, w in SRM])
    write("sample-size", [{"name": n, "input": body, "expected": sample_size(body)} for n, body in SAMPLE_SIZE])
    write("msprt", two_arm_cases(msprt, MSPRT))
    write("bayesian-lift", two_arm_cases(bayesian_lift, BAYESIAN_LIFT))
    write("guardrail", two_arm_cases(guardrail, GUARDRAIL))


if __name__ == "__main__":
    main()
