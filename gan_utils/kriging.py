r"""The baseline a geoscientist would reach for first: kriging with a fitted variogram.

The variogram is fitted to the same training logs the GAN learned from (so both methods
see the same prior information), as an exponential model with a nugget,

.. math::  \gamma(h) = c_0 + c\,\big(1 - e^{-h/a}\big),

by least squares on the empirical semivariogram (:func:`scipy.optimize.curve_fit`).
Simple kriging with the training mean and that covariance is Gaussian-process regression
with a fixed kernel, so :class:`sklearn.gaussian_process.GaussianProcessRegressor` does it:
the kriging mean and variance give the P10–P90 band, and ``sample_y`` draws conditional
(Gaussian) simulations, the ensemble to compare with the GAN's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import curve_fit


@dataclass(frozen=True)
class Variogram:
    """Exponential variogram with nugget; ``mean`` is the training logs' mean (simple kriging)."""

    nugget: float
    sill: float  # partial sill c (total sill = nugget + sill)
    range: float  # a, in depth samples (practical range 3a)
    mean: float

    def __call__(self, h: np.ndarray) -> np.ndarray:
        return exponential_model(np.asarray(h, dtype=float), self.nugget, self.sill, self.range)


def exponential_model(h: np.ndarray, nugget: float, sill: float, a: float) -> np.ndarray:
    return nugget + sill * (1.0 - np.exp(-h / a))


def empirical_variogram(logs: np.ndarray, max_lag: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Lags 1..``max_lag`` and the semivariance :math:`\\tfrac12 E[(x_{t+h} - x_t)^2]`,
    pooled over all logs (rows) and depths."""
    logs = np.asarray(logs, dtype=float)
    if logs.ndim != 2 or logs.shape[1] < 3:
        raise ValueError(f"logs must be a 2-D array (n_logs, n_depth >= 3), got shape {logs.shape}")
    if not 1 <= max_lag < logs.shape[1]:
        raise ValueError(f"max_lag must be in 1..{logs.shape[1] - 1}, got {max_lag}")
    lags = np.arange(1, max_lag + 1)
    gamma = np.array([0.5 * np.mean((logs[:, h:] - logs[:, :-h]) ** 2) for h in lags])
    return lags, gamma


def fit_variogram(logs: np.ndarray, max_lag: int = 40) -> Variogram:
    """Least-squares fit of the exponential model to the logs' empirical semivariogram."""
    lags, gamma = empirical_variogram(logs, max_lag)
    start = (gamma[0] / 2, gamma.max(), 5.0)
    (c0, c, a), _ = curve_fit(exponential_model, lags, gamma, p0=start, bounds=(0, np.inf))
    return Variogram(float(c0), float(c), float(a), float(np.mean(logs)))


def krige(
    variogram: Variogram,
    depths: Sequence[int],
    values: Sequence[float],
    sigma: float,
    length: int = 128,
    n: int = 50,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Simple kriging of ``values`` at ``depths`` (measurement error ``sigma``) onto
    ``0..length-1``: the kriging mean, its standard deviation (of the log itself, nugget
    included), and ``n`` conditional Gaussian simulations ``(n, length)``."""
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

    from .observations import check_observations

    depths, values = check_observations(depths, values, sigma, length)
    v = variogram
    # Matern(nu=0.5) is the exponential covariance; WhiteKernel the nugget
    kernel = ConstantKernel(v.sill, "fixed") * Matern(v.range, "fixed", nu=0.5) + WhiteKernel(
        max(v.nugget, 1e-10), "fixed"
    )
    gp = GaussianProcessRegressor(kernel, alpha=sigma**2, optimizer=None, normalize_y=False)
    gp.fit(depths[:, None].astype(float), values - v.mean)
    grid = np.arange(length, dtype=float)[:, None]
    mean, std = gp.predict(grid, return_std=True)
    sims = gp.sample_y(grid, n_samples=n, random_state=seed).T
    return mean + v.mean, std, sims + v.mean
