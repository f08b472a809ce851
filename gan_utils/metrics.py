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
