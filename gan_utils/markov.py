r"""The geostatistician's baseline for a binary facies log: a Markov chain of facies.

The facies down a well (sand or shale, from a 0.5 cut-off on the training logs) are
modelled as a first-order Markov chain, with the transition matrix counted on the same
training logs the GAN and kriging learn from (the transition-probability approach of
Carle & Fogg 1996, here in one dimension). With the chapter's measurement model as
emission, a reading :math:`d` at depth :math:`t` having likelihood
:math:`\mathcal{N}(d;\, \ell_{f_t}, \sigma^2)` for the facies level :math:`\ell_{f_t}`,
the model is a hidden Markov model, and forward filtering, backward sampling draws
facies sequences from the *exact* posterior of that model (Frühwirth-Schnatter 1994).

Two approximations, both stated: the emission ignores the tool's 3-point smoothing (a
reading next to a bed boundary is a mixture of the two levels, here it is assigned to
one facies); and a first-order chain makes bed thicknesses geometric, so it allows beds
thinner than the data's thinnest. Each facies sequence is then rendered as a log with
the data's measurement model (two levels, white noise, the 3-point tool, clamped to
[0, 1]), its levels and noise estimated from the training logs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .observations import check_observations

__all__ = ["FaciesMarkovChain", "fit_facies_chain", "simulate_facies_chain"]


@dataclass(frozen=True)
class FaciesMarkovChain:
    """A two-facies Markov chain down the well and how a facies reads on the log."""

    transition: np.ndarray  # (2, 2): P(facies at t+1 | facies at t), rows sum to 1
    initial: np.ndarray  # (2,): facies probabilities at the top sample
    levels: tuple[float, float]  # mean log value of each facies
    noise: float  # white noise before the 3-point tool (std)

    def mean_bed(self) -> np.ndarray:
        """Mean bed thickness of each facies in samples (geometric: 1 / P(leave))."""
        return 1.0 / (1.0 - np.diag(self.transition))


def fit_facies_chain(logs: np.ndarray, cutoff: float = 0.5) -> FaciesMarkovChain:
    """Facies by ``cutoff`` (above: shale), transition counts, and the levels and noise of
    each facies from samples at least two samples inside a bed. The noise is the
    within-bed spread times sqrt(3): the 3-point tool divides white noise's std by sqrt(3)."""
    logs = np.asarray(logs, dtype=float)
    if logs.ndim != 2 or logs.shape[1] < 5:
        raise ValueError(f"logs must be a 2-D array (n_logs, n_depth >= 5), got shape {logs.shape}")
    facies = (logs > cutoff).astype(int)
    counts = np.zeros((2, 2))
    np.add.at(counts, (facies[:, :-1].ravel(), facies[:, 1:].ravel()), 1)
    if (counts.sum(axis=1) == 0).any():
        raise ValueError("the logs show only one facies at this cut-off: no chain to fit")
    transition = counts / counts.sum(axis=1, keepdims=True)
    initial = np.bincount(facies[:, 0], minlength=2) / len(facies)
    # interior samples: same facies two samples up and down (the tool does not reach them)
    inside = np.ones_like(facies[:, 2:-2], dtype=bool)
    for shift in (-2, -1, 1, 2):
        inside &= facies[:, 2 + shift : facies.shape[1] - 2 + shift] == facies[:, 2:-2]
    core, core_facies = logs[:, 2:-2][inside], facies[:, 2:-2][inside]
    levels = tuple(float(core[core_facies == f].mean()) for f in (0, 1))
    spread = np.mean([core[core_facies == f].std() for f in (0, 1)])
    return FaciesMarkovChain(transition, initial, levels, float(spread * np.sqrt(3)))


def simulate_facies_chain(
    chain: FaciesMarkovChain,
    depths: Sequence[int],
    values: Sequence[float],
    sigma: float,
    length: int = 128,
    n: int = 50,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` conditional realisations: facies sequences drawn from the hidden Markov
    model's posterior given ``values`` at ``depths`` (error ``sigma``) by forward
    filtering, backward sampling, each rendered as a log. Returns the logs ``(n, length)``
    and the facies ``(n, length)``."""
    depths, values = check_observations(depths, values, sigma, length)
    rng = np.random.default_rng(seed)
    levels = np.asarray(chain.levels)
    like = np.ones((length, 2))
    like[depths] = np.exp(-0.5 * ((values[:, None] - levels) / sigma) ** 2)
    # forward filter: alpha[t] = p(f_t | readings at depths <= t), normalised
    alpha = np.empty((length, 2))
    alpha[0] = chain.initial * like[0]
    alpha[0] /= alpha[0].sum()
    for t in range(1, length):
        a = (alpha[t - 1] @ chain.transition) * like[t]
        if a.sum() == 0:
            raise ValueError("the readings are impossible under the facies model (check sigma)")
        alpha[t] = a / a.sum()
    # backward sampling: f_t | f_{t+1}, readings at depths <= t  ~  alpha[t] * P(f_t -> f_{t+1})
    facies = np.empty((n, length), dtype=int)
    facies[:, -1] = rng.random(n) < alpha[-1, 1]
    for t in range(length - 2, -1, -1):
        w = alpha[t][None, :] * chain.transition[:, facies[:, t + 1]].T  # (n, 2)
        facies[:, t] = rng.random(n) < w[:, 1] / w.sum(axis=1)
    raw = levels[facies] + chain.noise * rng.standard_normal((n, length))
    logs = raw.copy()
    logs[:, 1:-1] = (raw[:, :-2] + raw[:, 1:-1] + raw[:, 2:]) / 3
    return np.clip(logs, 0.0, 1.0), facies
