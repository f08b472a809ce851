"""Real data for the course: every data set is generated, never downloaded.

Three data sets, each a faithful port of its source:

* ``well-logs``: blocky gamma-ray logs (the seed's LSGAN example). Each log is a
  stack of beds; a bed is one of two facies (clean sand at 0.25, shale at 0.75
  in normalised gamma-ray units), 8 to 25 samples thick, with white measurement
  noise (std 0.04) smoothed by a 3-point moving average (the tool's response)
  and clamped to [0, 1].
* ``crossplot``: porosity / P-velocity pairs from two rock populations (the
  seed's WGAN example), standardised for training.
* ``toy-2d``: a 2-D Gaussian mixture for chapter 1's small GAN.

Every generator takes a :class:`numpy.random.Generator`, so a seed fixes the
data exactly. :class:`Dataset` bundles the training array (standardised where
the recipe trains in standardised space) with the transform back to physical
units.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

# ----------------------------------------------------------------------------- well logs


@dataclass(frozen=True)
class WellLogSpec:
    """Parameters of the synthetic gamma-ray log generator (the seed's values)."""

    n_depth: int = 128
    levels: tuple[float, float] = (0.25, 0.75)  # clean sand, shale (normalised GR)
    min_bed: int = 8  # thinnest bed, in samples
    max_bed: int = 25  # thickest bed, in samples (inclusive)
    noise: float = 0.04  # std of the measurement noise before smoothing
    smooth: bool = True  # 3-point moving average (tool response)

    def __post_init__(self) -> None:
        if self.n_depth < 3:
            raise ValueError(f"n_depth must be at least 3, got {self.n_depth}")
        if not 1 <= self.min_bed <= self.max_bed:
            raise ValueError(
                f"need 1 <= min_bed <= max_bed, got min_bed={self.min_bed}, max_bed={self.max_bed}"
            )
        if self.noise < 0:
            raise ValueError(f"noise must be >= 0, got {self.noise}")


def make_well_log(
    rng: np.random.Generator, spec: WellLogSpec = WellLogSpec()
) -> tuple[np.ndarray, np.ndarray]:
    """One log and its facies labels (0 = sand, 1 = shale), as in the seed.

    Beds are drawn top-down: a facies with probability 1/2 each, a thickness
    uniform on ``min_bed..max_bed`` samples (the last bed is cut at the bottom),
    and independent Gaussian noise on every sample. Interior samples are then
    replaced by the mean of themselves and their two neighbours; the two end
    samples keep their raw value. Values are clamped to [0, 1].
    """
    n = spec.n_depth
    raw = np.zeros(n, dtype=np.float32)
    facies = np.zeros(n, dtype=np.int8)
    pos = 0
    while pos < n:
        shale = rng.random() < 0.5
        seg_len = int(rng.integers(spec.min_bed, spec.max_bed + 1))
        end = min(pos + seg_len, n)
        raw[pos:end] = spec.levels[int(shale)] + spec.noise * rng.standard_normal(end - pos)
        facies[pos:end] = int(shale)
        pos = end
    log = raw.copy()
    if spec.smooth:
        log[1:-1] = (raw[:-2] + raw[1:-1] + raw[2:]) / np.float32(3.0)
    return np.clip(log, 0.0, 1.0), facies


def make_well_logs(
    n_logs: int = 1024, seed: int | np.random.Generator = 42, spec: WellLogSpec = WellLogSpec()
) -> tuple[np.ndarray, np.ndarray]:
    """``n_logs`` logs as an ``(n_logs, n_depth)`` float32 array, and their facies."""
    _check_count("n_logs", n_logs)
    rng = np.random.default_rng(seed)
    pairs = [make_well_log(rng, spec) for _ in range(n_logs)]
    logs = np.stack([p[0] for p in pairs]).astype(np.float32)
    facies = np.stack([p[1] for p in pairs])
    return logs, facies


# ----------------------------------------------------------------------------- crossplot


@dataclass(frozen=True)
class RockPopulation:
    """One rock population: porosity ~ N(phi_mean, phi_std) clamped to ``phi_range``;
    Vp = vp_at_mean + slope * (phi - phi_mean) + N(0, vp_noise) km/s."""

    name: str
    phi_mean: float
    phi_std: float
    phi_range: tuple[float, float]
    vp_at_mean: float
    slope: float  # km/s per unit porosity (fraction)
    vp_noise: float


# The seed's two populations (its `make_crossplot_sample`, with the `(phi` that
# the printed text lost restored: Vp = 3.15 - 1.35 * (phi - 0.28) + noise).
POROUS = RockPopulation("porous", 0.28, 0.025, (0.18, 0.36), 3.15, -1.35, 0.05)
TIGHT = RockPopulation("tight", 0.085, 0.015, (0.03, 0.14), 4.55, -0.85, 0.04)
POPULATIONS: tuple[RockPopulation, RockPopulation] = (POROUS, TIGHT)


def make_crossplot(
    n_points: int = 512, seed: int | np.random.Generator = 42
) -> tuple[np.ndarray, np.ndarray]:
    """``n_points`` (porosity, Vp) pairs in physical units, float32 ``(n, 2)``, and the
    population of each (0 = porous/slow, 1 = tight/fast), each with probability 1/2."""
    _check_count("n_points", n_points)
    rng = np.random.default_rng(seed)
    points = np.zeros((n_points, 2), dtype=np.float32)
    labels = np.zeros(n_points, dtype=np.int8)
    for i in range(n_points):
        label = 0 if rng.random() < 0.5 else 1
        pop = POPULATIONS[label]
        phi = np.clip(pop.phi_mean + pop.phi_std * rng.standard_normal(), *pop.phi_range)
        vp = pop.vp_at_mean + pop.slope * (phi - pop.phi_mean) + pop.vp_noise * rng.standard_normal()
        points[i] = (phi, vp)
        labels[i] = label
    return points, labels


# ----------------------------------------------------------------------------- toy data


def make_toy_2d(
    n_points: int = 512,
    seed: int | np.random.Generator = 0,
    n_modes: int = 3,
    radius: float = 2.0,
    std: float = 0.25,
) -> tuple[np.ndarray, np.ndarray]:
    """A 2-D mixture of ``n_modes`` equal Gaussians evenly spaced on a circle."""
    _check_count("n_points", n_points)
    _check_count("n_modes", n_modes)
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, n_modes, n_points)
    angles = 2 * np.pi * labels / n_modes + np.pi / 2
    centres = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    points = centres + std * rng.standard_normal((n_points, 2))
    return points.astype(np.float32), labels.astype(np.int8)


