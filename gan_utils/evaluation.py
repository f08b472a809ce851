"""Evaluation protocols: one function per data set that turns generated samples into the
numbers the chapters and the benchmark report, each beside its real-vs-real baseline.

A protocol fixes everything that is not the generator (reference real sets, sample
sizes, thresholds), so a number in a chapter, in the benchmark file and in a test means
the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np

from . import metrics as M
from .checks import check_positive_int
from .data import make_crossplot, make_well_logs

# ----------------------------------------------------------------------------- real vs real


def real_sets(sample_real: Callable[[int], np.ndarray], n_sets: int, first_seed: int) -> list[np.ndarray]:
    """``n_sets`` independent real sets, ``sample_real(first_seed + k)`` for k = 0, 1, ...:
    the real-vs-real side of every protocol (how much real data differs from itself)."""
    check_positive_int(n_sets, "n_sets")
    return [sample_real(first_seed + k) for k in range(n_sets)]


def real_vs_real(
    metric: Callable[[np.ndarray, np.ndarray], float],
    sample_real: Callable[[int], np.ndarray],
    n_pairs: int = 10,
    first_seed: int = 1000,
) -> np.ndarray:
    """``metric(a, b)`` for ``n_pairs`` pairs of independent real sets from :func:`real_sets`:
    pair k uses seeds ``first_seed + 2k`` and ``first_seed + 2k + 1``."""
    if isinstance(n_pairs, bool) or not isinstance(n_pairs, (int, np.integer)) or n_pairs < 1:
        raise ValueError(f"n_pairs must be >= 1, got {n_pairs}")
    sets = real_sets(sample_real, 2 * n_pairs, first_seed)
    return np.array([metric(sets[2 * k], sets[2 * k + 1]) for k in range(n_pairs)])


# ----------------------------------------------------------------------------- crossplot

N_EVAL = 4096  # generated points per evaluation
_REF_SEED, _THRESHOLD_SEED, _TRUTH_SEED = 10_001, 10_002, 10_003


@lru_cache(maxsize=1)
def crossplot_reference() -> tuple[np.ndarray, float, dict[str, float]]:
    """The fixed reference real set (2048 points), the off-manifold threshold (99 % of
    independent real points lie closer to the reference) and the populations' true
    statistics (from 50 000 points of the rock-physics model)."""
    ref, _ = make_crossplot(2048, _REF_SEED)
    other, _ = make_crossplot(2048, _THRESHOLD_SEED)
    truth = M.population_stats(make_crossplot(50_000, _TRUTH_SEED)[0])
    return ref, M.off_manifold_threshold(ref, other), truth


def crossplot_evaluation(points: np.ndarray) -> dict[str, float]:
    """Mode coverage, off-manifold rate, within-population shape and a two-sample distance
    for ``points`` (physical units, at least 2048 rows; :data:`N_EVAL` recommended)."""
    pts = np.asarray(points, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) < 2048:
        raise ValueError(f"need an array of shape (>= 2048, 2) in physical units, got {pts.shape}")
    if not np.isfinite(pts).all():
        raise ValueError("points contain NaN or infinite values")
    ref, threshold, truth = crossplot_reference()
    scale = ref.std(axis=0)
    out = {
        "porosity mean": float(pts[:, 0].mean()),
        "porosity std": float(pts[:, 0].std(ddof=1)),
        "Vp mean": float(pts[:, 1].mean()),
        "Vp std": float(pts[:, 1].std(ddof=1)),
        "off-manifold rate": M.off_manifold_rate(pts[:2048], ref, threshold),
        "energy distance": M.energy_distance(pts[:1024] / scale, ref[:1024] / scale),
    }
    stats = M.population_stats(pts)
    out.update(stats)
    for key, value in stats.items():
        if "mass" not in key:
            out[f"{key} error"] = float(value / truth[key] - 1)
    return out


SHAPE_KEYS = tuple(
    f"{pop} {what}" for pop in ("porous", "tight") for what in ("porosity std", "Vp std", "slope")
)


def crossplot_passes(ev: dict[str, float], ed_limit: float) -> dict[str, bool]:
    """The chapter's targets: both population masses within 0.05 of one half (the real
    proportion), off-manifold rate at most 2 %, every within-population spread and slope
    within 15 % of the rock-physics model, energy distance at most ``ed_limit`` (use
    :func:`gan_utils.metrics.distance_limit` of the real-vs-real distances)."""
    return {
        "masses": abs(ev["porous mass"] - 0.5) <= 0.05,
        "off-manifold": ev["off-manifold rate"] <= 0.02,
        "shape": all(abs(ev[f"{k} error"]) <= 0.15 for k in SHAPE_KEYS),
        "distance": ev["energy distance"] <= ed_limit,
    }


def crossplot_baseline(n_sets: int = 10) -> list[dict[str, float]]:
    """:func:`crossplot_evaluation` of ``n_sets`` fresh real sets: the real-vs-real spread."""
    sets = real_sets(lambda seed: make_crossplot(N_EVAL, seed)[0], n_sets, 20_000)
    return [crossplot_evaluation(points) for points in sets]


@lru_cache(maxsize=1)
def crossplot_distance_limit() -> float:
    """The energy-distance tolerance: :func:`gan_utils.metrics.distance_limit` of the
    distances of :func:`crossplot_baseline`'s real sets (rounded to 6 decimals, as the stored
    crossplot table holds them, so the limit is the same one)."""
    return M.distance_limit([round(b["energy distance"], 6) for b in crossplot_baseline()])


def crossplot_rows(ev: dict[str, float], ed_limit: float | None = None) -> list[dict]:
    """The crossplot protocol's rows from :func:`crossplot_evaluation`'s numbers ``ev``:
    the four targets of :func:`crossplot_passes` (``masses``: the porous mass beside one
    half; ``off-manifold``: the rate; ``shape``: the largest relative error of a
    within-population spread or slope; ``distance``: the energy distance), each with its
    real value and tolerance. ``ed_limit`` defaults to :func:`crossplot_distance_limit`."""
    limit = crossplot_distance_limit() if ed_limit is None else ed_limit
    passes = crossplot_passes(ev, limit)
    shape = float(np.max(np.abs([ev[f"{k} error"] for k in SHAPE_KEYS])))
    values = {
        "masses": (ev["porous mass"], 0.5, 0.05),
        "off-manifold": (ev["off-manifold rate"], 0.0, 0.02),
        "shape": (shape, 0.0, 0.15),
        "distance": (ev["energy distance"], 0.0, limit),
    }
    return [
        {"statistic": k, "value": float(v), "real": real, "tolerance": tol, "ok": bool(passes[k])}
        for k, (v, real, tol) in values.items()
    ]


def crossplot_protocol(points: np.ndarray) -> list[dict]:
    """The crossplot protocol: :func:`crossplot_rows` of :func:`crossplot_evaluation`."""
    return crossplot_rows(crossplot_evaluation(points))


# ----------------------------------------------------------------------------- well logs

N_LOGS = 1024
N_TOLERANCE_SETS = 30  # real sets behind each tolerance


@lru_cache(maxsize=1)
def well_log_reference() -> tuple[np.ndarray, dict[str, tuple[float, float]]]:
    """A reference real set of 1024 logs, and each statistic's value on it with its
    tolerance from N_TOLERANCE_SETS independent real sets of the same size."""
    ref, _ = make_well_logs(N_LOGS, _REF_SEED)
    others = real_sets(lambda seed: make_well_logs(N_LOGS, seed)[0], N_TOLERANCE_SETS, 30_000)
    return ref, M.well_log_tolerances(ref, others)


def well_log_evaluation(logs: np.ndarray) -> list[dict]:
    """:func:`gan_utils.metrics.well_log_report` of ``logs`` against the fixed reference."""
    ref, tolerances = well_log_reference()
    return M.well_log_report(logs, ref, tolerances=tolerances)


#: the statistics chapter 2's recommended recipe must match (within tolerance)
WELL_LOG_TARGETS = (
    "transitions per log",
    "lag-1 autocorrelation",
    "shale fraction",
    "fraction between 0.4 and 0.6",
    "bed thickness distribution (W1)",
    "total variation per log",
)


# ----------------------------------------------------------------------------- chapter 5: facies images

N_IMAGES = 512  # generated images per evaluation
N_IMAGE_TOLERANCE_SETS = 8  # real sets behind each tolerance
_IMAGE_REF_SEED, _IMAGE_SETS_SEED = 40_001, 40_100


@lru_cache(maxsize=1)
def channels_reference() -> tuple[np.ndarray, dict[str, tuple[float, float, str]]]:
    """A reference real set of 512 channel images, and every statistic of
    :func:`gan_utils.image_metrics.facies_report` on it with its real-vs-real tolerance from
    :data:`N_IMAGE_TOLERANCE_SETS` independent real sets of the same size (channels run
    along the rows: angle 0)."""
    from .facies import make_channels
    from .image_metrics import facies_tolerances

    ref, _ = make_channels(N_IMAGES, _IMAGE_REF_SEED)

    def sample(seed: int) -> np.ndarray:
        return make_channels(N_IMAGES, seed)[0]

    others = real_sets(sample, N_IMAGE_TOLERANCE_SETS, _IMAGE_SETS_SEED)
    return ref, facies_tolerances(ref, others, angle=0.0)


def channels_evaluation(images: np.ndarray) -> list[dict]:
    """Every facies statistic of ``images`` (facies codes, ``(512, 64, 64)``) beside the
    reference's and its tolerance: rows ``{"statistic", "value", "real", "tolerance", "ok"}``."""
    from .image_metrics import facies_report

    ref, tolerances = channels_reference()
    return facies_report(images, ref, tolerances, angle=0.0)


def channels_baseline(n_sets: int = 4) -> list[list[dict]]:
    """:func:`channels_evaluation` of ``n_sets`` fresh real sets (not those behind the
    tolerances): how real data scores against itself."""
    from .facies import make_channels

    sets = real_sets(lambda seed: make_channels(N_IMAGES, seed)[0], n_sets, 41_000)
    return [channels_evaluation(images) for images in sets]


def nyquist_power(fields: np.ndarray) -> float:
    """Share of the (non-constant) spectral power of continuous images ``(n, H, W)`` at the
    highest frequencies (period 2 pixels along rows or columns): the checkerboard that
    transposed convolutions leave (Odena et al. 2016). Real channel maps: about 0.01."""
    x = np.asarray(fields, dtype=np.float64)
    x = x - x.mean(axis=(1, 2), keepdims=True)
    power = np.abs(np.fft.fft2(x)) ** 2
    h, w = x.shape[1:]
    high = power[:, h // 2, :].sum() + power[:, :, w // 2].sum() - power[:, h // 2, w // 2].sum()
    return float(high / power.sum())
