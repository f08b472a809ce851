"""The alternatives to a GAN, trained without a game: flow matching (Lipman et al. 2023;
rectified flow, Liu et al. 2022), denoising diffusion (Ho et al. 2020) and a variational
autoencoder (Kingma & Welling 2014).

Draw noise ``x0 ~ N(0, I)`` and a data sample ``x1``, and a time ``t`` uniform in [0, 1].
On the straight path ``x_t = (1 - t) x0 + t x1`` a point moves with velocity ``x1 - x0``.
A network ``v(x, t)`` learns that velocity by least squares (:func:`flow_matching_loss`);
averaged over all pairs it is the velocity field that carries the noise distribution
onto the data distribution. Sampling solves the ODE ``dx/dt = v(x, t)`` from a noise
sample at ``t = 0`` to ``t = 1`` (:class:`FlowSampler`, Heun's method in a few steps).

A diffusion model (:class:`DiffusionSampler`) learns instead the noise added to a data
sample at a random noise level (:func:`diffusion_loss`) and samples by removing it step
by step (the deterministic DDIM sampler). A VAE (:class:`VAE`) learns an encoder and a
decoder together by a likelihood bound (:func:`vae_loss`); its decoder is the generator.

Each sampler is a deterministic map from a noise vector to a sample, like a GAN's
generator: the same latent code gives the same sample, so the course's sampling, saving,
loading and conditioning (pCN over the latent code) work on it unchanged.
"""

from __future__ import annotations

import torch
from torch import nn

from .models import ModelSpec, mlp, register_builder

#: ODE solvers :class:`FlowSampler` knows (network evaluations per step: 1 and 2)
SOLVERS = ("euler", "heun")


def _net_of_x_and_t(spec: ModelSpec) -> nn.Module:
    """An MLP on ``[x, t]`` (a sample and a time or noise level) with the spec's widths,
    giving a vector of the sample's size."""
    if spec.in_dim != spec.out_dim:
        raise ValueError(f"{spec.kind} maps noise to data of one size: sizes {spec.sizes} differ at the ends")
    return mlp((spec.in_dim + 1, *spec.sizes[1:]), spec.activation, "identity")


def _steps_option(spec: ModelSpec, default: int, maximum: int) -> int:
    """The sampler's number of steps, from the spec's options: an integer in 1..maximum."""
    steps = spec.options.get("steps", default)
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= maximum:
        raise ValueError(f"{spec.kind} option steps must be an integer in 1..{maximum}, got {steps!r}")
    return steps


