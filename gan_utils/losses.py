r"""GAN losses: each a pair (discriminator loss, generator loss) on the network's raw output.

The discriminator ``D`` always returns an unbounded score ``s``; for the logistic
losses ``D(x) = sigmoid(s)`` is the probability that ``x`` is real. Writing
``s_r`` for scores of real samples and ``s_f`` for scores of generated ones:

- ``minimax``: D minimises :math:`-E[\log D(x)] - E[\log(1 - D(G(z)))]`;
  G minimises :math:`E[\log(1 - D(G(z)))]` (saturates).
- ``nonsaturating``: D as minimax; G minimises :math:`-E[\log D(G(z))]`.
- ``least-squares``: D minimises :math:`\tfrac12 E[(s_r - 1)^2] + \tfrac12 E[s_f^2]`;
  G minimises :math:`\tfrac12 E[(s_f - 1)^2]`.
- ``wasserstein``: the critic minimises :math:`E[s_f] - E[s_r]`; G minimises :math:`-E[s_f]`.

Weight clipping and the gradient penalty (:func:`gradient_penalty`) keep the
Wasserstein critic Lipschitz; the training loop applies them.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .models import device_of


@dataclass(frozen=True)
class Loss:
    """Base class: a named pair of losses. ``logistic`` says whether scores are logits."""

    name: str = ""
    logistic: bool = False

    def d_loss(self, real_score: Tensor, fake_score: Tensor) -> Tensor:
        raise NotImplementedError

    def g_loss(self, fake_score: Tensor) -> Tensor:
        raise NotImplementedError

    def display(self, score: Tensor) -> Tensor:
        """What the course plots as "D(x)": a probability for logistic losses, else the score."""
        return torch.sigmoid(score) if self.logistic else score


@dataclass(frozen=True)
class Minimax(Loss):
    r"""The original game (Goodfellow et al. 2014).

    D: :math:`-E[\log \sigma(s_r)] - E[\log(1-\sigma(s_f))]` (binary cross-entropy).
    G: :math:`E[\log(1-\sigma(s_f))] = -E[\mathrm{softplus}(s_f)]`; its gradient
    :math:`\partial/\partial s_f = -\sigma(s_f) = -D(G(z))` vanishes when D rejects
    the fakes confidently: the loss *saturates*.
    """

    name: str = "minimax"
    logistic: bool = True

    def d_loss(self, real_score: Tensor, fake_score: Tensor) -> Tensor:
        return F.softplus(-real_score).mean() + F.softplus(fake_score).mean()

    def g_loss(self, fake_score: Tensor) -> Tensor:
        return -F.softplus(fake_score).mean()


@dataclass(frozen=True)
class NonSaturating(Minimax):
    r"""The generator maximises :math:`\log D(G(z))` instead (Goodfellow et al. 2014).

    G: :math:`-E[\log \sigma(s_f)] = E[\mathrm{softplus}(-s_f)]`; gradient
    :math:`-(1 - D(G(z)))`, largest exactly when D rejects the fakes.
    """

    name: str = "nonsaturating"

    def g_loss(self, fake_score: Tensor) -> Tensor:
        return F.softplus(-fake_score).mean()


@dataclass(frozen=True)
class LeastSquares(Loss):
    r"""LSGAN (Mao et al. 2017) with targets a=0 (fake), b=1 (real), c=1.

    D: :math:`\tfrac12 E[(s_r-1)^2] + \tfrac12 E[s_f^2]`;
    G: :math:`\tfrac12 E[(s_f-1)^2]`, gradient :math:`s_f - 1`, which does not
    vanish when fakes score low.
    """

    name: str = "least-squares"

    def d_loss(self, real_score: Tensor, fake_score: Tensor) -> Tensor:
        return 0.5 * ((real_score - 1) ** 2).mean() + 0.5 * (fake_score**2).mean()

    def g_loss(self, fake_score: Tensor) -> Tensor:
        return 0.5 * ((fake_score - 1) ** 2).mean()


@dataclass(frozen=True)
class Wasserstein(Loss):
    r"""WGAN (Arjovsky et al. 2017): the critic estimates the Wasserstein-1 distance.

    Critic: :math:`E[s_f] - E[s_r]` (its negative estimates W1 when the critic is
    1-Lipschitz); G: :math:`-E[s_f]`.
    """

    name: str = "wasserstein"

    def d_loss(self, real_score: Tensor, fake_score: Tensor) -> Tensor:
        return fake_score.mean() - real_score.mean()

    def g_loss(self, fake_score: Tensor) -> Tensor:
        return -fake_score.mean()


LOSSES: dict[str, Loss] = {
    loss.name: loss for loss in (Minimax(), NonSaturating(), LeastSquares(), Wasserstein())
}


def get_loss(name: str) -> Loss:
    if name not in LOSSES:
        raise ValueError(f"unknown loss {name!r}; choose one of {sorted(LOSSES)}")
    return LOSSES[name]


def gradient_penalty(critic: nn.Module, real: Tensor, fake: Tensor) -> Tensor:
    r"""WGAN-GP penalty (Gulrajani et al. 2017): :math:`E[(\|\nabla_{\hat x} C(\hat x)\|_2 - 1)^2]`
    at :math:`\hat x = \epsilon x + (1-\epsilon)\tilde x`, :math:`\epsilon \sim U(0,1)` per sample.
    The caller multiplies it by :math:`\lambda` (10 in the paper)."""
    if real.shape != fake.shape:
        raise ValueError(f"real and fake batches differ in shape: {tuple(real.shape)} vs {tuple(fake.shape)}")
    eps = torch.rand((real.shape[0],) + (1,) * (real.dim() - 1), device=real.device, dtype=real.dtype)
    mixed = (eps * real + (1 - eps) * fake).to(device_of(critic)).requires_grad_(True)
    score = critic(mixed)
    (grad,) = torch.autograd.grad(score.sum(), mixed, create_graph=True)
    return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()


def r1_penalty(discriminator: nn.Module, real: Tensor) -> Tensor:
    r"""R1 penalty (Mescheder et al. 2018): :math:`E[\|\nabla_x D(x)\|_2^2]` on real data.
    The caller multiplies it by :math:`\gamma / 2`."""
    x = real.detach().to(device_of(discriminator)).requires_grad_(True)
    (grad,) = torch.autograd.grad(discriminator(x).sum(), x, create_graph=True)
    return (grad.flatten(1) ** 2).sum(dim=1).mean()
