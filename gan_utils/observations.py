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


def check_observations(where, values, sigma, length: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The observations as arrays (integer flat indices, float values), or a clear
    ``ValueError``: lengths, integer and distinct indices (within ``0..length-1`` when
    ``length`` is given: the values per sample), finite values, a positive finite ``sigma``."""
    idx = np.asarray(where)
    obs = np.asarray(values, dtype=np.float64)
    if idx.ndim != 1 or obs.ndim != 1:
        raise ValueError(
            f"the observed indices and values must be flat lists, got shapes {idx.shape} and {obs.shape}"
        )
    if len(idx) != len(obs) or len(idx) == 0:
        raise ValueError(
            "the observed indices and values must be two non-empty lists of the same length, "
            f"got {len(idx)} and {len(obs)}"
        )
    if not np.issubdtype(idx.dtype, np.integer):
        raise ValueError(f"the observed indices must be integer sample indices, got {idx.tolist()}")
    if len(set(idx.tolist())) != len(idx):
        raise ValueError(f"the observed indices must not repeat, got {idx.tolist()}")
    if not np.isfinite(obs).all():
        raise ValueError("values contain NaN or infinite numbers")
    check_scalar(sigma, "sigma", integer=False, minimum=0, strict=True)
    if 2 * float(sigma) ** 2 < np.finfo(np.float64).tiny:  # the misfit divides by 2 sigma^2
        raise ValueError(f"sigma {sigma!r} is too small: its square underflows to 0 (give at least 1e-150)")
    if length is not None and (idx.min() < 0 or idx.max() >= length):
        raise ValueError(f"the observed indices must lie in 0..{length - 1}, got {idx.min()}..{idx.max()}")
    return idx, obs