class FlowSampler(nn.Module):
    """A velocity network ``v(x, t)`` (an MLP on ``[x, t]``) and the ODE solver that turns
    it into a generator: ``forward(z)`` carries noise ``z`` at ``t = 0`` to a sample at
    ``t = 1`` in ``steps`` steps of ``solver``.

    Spec: ``ModelSpec((dim, *hidden, dim), activation, kind="flow-mlp",
    options={"steps": 20, "solver": "heun"})``."""

    def __init__(self, spec: ModelSpec):
        super().__init__()
        self.velocity = _net_of_x_and_t(spec)
        self.steps = _steps_option(spec, 20, 10_000)
        self.solver = spec.options.get("solver", "heun")
        if self.solver not in SOLVERS:
            raise ValueError(f"{spec.kind} option solver must be one of {SOLVERS}, got {self.solver!r}")

    def v(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        """The learned velocity at points ``x`` (batch, dim) and times ``t`` (batch, 1)."""
        return self.velocity(torch.cat([x, t], dim=1))

    def forward(self, z: torch.Tensor, steps: int | None = None) -> torch.Tensor:
        steps = steps or self.steps
        x, dt = z, 1.0 / steps
        for k in range(steps):
            t = torch.full_like(x[:, :1], k * dt)
            slope = self.v(x, t)
            if self.solver == "heun":  # average the slopes at both ends of the step
                slope = 0.5 * (slope + self.v(x + dt * slope, t + dt))
            x = x + dt * slope
        return x

    def evaluations(self, steps: int | None = None) -> int:
        """Network evaluations per sample."""
        return (steps or self.steps) * (2 if self.solver == "heun" else 1)


register_builder("flow-mlp", FlowSampler)
#: model kinds that are flows (a velocity network with its ODE sampler)
FLOW_KINDS = ("flow-mlp",)


def flow_matching_loss(flow: FlowSampler, x1: torch.Tensor) -> torch.Tensor:
    """The conditional flow-matching loss on a batch of data ``x1``: the mean squared
    error between the network's velocity and ``x1 - x0`` at a random point of each
    straight path from fresh noise ``x0``."""
    x0 = torch.randn_like(x1)
    t = torch.rand(x1.shape[0], 1, device=x1.device, dtype=x1.dtype)
    xt = (1 - t) * x0 + t * x1
    return ((flow.v(xt, t) - (x1 - x0)) ** 2).mean()


# ------------------------------------------------------------------------ denoising diffusion


class DiffusionSampler(nn.Module):
    """A denoising diffusion model (DDPM, Ho et al. 2020) as a generator: a noise-prediction
    network ``eps(x, t)`` (an MLP on ``[x, t]``) and the deterministic DDIM sampler (Song et
    al. 2021) that carries noise ``z`` at ``t = 1`` to a sample at ``t = 0`` in ``steps``
    steps. Training (:func:`diffusion_loss`) uses ``T = 1000`` noise levels on the cosine
    schedule (Nichol & Dhariwal 2021); sampling takes ``steps`` of them, evenly spaced.

    Spec: ``ModelSpec((dim, *hidden, dim), activation, kind="diffusion-mlp",
    options={"steps": 50})``."""

    T = 1000

    def __init__(self, spec: ModelSpec):
        super().__init__()
        self.eps = _net_of_x_and_t(spec)
        self.steps = _steps_option(spec, 50, self.T)
        s = 0.008  # the cosine schedule's offset
        t = torch.linspace(0, 1, self.T + 1)
        alpha_bar = torch.cos((t + s) / (1 + s) * torch.pi / 2) ** 2
        self.register_buffer("alpha_bar", (alpha_bar / alpha_bar[0]).clamp(1e-5, 1.0), persistent=False)

    def predict(self, x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
        """The predicted noise in ``x`` at noise levels ``k`` (integers in 1..T, shape (batch, 1))."""
        return self.eps(torch.cat([x, k / self.T], dim=1))

    def forward(self, z: torch.Tensor, steps: int | None = None) -> torch.Tensor:
        levels = torch.linspace(self.T, 0, (steps or self.steps) + 1).round().long()
        x = z
        for k, k_next in zip(levels[:-1], levels[1:], strict=True):
            a, a_next = self.alpha_bar[k], self.alpha_bar[k_next]
            eps = self.predict(x, torch.full_like(x[:, :1], float(k)))
            x0 = (x - (1 - a).sqrt() * eps) / a.sqrt()  # the clean sample this noise implies
            x = a_next.sqrt() * x0 + (1 - a_next).sqrt() * eps  # DDIM: the same noise, less of it
        return x

    def evaluations(self, steps: int | None = None) -> int:
        return steps or self.steps


register_builder("diffusion-mlp", DiffusionSampler)
DIFFUSION_KINDS = ("diffusion-mlp",)


def diffusion_loss(model: DiffusionSampler, x0: torch.Tensor) -> torch.Tensor:
    """DDPM's simple loss on a batch of data ``x0``: noise it to a random level ``k`` and
    ask the network for the noise (mean squared error)."""
    k = torch.randint(1, model.T + 1, (x0.shape[0], 1), device=x0.device)
    a = model.alpha_bar[k]
    noise = torch.randn_like(x0)
    xk = a.sqrt() * x0 + (1 - a).sqrt() * noise
    return ((model.predict(xk, k.to(x0.dtype)) - noise) ** 2).mean()


# ------------------------------------------------------------------- variational autoencoder


class VAE(nn.Module):
    """A variational autoencoder (Kingma & Welling 2014) whose decoder is the generator: an
    encoder MLP gives each sample a Gaussian code ``q(z | x)``, a decoder MLP maps a code to
    the mean of a Gaussian over samples, with a learned variance per value. Trained by the
    evidence lower bound (:func:`vae_loss`); ``forward(z)`` is the decoder's mean, so a
    sample is a deterministic function of its code, as for a GAN.

    Spec: ``ModelSpec((latent, *hidden, dim), activation, kind="vae-mlp")``; the encoder
    mirrors the decoder."""

    def __init__(self, spec: ModelSpec):
        super().__init__()
        latent, hidden, dim = spec.in_dim, spec.sizes[1:-1], spec.out_dim
        self.decoder = mlp(spec.sizes, spec.activation, spec.output)
        self.encoder = mlp((dim, *reversed(hidden), 2 * latent), spec.activation, "identity")
        self.log_var = nn.Parameter(torch.zeros(dim))  # the decoder's noise, per value

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The mean and log-variance of ``q(z | x)``."""
        return self.encoder(x).chunk(2, dim=1)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)

    def evaluations(self, steps: int | None = None) -> int:
        return 1


register_builder("vae-mlp", VAE)
VAE_KINDS = ("vae-mlp",)


def vae_loss(model: VAE, x: torch.Tensor) -> torch.Tensor:
    """The negative evidence lower bound per value of a batch ``x``: the Gaussian negative
    log-likelihood of ``x`` under the decoded code (reparameterised sample of ``q(z | x)``)
    plus the KL divergence of ``q(z | x)`` from the prior ``N(0, I)``."""
    mean, log_var = model.encode(x)
    z = mean + torch.randn_like(mean) * (0.5 * log_var).exp()
    nll = 0.5 * (((x - model(z)) ** 2) / model.log_var.exp() + model.log_var).sum(1)
    kl = 0.5 * (mean**2 + log_var.exp() - 1 - log_var).sum(1)
    return (nll + kl).mean() / x.shape[1]
