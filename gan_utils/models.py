"""Networks as data: a :class:`ModelSpec` names sizes and activations; :func:`build` makes it.

The seed's networks are plain multilayer perceptrons (Lux ``Dense`` layers,
whose default initialisation matches PyTorch's ``nn.Linear``):

* well-log generator ``8 -> 64 -> 128 -> 128``, leaky ReLU, sigmoid output;
* well-log discriminator ``128 -> 64 -> 32 -> 1``, leaky ReLU, raw score;
* crossplot generator ``4 -> 48 -> 48 -> 2``, ReLU, linear output;
* crossplot critic ``2 -> 48 -> 48 -> 1``, leaky ReLU, raw score.

A new architecture is a new entry in :data:`BUILDERS` and a new spec in a recipe.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

#: activation name -> module factory (leaky ReLU slope 0.01, as Lux and PyTorch)
ACTIVATIONS: dict[str, Callable[[], nn.Module]] = {
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(0.01),
    "leaky_relu_0.2": lambda: nn.LeakyReLU(0.2),
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "identity": nn.Identity,
}


@dataclass(frozen=True)
class ModelSpec:
    """What to build: ``kind`` picks the builder; ``sizes`` runs input -> output."""

    sizes: tuple[int, ...]
    activation: str = "leaky_relu"
    output: str = "identity"
    kind: str = "mlp"

    def __post_init__(self) -> None:
        if self.kind not in BUILDERS:
            raise ValueError(f"unknown model kind {self.kind!r}; choose one of {sorted(BUILDERS)}")
        if len(self.sizes) < 2 or any(int(s) < 1 for s in self.sizes):
            raise ValueError(f"sizes must list at least two positive widths, got {self.sizes}")
        for name in (self.activation, self.output):
            if name not in ACTIVATIONS:
                raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}")

    @property
    def in_dim(self) -> int:
        return self.sizes[0]

    @property
    def out_dim(self) -> int:
        return self.sizes[-1]


def mlp(sizes: tuple[int, ...], activation: str = "leaky_relu", output: str = "identity") -> nn.Sequential:
    """Dense layers ``sizes[0] -> ... -> sizes[-1]``; ``activation`` between, ``output`` last."""
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers.append(nn.Linear(n_in, n_out))
        last = i == len(sizes) - 2
        layers.append(ACTIVATIONS[output if last else activation]())
    if isinstance(layers[-1], nn.Identity):
        layers.pop()
    return nn.Sequential(*layers)


class CoinLatentMLP(nn.Module):
    """An MLP whose first latent coordinate is replaced by its sign: a fair coin.

    A continuous generator maps a connected latent space (a Gaussian) onto a connected
    set, so a two-population target gets a streak of samples between the populations.
    Handing the generator one discrete latent variable lets it place two disconnected
    populations without that streak (the topological argument of Khayatkhoei et al. 2018).
    The coin is fair, so this prior suits populations of roughly equal size.
    """

    def __init__(self, spec: ModelSpec):
        super().__init__()
        self.net = mlp(spec.sizes, spec.activation, spec.output)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(torch.cat([torch.sign(z[:, :1]), z[:, 1:]], dim=1))


BUILDERS: dict[str, Callable[[ModelSpec], nn.Module]] = {
    "mlp": lambda spec: mlp(spec.sizes, spec.activation, spec.output),
    "mlp-coin": CoinLatentMLP,
}


def build(spec: ModelSpec) -> nn.Module:
    """Build the network a spec describes (weights from torch's global RNG)."""
    return BUILDERS[spec.kind](spec)


# The seed's networks, for readers who want them without a recipe.
SEED_WELL_LOG_GENERATOR = ModelSpec((8, 64, 128, 128), "leaky_relu", "sigmoid")
SEED_WELL_LOG_DISCRIMINATOR = ModelSpec((128, 64, 32, 1), "leaky_relu")
SEED_CROSSPLOT_GENERATOR = ModelSpec((4, 48, 48, 2), "relu")
SEED_CROSSPLOT_CRITIC = ModelSpec((2, 48, 48, 1), "leaky_relu")


def n_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def device_of(model: nn.Module) -> torch.device:
    """Where a network's weights are (its first parameter's device, else its first
    buffer's, else the CPU): its inputs must be moved there, e.g. ``G(z.to(device_of(G)))``,
    and its outputs brought back with ``.cpu()`` before ``.numpy()``."""
    for tensor in (*model.parameters(), *model.buffers()):
        return tensor.device
    return torch.device("cpu")


# ----------------------------------------------------------------------------- well logs, chapter 2


class WellLogPhysicsGenerator(nn.Module):
    """A 1-D convolutional generator whose last stage is the measurement itself.

    A spatial latent (8 channels x 16 positions) is upsampled by nearest-neighbour
    upsampling and convolutions to one facies logit per depth sample (128). Two learned
    levels are mixed by a sharpened sigmoid of that logit (a clean, blocky profile); white
    Gaussian noise with a learned standard deviation is added; a fixed 3-point moving
    average on interior samples (the tool's response) smooths it; values are clamped to
    [0, 1]. The levels start at 0.4 / 0.6 and the noise at 0.02, not at the data's values:
    the network learns them. What is built in is the *form* of the measurement (two levels,
    white noise, a 3-point tool), which is known physics, not any statistic of the data.
    """

    def __init__(
        self,
        latent_channels: int = 8,
        latent_length: int = 16,
        width: int = 32,
        kernel: int = 5,
        gain: float = 4.0,
        param_scale: float = 5.0,
    ):
        super().__init__()
        self.zc, self.zl, self.gain, self.ps = latent_channels, latent_length, gain, param_scale
        c, k = width, kernel
        self.net = nn.Sequential(
            nn.Conv1d(latent_channels, c, 3, padding=1), nn.LeakyReLU(0.2),
            nn.Upsample(scale_factor=2), nn.Conv1d(c, c, k, padding=k // 2), nn.LeakyReLU(0.2),
            nn.Upsample(scale_factor=2), nn.Conv1d(c, c // 2, k, padding=k // 2), nn.LeakyReLU(0.2),
            nn.Upsample(scale_factor=2), nn.Conv1d(c // 2, c // 2, k, padding=k // 2), nn.LeakyReLU(0.2),
            nn.Conv1d(c // 2, 1, k, padding=k // 2),
        )  # fmt: skip
        # physical parameters as start + param_scale * p, so Adam moves them faster
        self.p_low = nn.Parameter(torch.zeros(()))
        self.p_high = nn.Parameter(torch.zeros(()))
        self.p_noise = nn.Parameter(torch.zeros(()))
        self.register_buffer("tool", torch.full((3,), 1 / 3))  # fixed 3-point response

    @property
    def levels(self) -> tuple[torch.Tensor, torch.Tensor]:
        return 0.4 + self.ps * self.p_low, 0.6 + self.ps * self.p_high

    @property
    def noise_std(self) -> torch.Tensor:
        return torch.exp(math.log(0.02) + self.ps * self.p_noise)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        logit = self.net(z.view(-1, self.zc, self.zl)).squeeze(1)
        low, high = self.levels
        clean = low + (high - low) * torch.sigmoid(self.gain * logit)
        raw = clean + self.noise_std * torch.randn_like(clean)
        w = self.tool
        mid = w[0] * raw[:, :-2] + w[1] * raw[:, 1:-1] + w[2] * raw[:, 2:]
        return torch.cat([raw[:, :1], mid, raw[:, -1:]], dim=1).clamp(0.0, 1.0)


class EMAGenerator(nn.Module):
    """Keeps an exponential moving average of a generator's weights.

    In training mode it runs the live network (and, during the generator's own update,
    moves the average toward it); in evaluation mode, which sampling uses, it runs the
    average, which is smoother than the last iterate (Yazici et al. 2019)."""

    def __init__(self, inner: nn.Module, decay: float = 0.995):
        super().__init__()
        self.inner, self.decay = inner, decay
        self.shadow = copy.deepcopy(inner).requires_grad_(False)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if not self.training:
            return self.shadow(z)
        if torch.is_grad_enabled():  # the generator update (critic steps run without grad)
            with torch.no_grad():
                for avg, live in zip(self.shadow.parameters(), self.inner.parameters(), strict=True):
                    avg.lerp_(live, 1 - self.decay)
        return self.inner(z)


class MinibatchStd(nn.Module):
    """Appends the batch's mean feature standard deviation as a channel, so the critic can
    see a collapsed (too uniform) batch (Karras et al. 2018)."""

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        s = h.std(dim=0, unbiased=False).mean().view(1, 1, 1).expand(h.shape[0], 1, h.shape[2])
        return torch.cat([h, s], 1)


class WellLogConvCritic(nn.Module):
    """A 1-D convolutional critic that sees the log and its first difference (edges), with
    spectral normalisation on every layer (Miyato et al. 2018) and a minibatch-std channel."""

    def __init__(self, width: int = 32, kernel: int = 7, n_depth: int = 128):
        super().__init__()
        sn = nn.utils.parametrizations.spectral_norm
        c, k = width, kernel
        self.body = nn.Sequential(
            sn(nn.Conv1d(2, c, k, stride=2, padding=k // 2)), nn.LeakyReLU(0.2),
            sn(nn.Conv1d(c, 2 * c, k, stride=2, padding=k // 2)), nn.LeakyReLU(0.2),
            sn(nn.Conv1d(2 * c, 2 * c, k, stride=2, padding=k // 2)), nn.LeakyReLU(0.2),
            MinibatchStd(),
            sn(nn.Conv1d(2 * c + 1, 2 * c, 3, padding=1)), nn.LeakyReLU(0.2),
            nn.Flatten(), sn(nn.Linear(2 * c * (n_depth // 8), 1)),
        )  # fmt: skip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.unsqueeze(1)
        edges = nn.functional.pad(x[:, :, 1:] - x[:, :, :-1], (0, 1))
        return self.body(torch.cat([x, 4 * edges], 1))


BUILDERS["well-log-physics"] = lambda spec: EMAGenerator(WellLogPhysicsGenerator())
BUILDERS["well-log-critic"] = lambda spec: WellLogConvCritic(n_depth=spec.sizes[0])
