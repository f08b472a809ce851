"""Numbers that say whether a generator is right, each meant to sit beside its real-vs-real baseline.

A metric computed on generated data means little alone: two independent real
samples of the same size never agree exactly. :func:`gan_utils.evaluation.real_vs_real` measures that
spread, so every comparison in the course reads "generated vs real, and how far
apart two real sets are".

Contents: the theory checks of chapter 1 (optimal discriminator, value function,
Jensen-Shannon divergence), a multivariate two-sample distance (energy
distance), mode coverage for mixtures, and structural statistics of well logs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import integrate

# ----------------------------------------------------------------------------- theory (chapter 1)


def optimal_discriminator(p_data: np.ndarray, p_g: np.ndarray) -> np.ndarray:
    """D*(x) = p_data(x) / (p_data(x) + p_g(x)) (Goodfellow et al. 2014, Prop. 1).

    Where both densities vanish D* is undefined; it is returned as 0.5 there."""
    p_data, p_g = np.asarray(p_data, float), np.asarray(p_g, float)
    if p_data.shape != p_g.shape:
        raise ValueError(f"densities differ in shape: {p_data.shape} vs {p_g.shape}")
    if (p_data < 0).any() or (p_g < 0).any():
        raise ValueError("densities must be non-negative")
    total = p_data + p_g
    out = np.full_like(total, 0.5)
    np.divide(p_data, total, out=out, where=total > 0)
    return out


def value_function(d: np.ndarray, p_data: np.ndarray, p_g: np.ndarray, x: np.ndarray) -> float:
    """V(D, G) = integral of p_data log D + p_g log(1 - D) dx on the grid ``x`` (trapezoid rule)."""
    d = np.clip(np.asarray(d, float), 1e-12, 1 - 1e-12)
    integrand = np.asarray(p_data) * np.log(d) + np.asarray(p_g) * np.log1p(-d)
    return float(integrate.trapezoid(integrand, x))


def jensen_shannon(p: np.ndarray, q: np.ndarray, x: np.ndarray) -> float:
    """JSD(p || q) in nats for densities tabulated on the grid ``x`` (0 <= JSD <= log 2)."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    m = 0.5 * (p + q)

    def kl(a: np.ndarray) -> float:
        ratio = np.ones_like(a)
        np.divide(a, m, out=ratio, where=(a > 0) & (m > 0))
        return float(integrate.trapezoid(a * np.log(ratio), x))

    return 0.5 * kl(p) + 0.5 * kl(q)


# ----------------------------------------------------------------------------- two-sample distances


