r"""A trained generator as a prior: conditioning generated logs to a few observations.

Given observations :math:`d` (gamma-ray readings at known depth samples) with measurement
error :math:`\sigma`, search the latent space of a trained generator :math:`G` for codes
that explain them, by minimising the negative log posterior (MAP)

.. math::  J(z) = \frac{\|M(G(z)) - d\|^2}{2\sigma^2} + \frac{\|z\|^2}{2}
           \;[\, + \lambda\, \mathcal{L}_G(D(G(z))) \,]

from many random starting points, one per realisation, where :math:`M` picks the observed
depths (Laloy et al. 2018; Mosser et al. 2020). The optional last term (weight
:math:`\lambda`) asks the discriminator to keep finding the result realistic (Dupont et
al. 2018). Each start gives one conditional realisation; together they form an ensemble.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn


def condition(
    generator: nn.Module,
    latent_dim: int,
    depths: Sequence[int],
    values: Sequence[float],
    sigma: float,
    n: int = 50,
    steps: int = 300,
    lr: float = 0.05,
    seed: int = 0,
    discriminator: nn.Module | None = None,
    realism: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` conditional realisations (``(n, length)`` array in the generator's output space)
    and their latent codes, by Adam on the MAP objective from ``n`` random starts.

    The generator's own noise, if it draws any, is fixed per realisation (a private random
    stream seeded by ``seed``), so the result is reproducible."""
    d_idx = np.asarray(depths)
    obs = np.asarray(values, dtype=np.float64)
    if d_idx.ndim != 1 or obs.ndim != 1 or len(d_idx) != len(obs) or len(d_idx) == 0:
        raise ValueError(
            "depths and values must be two non-empty lists of the same length, "
            f"got {len(d_idx)} and {len(obs)}"
        )
    if not np.issubdtype(d_idx.dtype, np.integer):
        raise ValueError(f"depths must be integer sample indices, got {d_idx.tolist()}")
    if not np.isfinite(obs).all():
        raise ValueError("values contain NaN or infinite numbers")
    if not (isinstance(sigma, (int, float)) and np.isfinite(sigma) and sigma > 0):
        raise ValueError(f"sigma must be a positive number, got {sigma!r}")
    for name, value in (("n", n), ("steps", steps)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr!r}")
    if realism and discriminator is None:
        raise ValueError("a realism term needs the discriminator")

    device = next(generator.parameters()).device
    was_training = generator.training
    generator.eval()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(seed))
        z = torch.randn(n, latent_dim, device=device, requires_grad=True)
        with torch.no_grad():
            length = generator(z[:1]).shape[1]
        if d_idx.min() < 0 or d_idx.max() >= length:
            raise ValueError(f"depths must lie in 0..{length - 1}, got {d_idx.min()}..{d_idx.max()}")
        idx = torch.as_tensor(d_idx, device=device)
        target = torch.as_tensor(obs, dtype=torch.float32, device=device)
        noise_state = torch.random.get_rng_state()
        opt = torch.optim.Adam([z], lr=lr)
        for _ in range(steps):
            torch.random.set_rng_state(noise_state)  # same generator noise at every step
            x = generator(z)
            misfit = ((x[:, idx] - target) ** 2).sum(dim=1) / (2 * sigma**2)
            objective = misfit + 0.5 * (z**2).sum(dim=1)
            if realism:  # the non-saturating generator loss, per realisation
                objective = objective + realism * nn.functional.softplus(-discriminator(x)).flatten()
            opt.zero_grad(set_to_none=True)
            objective.sum().backward()
            opt.step()
        torch.random.set_rng_state(noise_state)
        with torch.no_grad():
            out = generator(z).cpu().numpy()
    generator.train(was_training)
    return out, z.detach().cpu().numpy()


def band_coverage(
    ensemble: np.ndarray, truth: np.ndarray, mask: np.ndarray | None = None, low: float = 10, high: float = 90
) -> float:
    """Share of depths (where ``mask`` is true) at which ``truth`` lies inside the ensemble's
    P``low``–P``high`` band: about 0.8 for a calibrated P10–P90 band."""
    lo, hi = np.percentile(ensemble, [low, high], axis=0)
    inside = (truth >= lo) & (truth <= hi)
    return float(inside[mask].mean() if mask is not None else inside.mean())
