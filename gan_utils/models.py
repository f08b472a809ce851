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