def _as_2d(x: np.ndarray, name: str) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[0] < 2:
        raise ValueError(f"{name} must be an array of shape (n >= 2, dim), got shape {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return x


def _mean_pairwise(a: np.ndarray, b: np.ndarray) -> float:
    diff = a[:, None, :] - b[None, :, :]
    return float(np.sqrt((diff**2).sum(-1)).mean())


def energy_distance(x: np.ndarray, y: np.ndarray) -> float:
    """Energy distance sqrt(2 E|X-Y| - E|X-X'| - E|Y-Y'|) between two samples (rows are points).

    Zero only when the two distributions are equal (Szekely & Rizzo 2013). Computed
    with V-statistics, so in one dimension it equals :func:`scipy.stats.energy_distance`."""
    x, y = _as_2d(x, "x"), _as_2d(y, "y")
    if x.shape[1] != y.shape[1]:
        raise ValueError(f"samples differ in dimension: {x.shape[1]} vs {y.shape[1]}")
    value = 2 * _mean_pairwise(x, y) - _mean_pairwise(x, x) - _mean_pairwise(y, y)
    return float(np.sqrt(max(value, 0.0)))


# ----------------------------------------------------------------------------- mixtures


def mode_coverage(samples: np.ndarray, centres: np.ndarray, radius: float) -> tuple[np.ndarray, float]:
    """Fraction of ``samples`` within ``radius`` of each centre, and the fraction near none.

    A generator that has dropped a mode shows a fraction near 0 for it; one that
    smears between modes shows a large "near none" fraction."""
    samples, centres = _as_2d(samples, "samples"), np.asarray(centres, float)
    if radius <= 0:
        raise ValueError(f"radius must be positive, got {radius}")
    dist = np.linalg.norm(samples[:, None, :] - centres[None, :, :], axis=-1)
    nearest = dist.argmin(axis=1)
    close = dist.min(axis=1) <= radius
    per_mode = np.array([np.mean(close & (nearest == k)) for k in range(len(centres))])
    return per_mode, float(1 - close.mean())


# ----------------------------------------------------------------------------- well logs


def _as_logs(logs: np.ndarray) -> np.ndarray:
    logs = np.asarray(logs, dtype=np.float64)
    if logs.ndim != 2 or logs.shape[1] < 2:
        raise ValueError(f"logs must be an array of shape (n_logs, n_depth >= 2), got {logs.shape}")
    if not np.isfinite(logs).all():
        raise ValueError("logs contain NaN or infinite values")
    return logs


def transitions_per_log(logs: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """How many times each log crosses ``threshold`` (bed boundaries after thresholding)."""
    facies = _as_logs(logs) > threshold
    return np.abs(np.diff(facies.astype(int), axis=1)).sum(axis=1)


def lag_autocorrelation(logs: np.ndarray, lag: int = 1) -> float:
    """Mean over logs of the lag-``lag`` autocorrelation of each log (about its own mean)."""
    logs = _as_logs(logs)
    if not 1 <= lag < logs.shape[1]:
        raise ValueError(f"lag must be in 1..{logs.shape[1] - 1}, got {lag}")
    x = logs - logs.mean(axis=1, keepdims=True)
    var = (x**2).sum(axis=1)
    cov = (x[:, :-lag] * x[:, lag:]).sum(axis=1)
    ok = var > 0
    return float(np.mean(cov[ok] / var[ok])) if ok.any() else 0.0


def fraction_between(logs: np.ndarray, low: float = 0.4, high: float = 0.6) -> float:
    """Fraction of all values strictly between ``low`` and ``high`` (between the facies levels)."""
    logs = _as_logs(logs)
    return float(np.mean((logs > low) & (logs < high)))


def shale_fraction(logs: np.ndarray, threshold: float = 0.5) -> float:
    """Fraction of all samples above ``threshold`` (the shale facies)."""
    return float(np.mean(_as_logs(logs) > threshold))


def total_variation(logs: np.ndarray) -> float:
    """Mean over logs of the sum of absolute sample-to-sample changes (texture plus edges)."""
    return float(np.abs(np.diff(_as_logs(logs), axis=1)).sum(axis=1).mean())


def bed_thicknesses(logs: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Thickness (samples) of every bed after thresholding, leaving out the first and last
    bed of each log (cut by the log's ends)."""
    facies = _as_logs(logs) > threshold
    out: list[np.ndarray] = []
    for row in facies:
        edges = np.flatnonzero(np.diff(row.astype(np.int8))) + 1
        if len(edges) >= 2:
            out.append(np.diff(edges))
    return np.concatenate(out) if out else np.zeros(0, dtype=int)


def nearest_neighbour_distance(logs: np.ndarray) -> float:
    """Mean Euclidean distance from each log to its nearest other log in the same set.
    A collapsed generator (many near-identical logs) scores far below real data."""
    return float(nearest_distances(_as_logs(logs)).mean())


def nearest_distances(a: np.ndarray, b: np.ndarray | None = None, k: int = 1) -> np.ndarray:
    """Euclidean distance from each row of ``a`` to its ``k``-th nearest row of ``b``, or,
    without ``b``, to its ``k``-th nearest other row of ``a``. The one nearest-neighbour
    search of the package (rows are points; ``k`` at most the number of candidates)."""
    same = b is None
    b = a if same else b
    d2 = np.maximum((a**2).sum(axis=1)[:, None] + (b**2).sum(axis=1)[None, :] - 2 * a @ b.T, 0.0)
    if same:
        np.fill_diagonal(d2, np.inf)
    kth = d2.min(axis=1) if k == 1 else np.partition(d2, k - 1, axis=1)[:, k - 1]
    return np.sqrt(kth)


#: a generated set is diverse when its nearest-neighbour distance is at least this share of
#: the real set's
DIVERSE_SHARE = 0.9


def is_diverse(nn_distance: float, real_nn_distance: float) -> bool:
    """The diversity rule: :func:`nearest_neighbour_distance` of generated logs at least
    :data:`DIVERSE_SHARE` of the real logs' (collapsed samples crowd together)."""
    return nn_distance >= DIVERSE_SHARE * real_nn_distance


def log_features(logs: np.ndarray) -> np.ndarray:
    """Per-log feature vector for a multivariate two-sample test: mean, std, shale fraction,
    fraction between the levels, transitions, lag-1 autocorrelation, total variation."""
    x = _as_logs(logs)
    xc = x - x.mean(axis=1, keepdims=True)
    var = (xc**2).sum(axis=1)
    ac1 = np.where(var > 0, (xc[:, :-1] * xc[:, 1:]).sum(axis=1) / np.where(var > 0, var, 1), 0.0)
    return np.stack(
        [
            x.mean(axis=1),
            x.std(axis=1),
            (x > 0.5).mean(axis=1),
            ((x > 0.4) & (x < 0.6)).mean(axis=1),
            transitions_per_log(x),
            ac1,
            np.abs(np.diff(x, axis=1)).sum(axis=1),
        ],
        axis=1,
    )


def feature_energy_distance(a: np.ndarray, b: np.ndarray, reference: np.ndarray) -> float:
    """Energy distance between the per-log features of ``a`` and ``b``, each feature scaled
    by its standard deviation in ``reference`` (real logs)."""
    scale = log_features(reference).std(axis=0)
    scale[scale == 0] = 1.0
    return energy_distance(log_features(a) / scale, log_features(b) / scale)


#: scalar statistics of a set of logs: name -> function(logs) -> float
WELL_LOG_STATS: dict[str, Callable[[np.ndarray], float]] = {
    "mean": lambda x: float(np.mean(x)),
    "std": lambda x: float(np.std(x)),
    "shale fraction": shale_fraction,
    "fraction between 0.4 and 0.6": fraction_between,
    "transitions per log": lambda x: float(transitions_per_log(x).mean()),
    "lag-1 autocorrelation": lag_autocorrelation,
    "total variation per log": total_variation,
    "mean bed thickness": lambda x: float(bed_thicknesses(x).mean()) if len(bed_thicknesses(x)) else 0.0,
    "nearest-neighbour distance": nearest_neighbour_distance,
}


def _two_sample(name: str) -> Callable[[np.ndarray, np.ndarray], float]:
    from scipy.stats import wasserstein_distance

    if name == "value distribution (W1)":
        return lambda a, b: float(wasserstein_distance(np.ravel(a), np.ravel(b)))

    def beds(a: np.ndarray, b: np.ndarray) -> float:
        ta, tb = bed_thicknesses(a), bed_thicknesses(b)
        if len(ta) == 0 or len(tb) == 0:  # no complete bed at all: as far as it gets
            return float("inf")
        return float(wasserstein_distance(ta, tb))

    return beds


WELL_LOG_DISTANCES = ("value distribution (W1)", "bed thickness distribution (W1)")


def difference_tolerance(differences) -> float:
    """Tolerance for a statistic from real-vs-real differences: three times their root mean
    square. A perfect generator's difference is one more draw of the same kind, so it stays
    within tolerance about 99.7 % of the time (for roughly normal differences). The largest
    of ten differences would not do: an eleventh draw exceeds it one time in eleven, so with
    several statistics even real data would fail on some row about half the time."""
    d = np.asarray(differences, dtype=float)
    return float(3 * np.sqrt(np.mean(d**2)))


def distance_limit(distances) -> float:
    """Upper limit for a two-sample distance: mean + 3 standard deviations of real-vs-real
    distances (same reasoning as :func:`difference_tolerance`)."""
    d = np.asarray(distances, dtype=float)
    return float(d.mean() + 3 * d.std(ddof=1))


def well_log_tolerances(real: np.ndarray, real_sets: list[np.ndarray]) -> dict[str, tuple[float, float]]:
    """For every well-log statistic: (value on ``real``, real-vs-real tolerance).

    Scalar statistics: :func:`difference_tolerance` of s(A) - s(real) over the independent
    real sets A; distributions and the feature energy distance: :func:`distance_limit` of
    the distances between ``real`` and each real set."""
    ref = _as_logs(real)
    out: dict[str, tuple[float, float]] = {}
    for name, stat in WELL_LOG_STATS.items():
        r = stat(ref)
        out[name] = (r, difference_tolerance([stat(other) - r for other in real_sets]))
    for name in WELL_LOG_DISTANCES:
        dist = _two_sample(name)
        out[name] = (0.0, distance_limit([dist(other, ref) for other in real_sets]))
    out["feature energy distance"] = (
        0.0,
        distance_limit([feature_energy_distance(other, ref, ref) for other in real_sets]),
    )
    return out


def well_log_report(
    generated: np.ndarray,
    real: np.ndarray,
    real_sets: list[np.ndarray] | None = None,
    tolerances: dict[str, tuple[float, float]] | None = None,
) -> list[dict]:
    """Every well-log statistic of ``generated`` beside its value on ``real`` and the
    real-vs-real tolerance (from ``real_sets``, or precomputed ``tolerances``). A row
    passes when the generated value is within tolerance of the real one."""
    gen, ref = _as_logs(generated), _as_logs(real)
    if tolerances is None:
        if not real_sets:
            raise ValueError("give real_sets (independent real sets) or precomputed tolerances")
        tolerances = well_log_tolerances(ref, real_sets)
    rows = []
    for name, (r, tol) in tolerances.items():
        if name in WELL_LOG_STATS:
            g = WELL_LOG_STATS[name](gen)
            ok = abs(g - r) <= tol
        elif name in WELL_LOG_DISTANCES:
            g = _two_sample(name)(gen, ref)
            ok = g <= tol
        else:
            g = feature_energy_distance(gen, ref, ref)
            ok = g <= tol
        rows.append({"statistic": name, "value": g, "real": r, "tolerance": tol, "ok": bool(ok)})
    return rows


# ----------------------------------------------------------------------------- crossplot


def assign_population(points: np.ndarray) -> np.ndarray:
    """Index of the rock population (0 porous, 1 tight) most likely to have produced each
    (porosity, Vp) point, under the data generator's own two populations."""
    from scipy.stats import norm

    from .data import POPULATIONS

    pts = _as_2d(points, "points")
    loglik = []
    for pop in POPULATIONS:
        phi, vp = pts[:, 0], pts[:, 1]
        trend = pop.vp_at_mean + pop.slope * (phi - pop.phi_mean)
        loglik.append(norm.logpdf(phi, pop.phi_mean, pop.phi_std) + norm.logpdf(vp, trend, pop.vp_noise))
    return np.argmax(np.stack(loglik, axis=1), axis=1)


def population_stats(points: np.ndarray) -> dict[str, float]:
    """Mass, porosity and Vp spread, and Vp-on-porosity slope (km/s per unit porosity) of
    each population, in physical units."""
    pts = _as_2d(points, "points")
    labels = assign_population(pts)
    out: dict[str, float] = {}
    for k, name in enumerate(("porous", "tight")):
        sub = pts[labels == k]
        out[f"{name} mass"] = float(len(sub) / len(pts))
        enough = len(sub) >= 3
        out[f"{name} porosity std"] = float(sub[:, 0].std(ddof=1)) if enough else float("nan")
        out[f"{name} Vp std"] = float(sub[:, 1].std(ddof=1)) if enough else float("nan")
        out[f"{name} slope"] = float(np.polyfit(sub[:, 0], sub[:, 1], 1)[0]) if enough else float("nan")
    return out


def off_manifold_threshold(real: np.ndarray, other_real: np.ndarray, quantile: float = 0.99) -> float:
    """Nearest-neighbour distance (rows standardised by ``real``'s std) from points of an
    independent real set to ``real`` below which ``quantile`` of real points fall."""
    scale = _as_2d(real, "real").std(axis=0)
    return float(np.quantile(nearest_distances(other_real / scale, real / scale), quantile))


def off_manifold_rate(points: np.ndarray, real: np.ndarray, threshold: float) -> float:
    """Fraction of ``points`` farther than ``threshold`` from every real point (standardised
    units): points where no real rock lies. About 1 - quantile for a real set."""
    scale = _as_2d(real, "real").std(axis=0)
    return float(np.mean(nearest_distances(_as_2d(points, "points") / scale, real / scale) > threshold))
