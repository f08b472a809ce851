r"""A trained generator as a prior: conditioning generated samples to a few observations.

Given observations :math:`d` (values at known flat indices of a sample: depth samples of a
well log, columns of a crossplot point, pixels of an image) with measurement
error :math:`\sigma`, the posterior over the latent code of a trained generator :math:`G` is

.. math::  p(z \mid d) \propto \exp\!\Big(-\underbrace{\frac{\|M(G(z)) - d\|^2}{2\sigma^2}}_{\Phi(z)}
           \;[\, - \lambda\, \mathcal{L}_G(D(G(z))) \,]\Big)\; \mathcal{N}(z; 0, I),

where :math:`M` picks the observed values. Two ways to use it, one realisation per start:

* ``method="pcn"`` (default): Markov chain Monte Carlo with preconditioned Crank-Nicolson
  proposals :math:`z' = \sqrt{1-\beta^2}\,z + \beta\,\xi`, which leave the Gaussian prior
  invariant, so only :math:`\Phi` enters the acceptance test (Cotter et al. 2013). No
  gradients are needed; each chain's last state is one posterior sample. MCMC in a GAN's
  latent space is what Laloy et al. (2018) and Mosser et al. (2020) do.
* ``method="map"``: gradient descent (Adam) on :math:`\Phi(z) + \|z\|^2/2` from random
  starts (Laloy et al. 2019 for the gradient-based variant; the optional realism term is
  Dupont et al. 2018's). Chapter 4 shows why this is a poor sampler for a generator whose
  output saturates.

The optional realism term (weight :math:`\lambda`) adds the non-saturating generator loss
:math:`\operatorname{softplus}(-D(G(z)))`: the discriminator must keep finding the
result realistic.

A generator that draws its own noise :math:`\varepsilon` inside its forward pass (the well
logs' tool noise) defines :math:`G(z, \varepsilon)`. By default (``noise="fixed"``) each
realisation keeps one draw of :math:`\varepsilon` from the prior for the whole run, so an
ensemble of chains is a mixture, over the prior of :math:`\varepsilon`, of the posteriors
:math:`p(z \mid d, \varepsilon)`: not the posterior :math:`p(z, \varepsilon \mid d)`.
``noise="sampled"`` (pCN only) puts the standard-normal draws :math:`\varepsilon` in the
chain's state beside :math:`z`. The steps alternate between a pCN move of :math:`z` and one
of :math:`\varepsilon`, each with its own tuned step (Metropolis within Gibbs); each move
preserves its block's :math:`\mathcal{N}(0, I)` prior, so the chains sample
:math:`p(z, \varepsilon \mid d)`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from .checks import RunFailed, check_choice, check_positive_int
from .data import flat_observation
from .models import device_of, evaluating
from .observations import check_observations

__all__ = [
    "Conditioned",
    "check_observations",  # kept here too
    "condition",
    "effective_sample_size",
    "latent_potential",
    "map_search",
    "pcn_chains",
    "split_rhat",
    "starting_states",
]

METHODS = ("pcn", "map")
#: what happens to the generator's own noise draws: held fixed per realisation (default), or
#: sampled with the latent code by pCN
NOISE_MODES = ("fixed", "sampled")
#: default number of steps per method: about 2 s for 50 realisations on one CPU thread
DEFAULT_STEPS = {"pcn": 800, "map": 300}
#: below this mean pCN acceptance rate the chains are stuck: :meth:`Conditioned.problem`
MIN_ACCEPTANCE = 0.01


@dataclass
class Conditioned:
    """An ensemble of conditional realisations."""

    samples: np.ndarray  # (n, *shape), the generator's output space
    z: np.ndarray  # (n, latent_dim), their latent codes
    method: str
    acceptance: float | None = None  # pCN: mean acceptance rate of the proposals
    stuck: int = 0  # pCN: chains that never accepted a proposal after burn-in
    #: pCN with ``trace=``: (steps, n, 1 + m) array, per step and chain the potential Phi
    #: then the m traced quantities; the second half (after tuning) is what
    #: :meth:`diagnostics` uses
    trace: np.ndarray | None = None
    #: with ``noise="sampled"``: (n, noise_dim), each realisation's standard-normal noise
    #: draws (flattened, in the order the generator draws them); else None
    noise: np.ndarray | None = None

    def diagnostics(self) -> list[dict[str, float]]:
        """Per traced quantity (Phi first), the rank-normalised split R-hat and the bulk
        effective sample size of the chains' second halves (after the step tuning)."""
        if self.trace is None:
            raise ValueError("no trace recorded: call condition(..., trace=...) with method 'pcn'")
        kept = self.trace[len(self.trace) // 2 :]
        return [
            {"R-hat": split_rhat(kept[:, :, j]), "ESS": effective_sample_size(kept[:, :, j])}
            for j in range(kept.shape[2])
        ]

    def problem(self) -> str | None:
        """Why the ensemble is not a posterior sample (chains that did not move), or None."""
        if self.acceptance is None:
            return None
        if self.acceptance < MIN_ACCEPTANCE or self.stuck:
            return (
                f"the pCN chains hardly moved (acceptance {self.acceptance:.3f}, {self.stuck} of "
                f"{len(self.samples)} chains never moved after burn-in): the realisations are close to "
                "their starting prior draws; raise sigma or the number of steps"
            )
        return None


def _check_modes(method: str, noise: str, trace) -> None:
    check_choice(method, METHODS, "method")
    check_choice(noise, NOISE_MODES, "noise")
    if noise == "sampled" and method != "pcn":
        raise ValueError("noise='sampled' is for method 'pcn'")
    if trace is not None and (method != "pcn" or not callable(trace)):
        raise ValueError("trace must be a function of the outputs, and is recorded for method 'pcn' only")


def _check_settings(n, steps, method, step_size, realism, discriminator) -> None:
    for name, value in (("n", n), ("steps", steps)):
        check_positive_int(value, name)
    low, high = (0, 1) if method == "pcn" else (0, np.inf)
    what = "beta (the pCN step) must be in (0, 1]" if method == "pcn" else "lr must be positive"
    if not (isinstance(step_size, (int, float)) and low < step_size <= high):
        raise ValueError(f"{what}, got {step_size!r}")
    if not (isinstance(realism, (int, float)) and np.isfinite(realism) and realism >= 0):
        raise ValueError(f"realism must be a number >= 0, got {realism!r}")
    if realism and discriminator is None:
        raise ValueError("a realism term needs the discriminator")


def condition(
    generator: nn.Module,
    latent_dim: int,
    where: Sequence[int],
    values: Sequence[float],
    sigma: float,
    n: int = 50,
    method: str = "pcn",
    steps: int | None = None,
    beta: float = 0.25,
    lr: float = 0.05,
    seed: int = 0,
    discriminator: nn.Module | None = None,
    realism: float = 0.0,
    observe=flat_observation,
    trace=None,
    noise: str = "fixed",
) -> Conditioned:
    """``n`` conditional realisations of ``generator``'s output honouring ``values`` at
    ``where`` (flat indices into a sample) within ``sigma``; see the module's docstring for
    the two methods. ``beta`` is the pCN step, ``lr`` the MAP learning rate. ``observe(x,
    where)`` is the data set's observation operator (default: the values at flat indices
    ``where`` of each sample, whatever its shape).

    Everything random (starting codes, proposals, and the generator's own noise, which is
    held fixed per realisation) comes from a private stream seeded by ``seed``: the same
    call gives the same ensemble, and the global random state is untouched.

    ``trace`` (pCN only): a function of a batch of outputs returning one number per
    realisation (shape ``(n,)``) or several (``(n, m)``); with it, every step's Phi and
    those numbers are kept in :attr:`Conditioned.trace` (recording changes no result).

    ``noise``: ``"fixed"`` (default) holds each realisation's draw of the generator's own
    noise fixed, as described above: the ensemble is then a mixture over the noise's prior.
    ``"sampled"`` (pCN only) makes the noise part of each chain's state, so that the chains
    sample the joint posterior of code and noise; :attr:`Conditioned.noise` returns it. The
    generator's noise is whatever it draws with ``torch.randn`` or ``torch.randn_like``
    (batch first) during a forward pass; a generator that draws none is unaffected.

    The steps: check the inputs, draw the starting states (:func:`starting_states`), build
    the potential (:func:`latent_potential`), then run the sampler (:func:`pcn_chains` or
    :func:`map_search`)."""
    _check_modes(method, noise, trace)
    steps = DEFAULT_STEPS[method] if steps is None else steps
    where, values = check_observations(where, values, sigma)
    _check_settings(n, steps, method, beta if method == "pcn" else lr, realism, discriminator)
    with evaluating(seed, generator, discriminator):
        state, shapes = starting_states(generator, latent_dim, n, noise, where, values, sigma)
        potential = latent_potential(
            generator, latent_dim, where, values, sigma, observe, discriminator, realism, shapes
        )
        blocks = latent_dim if state.shape[1] > latent_dim else None  # code and noise move in turn
        if method == "pcn":
            found = pcn_chains(potential, state, steps, beta, seed, trace=trace, blocks=blocks)
        else:
            found = map_search(potential, state, steps, lr)
        if not np.isfinite(found.samples).all():
            raise RunFailed("conditioning produced NaN values; try a smaller step (beta or lr)")
    state = found.z
    drawn = state[:, latent_dim:] if noise == "sampled" else None
    return dataclasses.replace(found, z=state[:, :latent_dim], method=method, noise=drawn)


def in_physical_units(observe, scaler, shape: tuple[int, ...]):
    """The observation operator ``observe(x, where)`` applied to the physical-unit samples
    of a generator that outputs standardised values (``scaler``'s ``to_physical`` for one
    sample of ``shape``), so that conditioning reads values and ``sigma`` in the data's own
    units. For a data set trained unstandardised the result is ``observe``'s, bit for bit."""
    mean = np.broadcast_to(np.asarray(scaler.mean, dtype=np.float32), shape).ravel()
    std = np.broadcast_to(np.asarray(scaler.std, dtype=np.float32), shape).ravel()
    if not (mean == 0).all() or not (std == 1).all():
        m, s = torch.as_tensor(mean.copy()), torch.as_tensor(std.copy())

        def physical(x: torch.Tensor, where) -> torch.Tensor:
            flat = x.reshape(len(x), -1) * s.to(x.device) + m.to(x.device)
            return observe(flat.reshape(x.shape), where)

        return physical
    return observe


def starting_states(
    generator: nn.Module, latent_dim: int, n: int, noise: str, where, values, sigma: float
) -> tuple[torch.Tensor, list[tuple[int, ...]]]:
    """``n`` starting states drawn from the prior, from torch's current random stream: the
    latent codes, followed with ``noise="sampled"`` by standard-normal values for the
    generator's own noise draws (one row per chain); and the shapes of those draws. Checks
    that the generator takes codes of size ``latent_dim`` and that ``where`` lies inside
    one of its outputs."""
    device = device_of(generator)
    z = torch.randn(int(n), latent_dim, device=device)
    try:
        with torch.no_grad():
            probe = generator(z[:1])
    except RuntimeError as exc:  # e.g. a latent size the network was not built for
        raise ValueError(f"the generator does not take latent codes of size {latent_dim}: {exc}") from None
    check_observations(where, values, sigma, probe[0].numel())
    shapes = _noise_shapes(generator, z) if noise == "sampled" else []
    n_noise = sum(int(np.prod(shape)) for shape in shapes)
    if n_noise:  # the state is (z, noise), flattened into one row per chain
        z = torch.cat([z, torch.randn(int(n), n_noise, device=device)], dim=1)
    return z, shapes


def latent_potential(
    generator: nn.Module,
    latent_dim: int,
    where: np.ndarray,
    values: np.ndarray,
    sigma: float,
    observe=flat_observation,
    discriminator: nn.Module | None = None,
    realism: float = 0.0,
    shapes: tuple[tuple[int, ...], ...] = (),
):
    """The potential Phi, the negative log posterior in latent space less the prior term:
    a function of a batch of states returning Phi per state (the misfit
    ``|observe(G(z), where) - values|^2 / (2 sigma^2)``, plus ``realism`` times the
    generator loss of the discriminator's score) and the outputs ``G(z)``. The generator's
    own noise draws (unless they are part of the state, ``shapes``) come from torch's random
    state as it is now, restored before every call: held fixed per realisation."""
    device = device_of(generator)
    idx = torch.as_tensor(where, device=device)
    target = torch.as_tensor(values, dtype=torch.float32, device=device)
    cuda = device.type == "cuda"  # on the GPU, the noise comes from its own generator
    noise_state = torch.random.get_rng_state()
    cuda_state = torch.cuda.get_rng_state(device) if cuda else None

    def potential(state: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        torch.random.set_rng_state(noise_state)
        if cuda:
            torch.cuda.set_rng_state(cuda_state, device)
        x = _forward(generator, state, latent_dim, shapes)
        phi = ((observe(x, idx) - target) ** 2).sum(dim=1) / (2 * sigma**2)
        if realism:
            phi = phi + realism * nn.functional.softplus(-discriminator(x)).flatten()
        return phi, x

    return potential


def _requested_shape(func, args, kwargs) -> tuple[int, ...]:
    if func is torch.randn_like:
        return tuple(args[0].shape)
    size = args[0] if len(args) == 1 and isinstance(args[0], (tuple, list, torch.Size)) else args
    return tuple(int(v) for v in (size or kwargs.get("size", ())))


class _RecordNoise(TorchFunctionMode):
    """Records the shapes of the generator's standard-normal draws (and returns them)."""

    def __init__(self):
        super().__init__()
        self.shapes: list[tuple[int, ...]] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        if func in (torch.randn, torch.randn_like):
            self.shapes.append(_requested_shape(func, args, kwargs or {}))
        return func(*args, **(kwargs or {}))


class _FeedNoise(TorchFunctionMode):
    """Answers the generator's standard-normal draws, in order, from ``values`` (n, total):
    the noise part of the pCN state."""

    def __init__(self, values: torch.Tensor, shapes: list[tuple[int, ...]]):
        super().__init__()
        self.values, self.shapes, self.start, self.calls = values, shapes, 0, 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func not in (torch.randn, torch.randn_like):
            return func(*args, **kwargs)
        shape = _requested_shape(func, args, kwargs)
        if self.calls >= len(self.shapes) or shape[1:] != self.shapes[self.calls]:
            raise RuntimeError("the generator's noise draws changed between calls")
        size = int(np.prod(shape[1:]))
        out = self.values[:, self.start : self.start + size].reshape(shape)
        self.start, self.calls = self.start + size, self.calls + 1
        like = args[0] if func is torch.randn_like else None
        dtype = kwargs.get("dtype") or (like.dtype if like is not None else torch.get_default_dtype())
        return out.to(dtype)


def _forward(generator: nn.Module, state: torch.Tensor, latent_dim: int, shapes) -> torch.Tensor:
    """The generator's output for pCN states (code, then its noise draws if ``shapes``)."""
    state = state.to(device_of(generator))
    if not shapes:
        return generator(state)
    with _FeedNoise(state[:, latent_dim:], shapes):
        return generator(state[:, :latent_dim])


def _noise_shapes(generator: nn.Module, z: torch.Tensor) -> list[tuple[int, ...]]:
    """Per-realisation shapes of the standard-normal draws ``generator`` makes (batch first)."""
    state = torch.random.get_rng_state()
    try:
        recorder = _RecordNoise()
        with torch.no_grad(), recorder:
            generator(z[:2].to(device_of(generator)))
    finally:
        torch.random.set_rng_state(state)  # the probe leaves the private stream as it was
    if any(not shape or shape[0] != len(z[:2]) for shape in recorder.shapes):
        raise ValueError("noise='sampled' needs a generator whose noise draws are batch first")
    return [shape[1:] for shape in recorder.shapes]


def _recorder(trace, recorded: list):
    def record(phi: torch.Tensor, x: torch.Tensor) -> None:
        values = torch.as_tensor(trace(x)).reshape(len(x), -1)
        recorded.append(torch.cat([phi[:, None], values.to(phi)], dim=1).cpu().numpy())

    return record


def pcn_chains(
    potential,
    z: torch.Tensor,
    steps: int,
    beta: float,
    seed: int,
    target: float = 0.3,
    trace=None,
    blocks: int | None = None,
) -> Conditioned:
    """pCN chains, one per row of ``z``, sampling ``exp(-potential) N(0, I)``. During the
    first half each chain tunes its own step every 25 proposals toward an acceptance rate
    of ``target`` (x1.25 or /1.25, at most 1); the second half runs at the tuned steps.
    Returns the last states and their outputs, the second half's mean acceptance rate and
    the number of chains that accepted nothing in it; with ``trace`` (see
    :func:`condition`), every step's potentials and traced quantities.

    ``blocks`` (a column index): the steps alternate between moving the columns before it
    (the code) and those from it on (the generator's noise), each block with its own tuned
    step (a pCN move within each block, Metropolis within Gibbs); each block's proposal
    preserves its standard-normal prior."""
    rng = torch.Generator(device="cpu").manual_seed(int(seed) + 1_000_003)  # proposals
    columns = torch.arange(z.shape[1], device=z.device)
    masks = [columns >= 0] if blocks is None else [columns < blocks, columns >= blocks]
    b = torch.full((len(z), len(masks)), float(beta), device=z.device)
    burn = steps // 2
    window = torch.zeros(len(z), len(masks), device=z.device)
    proposed = [0] * len(masks)
    accepted = 0.0
    moves = torch.zeros(len(z), device=z.device)
    recorded: list[np.ndarray] = []
    record = None if trace is None else _recorder(trace, recorded)
    with torch.no_grad():
        phi, x = potential(z)
        for step in range(steps):
            j = step % len(masks)
            bj = b[:, j : j + 1]
            move = (1 - bj**2).sqrt() * z + bj * torch.randn(z.shape, generator=rng).to(z.device)
            proposal = torch.where(masks[j], move, z)
            phi_new, x_new = potential(proposal)
            u = torch.rand(len(z), generator=rng).to(z.device)
            accept = torch.log(u) < phi - phi_new  # min(1, exp(phi - phi_new))
            z = torch.where(accept[:, None], proposal, z)
            phi = torch.where(accept, phi_new, phi)
            x = torch.where(accept.view(-1, *[1] * (x.ndim - 1)), x_new, x)
            if record is not None:
                record(phi, x)
            if step < burn:
                window[:, j] += accept.float()
                proposed[j] += 1
                if proposed[j] % 25 == 0:
                    up = window[:, j] / 25 > target
                    b[:, j] = torch.where(up, (b[:, j] * 1.25).clamp(max=1.0), b[:, j] / 1.25)
                    window[:, j] = 0
            else:
                accepted += accept.float().mean().item()
                moves += accept.float()
    stuck = int((moves == 0).sum()) if steps > burn else 0
    history = np.stack(recorded) if recorded else None
    acceptance = accepted / max(1, steps - burn)
    return Conditioned(x.cpu().numpy(), z.cpu().numpy(), "pcn", acceptance, stuck, history)


def map_search(potential, z: torch.Tensor, steps: int, lr: float) -> Conditioned:
    """Adam on ``potential(z) + |z|^2 / 2`` (the negative log posterior) from each row of
    ``z`` as a start, for ``steps`` steps: the codes it ends at and their outputs."""
    z = z.clone().requires_grad_(True)
    opt = torch.optim.Adam([z], lr=lr)
    for _ in range(steps):
        phi, _ = potential(z)
        objective = phi + 0.5 * (z**2).sum(dim=1)
        opt.zero_grad(set_to_none=True)
        objective.sum().backward()
        opt.step()
    with torch.no_grad():
        _, x = potential(z)
    return Conditioned(x.cpu().numpy(), z.detach().cpu().numpy(), "map")


# ----------------------------------------------------------------------------- MCMC diagnostics


def _check_draws(draws) -> np.ndarray:
    draws = np.asarray(draws, dtype=float)
    if draws.ndim != 2 or draws.shape[0] < 4 or draws.shape[1] < 1:
        raise ValueError(f"draws must be a 2-D array (n_draws >= 4, n_chains), got shape {draws.shape}")
    if not np.isfinite(draws).all():
        raise ValueError("draws contain NaN or infinite values")
    return draws


def _split(draws: np.ndarray) -> np.ndarray:
    """Each chain cut into its first and second half: (n_draws // 2, 2 * n_chains)."""
    half = len(draws) // 2
    return np.concatenate([draws[:half], draws[len(draws) - half :]], axis=1)


def _rank_normal(draws: np.ndarray) -> np.ndarray:
    """Ranks over all draws (ties averaged) mapped to normal scores (Vehtari et al. 2021)."""
    from scipy.stats import norm, rankdata

    ranks = rankdata(draws, method="average").reshape(draws.shape)
    return norm.ppf((ranks - 0.375) / (draws.size + 0.25))


def _rhat(draws: np.ndarray) -> float:
    """Gelman-Rubin potential scale reduction of chains in columns."""
    n = len(draws)
    within = draws.var(axis=0, ddof=1).mean()
    between = n * draws.mean(axis=0).var(ddof=1)
    if within == 0:
        raise ValueError("the draws are constant within every chain: R-hat is undefined")
    return float(np.sqrt(((n - 1) / n * within + between / n) / within))


def split_rhat(draws) -> float:
    """Rank-normalised split R-hat of ``draws`` (n_draws, n_chains) (Vehtari et al.
    2021): the larger of the R-hat of the rank-normalised split chains and that of their
    folded version (distances from the median), so that chains differing in location or
    in spread both show. About 1 when the chains sample one distribution; they recommend
    trusting the chains only below 1.01."""
    split = _split(_check_draws(draws))
    folded = np.abs(split - np.median(split))
    return max(_rhat(_rank_normal(split)), _rhat(_rank_normal(folded)))


def _ess(draws: np.ndarray) -> float:
    """Multi-chain effective sample size (Stan's estimator: Geyer's initial monotone
    sequence on the chains' averaged autocorrelations)."""
    n, m = draws.shape
    centred = draws - draws.mean(axis=0)
    size = 2 ** int(np.ceil(np.log2(2 * n)))
    spectrum = np.fft.rfft(centred, n=size, axis=0)
    acov = np.fft.irfft(spectrum * np.conj(spectrum), n=size, axis=0)[:n] / n  # (lag, chain)
    within = acov[0].mean() * n / (n - 1)
    var_plus = within * (n - 1) / n + (draws.mean(axis=0).var(ddof=1) if m > 1 else 0.0)
    if var_plus == 0:
        raise ValueError("the draws are constant: the effective sample size is undefined")
    rho = 1 - (within - acov.mean(axis=1)) / var_plus
    rho[0] = 1.0
    pairs = rho[: 2 * (n // 2)].reshape(-1, 2).sum(axis=1)
    positive = np.argmax(pairs <= 0) if (pairs <= 0).any() else len(pairs)
    pairs = np.minimum.accumulate(pairs[:positive])  # initial positive, monotone sequence
    tau = max(-1 + 2 * pairs.sum(), 1 / np.log10(n * m))  # Stan's lower bound
    return float(n * m / tau)


def effective_sample_size(draws) -> float:
    """Bulk effective sample size of ``draws`` (n_draws, n_chains): how many independent
    draws the correlated chains are worth for the centre of the distribution (Vehtari et
    al. 2021: rank-normalised split chains, Geyer's initial monotone sequence)."""
    return _ess(_rank_normal(_split(_check_draws(draws))))


# ----------------------------------------------------------------------------- scoring


def band_coverage(
    ensemble: np.ndarray, truth: np.ndarray, mask: np.ndarray | None = None, low: float = 10, high: float = 90
) -> float:
    """Share of indices (where ``mask`` is true) at which ``truth`` lies inside the ensemble's
    P``low``–P``high`` band: about 0.8 for a calibrated P10–P90 band."""
    lo, hi = np.percentile(ensemble, [low, high], axis=0)
    inside = (truth >= lo) & (truth <= hi)
    return float(inside[mask].mean() if mask is not None else inside.mean())


def away_from_data(length: int, where: Sequence[int], halo: int = 3) -> np.ndarray:
    """Boolean mask of the indices ``0..length-1`` more than ``halo`` from every observed
    index in ``where``."""
    mask = np.ones(length, dtype=bool)
    for d in where:
        mask[max(0, d - halo) : d + halo + 1] = False
    return mask


def observation_indices(length: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """``k`` sorted indices in ``0..length-1`` to observe, one drawn at random in each of
    ``k`` equal windows (stratified: spread down a well, but not on a regular grid)."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= length:
        raise ValueError(f"k must be an integer in 1..{length}, got {k!r}")
    edges = np.linspace(0, length, k + 1).round().astype(int)
    return np.array([rng.integers(a, b) for a, b in zip(edges[:-1], edges[1:], strict=True)])


def conditional_scores(
    ensemble: np.ndarray, truth: np.ndarray, where: Sequence[int], values: Sequence[float], sigma: float
) -> dict[str, float]:
    """How well an ensemble honours the data and brackets a hidden truth.

    - ``coverage``: share of indices away from the data (:func:`away_from_data`) where the
      truth lies in the P10–P90 band (about 0.8 when calibrated);
    - ``band width``: mean P90 − P10 there (narrower is sharper, if coverage holds);
    - ``misfit/sigma``: root-mean-square of (realisation − observation) / sigma at the
      observed indices, over all realisations (about 1 or less when the data are honoured);
    - ``P50 error``: mean |P50 − truth| away from the data;
    - ``fraction between 0.4 and 0.6``: of all realisation values (real logs: about 0.04);
      a facies-free method smears values across the gap between sand and shale.
    """
    from .metrics import fraction_between

    where = np.asarray(where)
    mask = away_from_data(len(truth), where)
    lo, p50, hi = np.percentile(ensemble, [10, 50, 90], axis=0)
    residual = (ensemble[:, where] - np.asarray(values)) / sigma
    return {
        "coverage": band_coverage(ensemble, truth, mask),
        "band width": float((hi - lo)[mask].mean()),
        "misfit/sigma": float(np.sqrt((residual**2).mean())),
        "P50 error": float(np.abs(p50 - truth)[mask].mean()),
        "fraction between 0.4 and 0.6": fraction_between(ensemble),
    }
