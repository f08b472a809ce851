"""Real data for the course: every data set is generated, never downloaded.

The generators of the built-in data sets, each a faithful port of its source (each is
registered, with its plot and evaluation protocol, in its folder of
:mod:`gan_utils.datasets`):

* ``well-logs``: blocky gamma-ray logs (the baseline LSGAN example). Each log is a
  stack of beds; a bed is one of two facies (clean sand at 0.25, shale at 0.75
  in normalised gamma-ray units), 8 to 25 samples thick, with white measurement
  noise (std 0.04) smoothed by a 3-point moving average (the tool's response)
  and clamped to [0, 1].
* ``crossplot``: porosity / P-velocity pairs from two rock populations (the
  source textbook's WGAN example), standardised for training.
* ``toy-2d``: a 2-D Gaussian mixture for chapter 1's small GAN.
* ``channels``: 64 x 64 maps of sinuous sand channels in mud, facies codes 0 / 1
  (chapter 5; its generator is :mod:`gan_utils.facies`).

Every generator takes a :class:`numpy.random.Generator`, so a seed fixes the
data exactly. Each data set is one registered :class:`DatasetSpec` (its sample shape,
its physical-units transform, its plots, evaluation protocol and observation operator):
a new data set is one :func:`register_dataset` call, and :func:`check_dataset` says whether
it keeps the contract. :class:`Dataset` bundles a training
array ``(n, *shape)`` (standardised where the data set trains in standardised space) with
the transform back to physical units.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .checks import check_choice, check_positive_int, check_scalar, register

# ----------------------------------------------------------------------------- well logs


@dataclass(frozen=True)
class WellLogSpec:
    """Parameters of the synthetic gamma-ray log generator (the source textbook's values)."""

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
    """One log and its facies labels (0 = sand, 1 = shale), as in the source textbook.

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


# The source textbook's two populations (its `make_crossplot_sample`, with the `(phi` that
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
    def identity(cls, shape: int | tuple[int, ...]) -> Standardizer:
        return cls(mean=np.zeros(shape), std=np.ones(shape))

    def to_standard(self, x: np.ndarray) -> np.ndarray:
        return ((np.asarray(x) - self.mean) / self.std).astype(np.float32)

    def to_physical(self, x: np.ndarray) -> np.ndarray:
        return (np.asarray(x) * self.std + self.mean).astype(np.float32)


def flat_observation(x, where):
    """The observation operator of most data sets: the values at flat indices ``where`` of
    each sample (depth samples of a log, columns of a point, pixels of an image)."""
    return x.reshape(len(x), -1)[:, where]


def report_row(rows: list[dict]) -> dict:
    """Protocol rows as one benchmark-table record: each statistic's value (rounded to 6
    decimals) and ``"<statistic> ok"``."""
    out: dict = {}
    for r in rows:
        out[r["statistic"]] = round(float(r["value"]), 6)
        out[f"{r['statistic']} ok"] = bool(r["ok"])
    return out


def record_verdicts(record: dict) -> dict[str, bool]:
    """Statistic -> within tolerance, from a record made by :func:`report_row`."""
    return {k.removesuffix(" ok"): bool(v) for k, v in record.items() if k.endswith(" ok")}


@dataclass(frozen=True)
class Protocol:
    """A data set's evaluation protocol. ``evaluate(samples)`` scores ``n_samples`` samples
    (the data set's values, as :meth:`DatasetSpec.to_values` gives them) and returns rows
    ``{"statistic", "value", "real", "tolerance", "ok"}``, each statistic beside its
    real-vs-real value and tolerance. ``record(samples)`` is what a benchmark table stores
    for one trained run (default: :func:`report_row` of the rows) and ``verdicts(record)``
    reads statistic -> ok back from such a stored record (default: :func:`record_verdicts`).
    ``targets`` are the verdicts a recommended recipe must meet (default: every one),
    ``key_numbers`` the record's columns a summary shows as medians and ``column`` the
    format of a summary's column counting the seeds that meet a target."""

    evaluate: Callable[[np.ndarray], list[dict]]
    n_samples: int
    record: Callable[[np.ndarray], dict] | None = None
    verdicts: Callable[[dict], dict[str, bool]] = record_verdicts
    targets: tuple[str, ...] = ()
    key_numbers: tuple[str, ...] = ()
    column: str = "{}"  # how a summary names the count of seeds meeting a target

    def table_record(self, samples: np.ndarray) -> dict:
        """The benchmark-table record of ``samples``."""
        return self.record(samples) if self.record is not None else report_row(self.evaluate(samples))


@dataclass(frozen=True)
class DatasetSpec:
    """Everything the package knows about one kind of data, in one registered object.

    ``make(n, seed)`` returns ``n`` samples in physical units, shape ``(n, *shape)``, and
    their labels; ``standardize`` says whether the networks train on standardised values
    (the physical-units transform is then fitted to each training set); ``plot(data,
    generated, n)`` draws real beside generated samples; ``protocol`` is the data set's
    evaluation protocol (:class:`Protocol`; None: no benchmark); ``statistics_ok(real,
    fake)`` is the quick check of a trained run; ``observe(x, where)`` is the observation
    operator conditioning uses (None: this data set cannot be conditioned); ``decode(x)``
    maps a generator's continuous output, in physical units, to the data set's own values
    (facies codes; None: unchanged), so sampled and conditional realisations come in the
    same units as :attr:`make`'s. Register one with :func:`register_dataset`; nothing else
    in the package needs to change."""

    name: str
    make: Callable[[int, int], tuple[np.ndarray, np.ndarray]]
    shape: tuple[int, ...]
    columns: tuple[str, ...] = ()
    default_n: int = 512
    standardize: bool = False
    plot: Callable | None = None
    protocol: Protocol | None = None
    statistics_ok: Callable[[np.ndarray, np.ndarray], bool] | None = None
    observe: Callable | None = flat_observation
    decode: Callable[[np.ndarray], np.ndarray] | None = None
    description: str = ""

    @property
    def dim(self) -> int:
        """Values per sample: the product of :attr:`shape`."""
        return int(math.prod(self.shape))

    def to_values(self, physical: np.ndarray) -> np.ndarray:
        """Generated samples in physical units, as the data set's values (:attr:`decode`)."""
        return self.decode(physical) if self.decode is not None else physical

    def scaler(self, physical: np.ndarray) -> Standardizer:
        """The physical-units transform for a training set ``physical``."""
        return Standardizer.fit(physical) if self.standardize else Standardizer.identity(self.shape)

    def load(self, n: int | None = None, seed: int = 42) -> Dataset:
        """``n`` samples (:attr:`default_n` if None) generated from ``seed``."""
        n = self.default_n if n is None else check_scalar(n, "n", minimum=1)
        physical, labels = self.make(n, check_scalar(seed, "seed", minimum=0))
        physical = np.asarray(physical)
        if physical.shape[1:] != tuple(self.shape):
            raise ValueError(
                f"data set {self.name!r} made samples of shape {physical.shape[1:]}, "
                f"not its declared {tuple(self.shape)}"
            )
        return Dataset(self.name, physical, labels, self.scaler(physical), self.columns)


#: name -> the registered :class:`DatasetSpec`
DATASETS: dict[str, DatasetSpec] = {}


def register_dataset(spec: DatasetSpec, replace: bool = False) -> DatasetSpec:
    """Make ``spec`` available by name to recipes, training, runs, plots and the benchmarks."""
    return register(DATASETS, spec.name, spec, "data set", replace)


def get_dataset(name: str) -> DatasetSpec:
    """The registered data set ``name``; a clear error listing the names otherwise."""
    return DATASETS[check_choice(name, DATASETS, "data set")]


@dataclass(frozen=True)
class Dataset:
    """A training set: physical values ``(n, *shape)``, labels, and the transform to
    training space. Its behaviour (plots, evaluation, observations) is its
    :attr:`spec`'s, the registered :class:`DatasetSpec` of the same name."""

    name: str
    physical: np.ndarray  # (n, *shape), physical units
    labels: np.ndarray  # per-sample labels (facies per depth, or population)
    scaler: Standardizer
    columns: tuple[str, ...] = field(default=())  # names with units, for plots and files

    @property
    def train(self) -> np.ndarray:
        """The array the networks see (standardised where the data set is)."""
        return self.scaler.to_standard(self.physical)

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of one sample."""
        return tuple(int(s) for s in self.physical.shape[1:])

    @property
    def dim(self) -> int:
        """Values per sample (the product of :attr:`shape`)."""
        return int(math.prod(self.shape))

    @property
    def spec(self) -> DatasetSpec:
        return get_dataset(self.name)

    def to_physical(self, x: np.ndarray) -> np.ndarray:
        return self.scaler.to_physical(x)

    def plot(self, generated: np.ndarray, n: int = 4):
        """Real beside ``generated`` samples (physical units): the data set's default figure."""
        if self.spec.plot is None:
            raise ValueError(f"data set {self.name!r} has no plot")
        return self.spec.plot(self, generated, n)


def load_dataset(name: str, n: int | None = None, seed: int = 42) -> Dataset:
    """Generate data set ``name`` with ``n`` samples (its default size if None)."""
    return get_dataset(name).load(n, seed)


def check_dataset(spec: DatasetSpec, n: int = 8, seed: int = 0) -> None:
    """Check that a registered data set keeps the contract everything else relies on (like
    scikit-learn's ``check_estimator``): ``make(n, seed)`` gives ``n`` finite samples of
    the declared shape and ``n`` labels, the same ones for the same seed and others for
    another; the training transform goes back to physical units; ``to_values``, ``observe``
    and ``statistics_ok`` accept the samples; and the protocol's rows have the five keys,
    agree with the verdicts read back from a stored record, and a real set of its size
    (drawn from ``seed``) passes every row. ``AssertionError`` lists what fails."""
    problems = _check_samples(spec, n, seed)
    if not problems and spec.protocol is not None:
        problems = _check_protocol(spec, spec.protocol, seed)
    if problems:
        raise AssertionError(f"data set {spec.name!r}: " + "; ".join(problems))


def _check_samples(spec: DatasetSpec, n: int, seed: int) -> list[str]:
    x, labels = spec.make(n, seed)
    x = np.asarray(x)
    if x.shape != (n, *spec.shape):
        return [f"make({n}, {seed}) gave shape {x.shape}, not {(n, *spec.shape)}"]
    problems = []
    if len(labels) != n:
        problems.append(f"make gave {len(labels)} labels for {n} samples")
    if not np.issubdtype(x.dtype, np.number) or not np.isfinite(x).all():
        problems.append("samples are not all finite numbers")
    again, other = np.asarray(spec.make(n, seed)[0]), np.asarray(spec.make(n, seed + 1)[0])
    if not np.array_equal(x, again):
        problems.append("the same seed gave other samples")
    if np.array_equal(x, other):
        problems.append("another seed gave the same samples")
    return problems + _check_uses(spec, x, n, seed)


def _check_uses(spec: DatasetSpec, x: np.ndarray, n: int, seed: int) -> list[str]:
    """What the training transform, ``to_values``, ``observe`` and ``statistics_ok`` make
    of the samples ``x`` (``make(n, seed)``)."""
    problems = []
    d = spec.load(n, seed)
    if d.train.shape != x.shape or not np.allclose(d.to_physical(d.train), x, atol=1e-4):
        problems.append("the training transform does not go back to the physical samples")
    if np.asarray(spec.to_values(x)).shape != x.shape:
        problems.append("to_values changed the samples' shape")
    if spec.observe is not None:
        where = np.array([0, spec.dim - 1])
        seen = np.asarray(spec.observe(x, where))
        if seen.shape != (n, 2) or not np.array_equal(seen, x.reshape(n, -1)[:, where]):
            problems.append("observe(x, where) is not the values at the flat indices where")
    if spec.statistics_ok is not None and not spec.statistics_ok(x, x):
        problems.append("statistics_ok rejects real samples against themselves")
    return problems


ROW_KEYS = ("statistic", "value", "real", "tolerance", "ok")


def _check_protocol(spec: DatasetSpec, protocol: Protocol, seed: int) -> list[str]:
    check_positive_int(protocol.n_samples, "n_samples")
    samples = np.asarray(spec.make(protocol.n_samples, seed)[0])
    rows = protocol.evaluate(samples)
    problems = [f"row {r.get('statistic')!r} has keys {sorted(r)}" for r in rows if tuple(r) != ROW_KEYS]
    if problems or not rows:
        return problems or ["the protocol returned no rows"]
    ok = {r["statistic"]: r["ok"] for r in rows}
    if len(ok) != len(rows) or not all(isinstance(v, bool) for v in ok.values()):
        problems.append("statistics repeat, or an ok is not a bool")
    verdicts = protocol.verdicts(protocol.table_record(samples))
    if {k: verdicts.get(k) for k in ok} != ok:
        problems.append("the verdicts read from a stored record differ from the rows")
    if not set(protocol.targets) <= set(verdicts):
        problems.append(f"targets {sorted(set(protocol.targets) - set(verdicts))} have no verdict")
    failed = [k for k, v in ok.items() if not v]
    if failed:
        problems.append(f"a real set (seed {seed}) fails its own protocol on {failed}")
    return problems


def _check_count(what: str, n: int) -> None:
    check_positive_int(n, what)
