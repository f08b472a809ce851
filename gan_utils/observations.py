"""Observations of a sample, shared by conditioning (:mod:`gan_utils.condition`) and
kriging (:mod:`gan_utils.kriging`): their checks, and the observation operator.

An observation is a value at a flat index of a sample (a depth sample of a log, a
column of a crossplot point, a pixel of an image), read with a measurement error sigma.
A data set's registered ``observe(x, where)`` (default :func:`gan_utils.data.flat_observation`) maps
generated samples to what would be observed.
"""

from __future__ import annotations

import numpy as np

from .checks import check_scalar

__all__ = ["check_observations"]


def check_observations(depths, values, sigma, length: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The observations as arrays (integer depth indices, float values), or a clear
    ``ValueError``: lengths, integer and distinct depths (within ``0..length-1`` when
    ``length`` is given: the values per sample), finite values, a positive finite ``sigma``."""
    d_idx = np.asarray(depths)
    obs = np.asarray(values, dtype=np.float64)
    if d_idx.ndim != 1 or obs.ndim != 1 or len(d_idx) != len(obs) or len(d_idx) == 0:
        raise ValueError(
            "depths and values must be two non-empty lists of the same length, "
            f"got {len(d_idx)} and {len(obs)}"
        )
    if not np.issubdtype(d_idx.dtype, np.integer):
        raise ValueError(f"depths must be integer sample indices, got {d_idx.tolist()}")
    if len(set(d_idx.tolist())) != len(d_idx):
        raise ValueError(f"depths must not repeat, got {d_idx.tolist()}")
    if not np.isfinite(obs).all():
        raise ValueError("values contain NaN or infinite numbers")
    check_scalar(sigma, "sigma", integer=False, minimum=0, strict=True)
    if length is not None and (d_idx.min() < 0 or d_idx.max() >= length):
        raise ValueError(f"depths must lie in 0..{length - 1}, got {d_idx.min()}..{d_idx.max()}")
    return d_idx, obs