# ----------------------------------------------------------------------------- datasets


@dataclass(frozen=True)
class Standardizer:
    """Affine map between physical units and the standardised training space."""

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray) -> Standardizer:
        """Column means and (n-1) standard deviations, as Julia's ``mean``/``std``."""
        x = np.asarray(x, dtype=np.float64)
        return cls(mean=x.mean(axis=0), std=x.std(axis=0, ddof=1))

    @classmethod
    def identity(cls, dim: int) -> Standardizer:
        return cls(mean=np.zeros(dim), std=np.ones(dim))

    def to_standard(self, x: np.ndarray) -> np.ndarray:
        return ((np.asarray(x) - self.mean) / self.std).astype(np.float32)

    def to_physical(self, x: np.ndarray) -> np.ndarray:
        return (np.asarray(x) * self.std + self.mean).astype(np.float32)


@dataclass(frozen=True)
class Dataset:
    """A training set: physical values, labels, and the transform to training space."""

    name: str
    physical: np.ndarray  # (n, dim), physical units
    labels: np.ndarray  # per-sample labels (facies per depth, or population)
    scaler: Standardizer
    columns: tuple[str, ...] = field(default=())  # names with units, for plots and files

    @property
    def train(self) -> np.ndarray:
        """The array the networks see (standardised where the data set is)."""
        return self.scaler.to_standard(self.physical)

    @property
    def dim(self) -> int:
        return int(self.physical.shape[1])

    def to_physical(self, x: np.ndarray) -> np.ndarray:
        return self.scaler.to_physical(x)


def _well_logs(n: int, seed: int) -> Dataset:
    logs, facies = make_well_logs(n, seed)
    return Dataset("well-logs", logs, facies, Standardizer.identity(logs.shape[1]), ("normalised gamma ray",))


def _crossplot(n: int, seed: int) -> Dataset:
    points, labels = make_crossplot(n, seed)
    return Dataset(
        "crossplot", points, labels, Standardizer.fit(points), ("porosity (fraction)", "Vp (km/s)")
    )


def _toy_2d(n: int, seed: int) -> Dataset:
    points, labels = make_toy_2d(n, seed)
    return Dataset("toy-2d", points, labels, Standardizer.identity(2), ("x1", "x2"))


#: name -> (builder(n, seed), default size)
DATASETS: dict[str, tuple[Callable[[int, int], Dataset], int]] = {
    "well-logs": (_well_logs, 1024),
    "crossplot": (_crossplot, 512),
    "toy-2d": (_toy_2d, 512),
}


def load_dataset(name: str, n: int | None = None, seed: int = 42) -> Dataset:
    """Generate data set ``name`` with ``n`` samples (its default size if None)."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; choose one of {sorted(DATASETS)}")
    builder, default_n = DATASETS[name]
    return builder(default_n if n is None else n, seed)


def _check_count(what: str, n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{what} must be a positive integer, got {n!r}")
