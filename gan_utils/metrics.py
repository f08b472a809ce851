"""Numbers that say whether a generator is right, each meant to sit beside its real-vs-real baseline.

A metric computed on generated data means little alone: two independent real
samples of the same size never agree exactly. :func:`real_vs_real` measures that
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


def real_vs_real(
    metric: Callable[[np.ndarray, np.ndarray], float],
    sample_real: Callable[[int], np.ndarray],
    n_pairs: int = 10,
    first_seed: int = 1000,
) -> np.ndarray:
    """``metric(a, b)`` for ``n_pairs`` pairs of independent real samples.

    ``sample_real(seed)`` must return a fresh real sample for each seed; pair k
    uses seeds ``first_seed + 2k`` and ``first_seed + 2k + 1``."""
    if n_pairs < 1:
        raise ValueError(f"n_pairs must be >= 1, got {n_pairs}")
    return np.array(
        [metric(sample_real(first_seed + 2 * k), sample_real(first_seed + 2 * k + 1)) for k in range(n_pairs)]
    )


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
    x = _as_logs(logs)
    sq = (x**2).sum(axis=1)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2 * x @ x.T, 0.0)
    np.fill_diagonal(d2, np.inf)
    return float(np.sqrt(d2.min(axis=1)).mean())


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
    return lambda a, b: float(wasserstein_distance(bed_thicknesses(a), bed_thicknesses(b)))


WELL_LOG_DISTANCES = ("value distribution (W1)", "bed thickness distribution (W1)")


def well_log_report(generated: np.ndarray, real: np.ndarray, real_sets: list[np.ndarray]) -> list[dict]:
    """Every well-log statistic for ``generated`` beside ``real``, with the real-vs-real
    tolerance from ``real_sets`` (independent real sets of the same size as ``real``).

    For a scalar statistic s the tolerance is the largest |s(A) - s(B)| over pairs of
    real sets (``real`` and each of ``real_sets``); for a distribution it is the largest
    real-vs-real distance. A row passes when the generated value is within tolerance.
    Feature energy distance (multivariate) is reported the same way."""
    gen = _as_logs(generated)
    ref = _as_logs(real)
    rows = []
    for name, stat in WELL_LOG_STATS.items():
        r, g = stat(ref), stat(gen)
        tol = max(abs(stat(other) - r) for other in real_sets)
        rows.append({"statistic": name, "generated": g, "real": r, "tolerance": tol, "ok": abs(g - r) <= tol})
    for name in WELL_LOG_DISTANCES:
        dist = _two_sample(name)
        tol = max(dist(other, ref) for other in real_sets)
        g = dist(gen, ref)
        rows.append({"statistic": name, "generated": g, "real": 0.0, "tolerance": tol, "ok": g <= tol})
    tol = max(feature_energy_distance(other, ref, ref) for other in real_sets)
    g = feature_energy_distance(gen, ref, ref)
    rows.append(
        {
            "statistic": "feature energy distance",
            "generated": g,
            "real": 0.0,
            "tolerance": tol,
            "ok": g <= tol,
        }
    )
    return rows
