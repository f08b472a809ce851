"""Networks as data: a :class:`ModelSpec` names sizes and activations; :func:`build` makes it.

The baseline networks are plain multilayer perceptrons (Lux ``Dense`` layers,
whose default initialisation matches PyTorch's ``nn.Linear``):

* well-log generator ``8 -> 64 -> 128 -> 128``, leaky ReLU, sigmoid output;
* well-log discriminator ``128 -> 64 -> 32 -> 1``, leaky ReLU, raw score;
* crossplot generator ``4 -> 48 -> 48 -> 2``, ReLU, linear output;
* crossplot critic ``2 -> 48 -> 48 -> 1``, leaky ReLU, raw score.

A new architecture is a builder registered by name (:func:`register_builder`) and a spec
naming it in a recipe; the spec's ``options`` carry what that builder needs (widths,
kernel sizes...). Weight averaging (EMA) is the recipe's ``ema_decay``, applied by
:func:`build_generator` with :class:`torch.optim.swa_utils.AveragedModel`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.optim.swa_utils import AveragedModel

from .checks import check_choice, register

#: activation name -> module factory (leaky ReLU slope 0.01, as Lux and PyTorch)
ACTIVATIONS: dict[str, Callable[[], nn.Module]] = {
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(0.01),
    "leaky_relu_0.2": lambda: nn.LeakyReLU(0.2),
    "tanh": nn.Tanh,
    "silu": nn.SiLU,
    "sigmoid": nn.Sigmoid,
    "identity": nn.Identity,
}


@dataclass(frozen=True)
class ModelSpec:
    """What to build: ``kind`` picks the registered builder; ``sizes`` runs input -> output
    (values per sample: a latent size, a flattened sample size, 1 for a score); ``options``
    are the builder's own keyword arguments (widths, kernel sizes...)."""

    sizes: tuple[int, ...]
    activation: str = "leaky_relu"
    output: str = "identity"
    kind: str = "mlp"
    options: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_choice(self.kind, BUILDERS, "model kind")
        if len(self.sizes) < 2 or any(int(s) < 1 for s in self.sizes):
            raise ValueError(f"sizes must list at least two positive widths, got {self.sizes}")
        for name in (self.activation, self.output):
            check_choice(name, ACTIVATIONS, "activation")
        if not isinstance(self.options, dict) or not all(isinstance(k, str) for k in self.options):
            raise ValueError(f"options must be a dict of keyword arguments, got {self.options!r}")

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


#: model kind -> builder(spec) -> module; add one with :func:`register_builder`
BUILDERS: dict[str, Callable[[ModelSpec], nn.Module]] = {}


def register_builder(
    kind: str, builder: Callable[[ModelSpec], nn.Module] | None = None, replace: bool = False
):
    """Register ``builder(spec)`` under ``kind`` (usable as a decorator)."""

    def add(fn: Callable[[ModelSpec], nn.Module]):
        return register(BUILDERS, kind, fn, "model kind", replace)

    return add if builder is None else add(builder)


class CoinAffineMLP(CoinLatentMLP):
    """:class:`CoinLatentMLP` plus, for each side of the coin, a learned linear map of the
    continuous latent coordinates added to the output: ``x = net(coin, z) + A[coin] z``.

    Each population then has its own latent scale and orientation that the network does
    not have to build out of ReLU kinks. A non-saturating generator seeks modes and tends
    to shrink a small population's spread (within-mode variance collapse); this path makes
    spread cheap to represent. Nothing about the populations' statistics is built in: the
    maps start at zero and are learned, and the network can still bend the output.
    """

    def __init__(self, spec: ModelSpec):
        super().__init__(spec)
        self.maps = nn.Parameter(torch.zeros(2, spec.in_dim - 1, spec.out_dim))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        coin = torch.sign(z[:, :1])
        rest = z[:, 1:]
        heads = (coin > 0).float()  # 1 for the positive side of the coin
        affine = (1 - heads) * (rest @ self.maps[0]) + heads * (rest @ self.maps[1])
        return self.net(torch.cat([coin, rest], dim=1)) + affine


register_builder("mlp", lambda spec: mlp(spec.sizes, spec.activation, spec.output))
register_builder("mlp-coin", CoinLatentMLP)
register_builder("mlp-coin-affine", CoinAffineMLP)


def build(spec: ModelSpec) -> nn.Module:
    """Build the network a spec describes (weights from torch's global RNG)."""
    return BUILDERS[spec.kind](spec)


def build_generator(
    spec: ModelSpec, ema_decay: float | None = None, data: torch.Tensor | None = None
) -> nn.Module:
    """The generator a recipe trains: ``build(spec)``, wrapped in :class:`EMAGenerator`
    when the recipe averages its weights (``ema_decay``). With training ``data``, a
    generator that has a ``calibrate`` method (a measurement set from the data) calls it
    first."""
    inner = build(spec)
    if data is not None and hasattr(inner, "calibrate"):
        inner.calibrate(data)
    return EMAGenerator(inner, ema_decay) if ema_decay else inner


def update_average(generator: nn.Module) -> None:
    """Move a generator's weight average (if it keeps one) toward its live weights."""
    if isinstance(generator, EMAGenerator):
        generator.update_average()


# The baseline networks, for readers who want them without a recipe.
BASELINE_WELL_LOG_GENERATOR = ModelSpec((8, 64, 128, 128), "leaky_relu", "sigmoid")
BASELINE_WELL_LOG_DISCRIMINATOR = ModelSpec((128, 64, 32, 1), "leaky_relu")
BASELINE_CROSSPLOT_GENERATOR = ModelSpec((4, 48, 48, 2), "relu")
BASELINE_CROSSPLOT_CRITIC = ModelSpec((2, 48, 48, 1), "leaky_relu")


def n_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def device_of(model: nn.Module) -> torch.device:
    """Where a network's weights are (its first parameter's device, else its first
    buffer's, else the CPU): its inputs must be moved there, e.g. ``G(z.to(device_of(G)))``,
    and its outputs brought back with ``.cpu()`` before ``.numpy()``."""
    for tensor in (*model.parameters(), *model.buffers()):
        return tensor.device
    return torch.device("cpu")


@contextmanager
def evaluating(seed: int, *modules: nn.Module | None) -> Iterator[torch.device]:
    """Run the ``with`` block with ``modules`` in evaluation mode and torch's random stream
    forked and seeded with ``seed`` (the first module's device's stream too, on a GPU); on
    exit, the modules' modes and the global random state are as they were. Yields the
    first module's device. Sampling and conditioning draw from this private stream, so
    the same seed gives the same result and the caller's random state is untouched."""
    nets = [m for m in modules if m is not None]
    device = device_of(nets[0])
    was_training = [m.training for m in nets]
    for m in nets:
        m.eval()
    try:
        with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):
            torch.manual_seed(int(seed))
            yield device
    finally:
        for m, mode in zip(nets, was_training, strict=True):
            m.train(mode)


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

    Two options change that. ``pick_levels``: :meth:`calibrate` sets the two levels and
    the noise from the training logs before training (:func:`pick_levels`, the way a
    petrophysicist picks a log's sand and shale baselines) and keeps them fixed; the
    network learns only the facies. ``hard_sampling``: when sampling (evaluation mode) the
    facies is discrete, sand where the logit is negative and shale where it is positive,
    as in the data; training keeps the sigmoid, whose gradient the generator needs (a
    relaxation used for training, its discrete limit for sampling).
    """

    def __init__(
        self,
        latent_channels: int = 8,
        latent_length: int = 16,
        width: int = 32,
        kernel: int = 5,
        gain: float = 4.0,
        param_scale: float = 5.0,
        facies: str = "soft",
        measurement: bool = True,
        n_depth: int = 128,
        pick_levels: bool = False,
        hard_sampling: bool = False,
    ):
        super().__init__()
        check_choice(facies, ("soft", "straight-through"), "facies")
        self.zc, self.zl, self.gain, self.ps = latent_channels, latent_length, gain, param_scale
        self.facies, self.measurement = facies, measurement
        self.pick, self.hard_sampling = bool(pick_levels), bool(hard_sampling)
        c, k = width, kernel
        n_up = int(round(math.log2(n_depth / latent_length)))
        if n_up < 3 or latent_length * 2**n_up != n_depth:
            raise ValueError(
                f"latent_length must be n_depth / 2**k with k >= 3, got {latent_length} for {n_depth}"
            )
        # (in, out) channels of each upsampling stage: c -> c ... -> c/2 -> c/2
        stages = [(c, c)] * (n_up - 2) + [(c, c // 2), (c // 2, c // 2)]
        layers: list[nn.Module] = [nn.Conv1d(latent_channels, c, 3, padding=1), nn.LeakyReLU(0.2)]
        for c_in, c_out in stages:
            conv = nn.Conv1d(c_in, c_out, k, padding=k // 2)
            layers += [nn.Upsample(scale_factor=2), conv, nn.LeakyReLU(0.2)]
        self.net = nn.Sequential(*layers, nn.Conv1d(c // 2, 1, k, padding=k // 2))
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

    def calibrate(self, real: torch.Tensor) -> None:
        """With ``pick_levels``: set the levels and the noise from ``real`` (training logs,
        shape (n, depth)) by :func:`pick_levels` and freeze them. Otherwise nothing."""
        if not self.pick:
            return
        low, high, noise = pick_levels(real, self.tool)
        with torch.no_grad():
            self.p_low.fill_((low - 0.4) / self.ps)
            self.p_high.fill_((high - 0.6) / self.ps)
            self.p_noise.fill_((math.log(noise) - math.log(0.02)) / self.ps)
        for p in (self.p_low, self.p_high, self.p_noise):
            p.requires_grad_(False)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        logit = self.net(z.view(-1, self.zc, self.zl)).squeeze(1)
        soft = torch.sigmoid(self.gain * logit)
        if not self.measurement:  # ablation: a plain conv generator with a sigmoid output
            return soft
        if self.hard_sampling and not self.training:  # sampling: the discrete facies
            soft = (logit > 0).to(soft.dtype)
        elif self.facies == "straight-through":  # a hard 0/1 facies, the sigmoid's gradient
            soft = (logit > 0).to(soft.dtype) + soft - soft.detach()
        low, high = self.levels
        clean = low + (high - low) * soft
        raw = clean + self.noise_std * torch.randn_like(clean)
        w = self.tool
        mid = w[0] * raw[:, :-2] + w[1] * raw[:, 1:-1] + w[2] * raw[:, 2:]
        return torch.cat([raw[:, :1], mid, raw[:, -1:]], dim=1).clamp(0.0, 1.0)


def pick_levels(real: torch.Tensor, tool: torch.Tensor, iterations: int = 5) -> tuple[float, float, float]:
    """The two levels and the noise standard deviation of two-level logs ``real`` (n, depth)
    measured by a tool with weights ``tool``, picked from the data as a petrophysicist picks
    a log's sand and shale baselines.

    The samples the tool averages (all but the first and last of each log) are split in two
    by the isodata rule (Ridler and Calvard 1978): start at their mean, then split at the
    midpoint of the two centres, which does not assume the facies equally common. Each
    centre is an iterated trimmed mean: the mean and standard deviation of the samples
    within 3 standard deviations of the current centre (started at the side's median and
    its MAD), so that samples at bed boundaries, which the tool mixes from both levels, drop
    out. The spread within a bed is the tool's average of white noise,
    ``noise * sqrt(sum(w**2))``, which gives the noise before the tool (after correcting for
    the trimming at 3 s.d.)."""
    if real.dim() != 2 or real.shape[1] < 3:
        raise ValueError(f"need logs of shape (n, depth >= 3) to pick levels, got {tuple(real.shape)}")
    x = real[:, 1:-1].detach().flatten().cpu().double()
    if x.numel() < 100 or not torch.isfinite(x).all():
        raise ValueError(f"need at least 100 finite interior samples to pick levels, got {x.numel()}")
    kept = 1 - 2 * 3 * math.exp(-4.5) / math.sqrt(2 * math.pi) / math.erf(3 / math.sqrt(2))

    def centre_of(side: torch.Tensor) -> tuple[float, float]:
        centre = side.median()
        spread = 1.4826 * (side - centre).abs().median()
        for _ in range(iterations):
            inside = side[(side - centre).abs() < 3 * spread]
            if inside.numel() < 2:  # a level without noise, or too few samples
                raise ValueError("could not pick two noisy levels from the logs")
            centre, spread = inside.mean(), inside.std() / math.sqrt(kept)
        return float(centre), float(spread)

    split = float(x.mean())
    for _ in range(iterations):
        if not (x < split).any() or not (x >= split).any():
            raise ValueError("the logs have one level only: nothing to pick two levels from")
        (low, s_low), (high, s_high) = centre_of(x[x < split]), centre_of(x[x >= split])
        split = 0.5 * (low + high)
    noise = 0.5 * (s_low + s_high) / float(tool.detach().cpu().double().pow(2).sum().sqrt())
    return low, high, noise


def ema_avg_fn(decay: float) -> Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]:
    """The exponential moving average for :class:`~torch.optim.swa_utils.AveragedModel`:
    ``average + (1 - decay) * (live - average)``, as one ``torch.lerp``."""
    weight = 1 - decay

    def avg_fn(averaged: torch.Tensor, live: torch.Tensor, n_averaged: torch.Tensor) -> torch.Tensor:
        return torch.lerp(averaged, live, weight)

    return avg_fn


class EMAGenerator(nn.Module):
    """A generator and an exponential moving average of its weights
    (:class:`~torch.optim.swa_utils.AveragedModel`).

    In training mode it runs the live network; in evaluation mode, which sampling uses,
    it runs the average (:attr:`shadow`), which is smoother than the last iterate (Yazici
    et al. 2019). The training loop calls :meth:`update_average` once per generator
    update, with the weights that update started from."""

    def __init__(self, inner: nn.Module, decay: float = 0.995):
        super().__init__()
        if not 0 < decay < 1:
            raise ValueError(f"the EMA decay must be in (0, 1), got {decay!r}")
        self.inner, self.decay = inner, decay
        self.average = AveragedModel(inner, avg_fn=ema_avg_fn(decay)).requires_grad_(False)

    @property
    def shadow(self) -> nn.Module:
        """The averaged generator (what sampling runs)."""
        return self.average.module

    def update_average(self) -> None:
        self.average.update_parameters(self.inner)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.inner(z) if self.training else self.shadow(z)


class MinibatchStd(nn.Module):
    """Appends the batch's mean feature standard deviation as a channel, so the critic can
    see a collapsed (too uniform) batch (Karras et al. 2018)."""

    def forward(self, h: torch.Tensor) -> torch.Tensor:  # (batch, channels, *positions)
        s = h.std(dim=0, unbiased=False).mean().expand(h.shape[0], 1, *h.shape[2:])
        return torch.cat([h, s], 1)


class WellLogConvCritic(nn.Module):
    """A 1-D convolutional critic that sees the log and its first difference (edges), with
    spectral normalisation on every layer (Miyato et al. 2018) and a minibatch-std channel.

    ``granulometry`` (window lengths, in samples) adds, for each length L, the log's white
    and black top-hats: the log minus its morphological opening, and its closing minus the
    log (a max/min filter pair of width L). A bed thinner than L stands out in them at its
    full contrast; a thicker one vanishes. Several lengths together are a granulometry
    (Serra 1982): the critic sees bed thickness directly, at every scale given."""

    def __init__(
        self,
        width: int = 32,
        kernel: int = 7,
        n_depth: int = 128,
        spectral: bool = True,
        minibatch_std: bool = True,
        granulometry: tuple[int, ...] = (),
    ):
        super().__init__()
        if any(int(n) < 3 or int(n) % 2 == 0 for n in granulometry):
            raise ValueError(f"granulometry lengths must be odd and at least 3, got {tuple(granulometry)}")
        self.lengths = tuple(int(n) for n in granulometry)
        sn = nn.utils.parametrizations.spectral_norm if spectral else (lambda layer: layer)
        c, k, extra = width, kernel, int(minibatch_std)
        n_in = 2 + 2 * len(self.lengths)
        self.body = nn.Sequential(
            sn(nn.Conv1d(n_in, c, k, stride=2, padding=k // 2)), nn.LeakyReLU(0.2),
            sn(nn.Conv1d(c, 2 * c, k, stride=2, padding=k // 2)), nn.LeakyReLU(0.2),
            sn(nn.Conv1d(2 * c, 2 * c, k, stride=2, padding=k // 2)), nn.LeakyReLU(0.2),
            MinibatchStd() if minibatch_std else nn.Identity(),
            sn(nn.Conv1d(2 * c + extra, 2 * c, 3, padding=1)), nn.LeakyReLU(0.2),
            nn.Flatten(), sn(nn.Linear(2 * c * (n_depth // 8), 1)),
        )  # fmt: skip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.unsqueeze(1)
        edges = nn.functional.pad(x[:, :, 1:] - x[:, :, :-1], (0, 1))
        return self.body(torch.cat([x, 4 * edges, *self._top_hats(x)], 1))

    def _top_hats(self, x: torch.Tensor) -> list[torch.Tensor]:
        def dilate(h: torch.Tensor, n: int) -> torch.Tensor:
            return nn.functional.max_pool1d(h, n, stride=1, padding=n // 2)

        out = []
        for n in self.lengths:
            opening = dilate(-dilate(-x, n), n)  # erosion, then dilation
            closing = -dilate(-dilate(x, n), n)
            out += [x - opening, closing - x]
        return out


register_builder("well-log-physics", lambda spec: WellLogPhysicsGenerator(**spec.options))
register_builder("well-log-critic", lambda spec: WellLogConvCritic(n_depth=spec.sizes[0], **spec.options))


# ----------------------------------------------------------------------------- facies images, chapter 5


class DCGANGenerator(nn.Module):
    """The source textbook's DCGAN rules for images (Radford et al. 2016): the latent code as a 1 x 1
    map, transposed convolutions (kernel 4, stride 2) doubling the size from 4 x 4 to
    ``size``, batch normalisation and ReLU after each but the last, a sigmoid output
    (a facies code in [0, 1])."""

    def __init__(self, latent_dim: int = 64, width: int = 16, size: int = 64):
        super().__init__()
        n_up = int(math.log2(size // 4))
        if 4 * 2**n_up != size:
            raise ValueError(f"size must be 4 times a power of two, got {size}")
        chans = [width * 2 ** (n_up - 1 - i) for i in range(n_up)]  # e.g. 128, 64, 32, 16
        layers: list[nn.Module] = [
            nn.ConvTranspose2d(latent_dim, chans[0], 4, 1, 0, bias=False),
            nn.BatchNorm2d(chans[0]),
            nn.ReLU(),
        ]
        for c_in, c_out in zip(chans[:-1], chans[1:], strict=True):
            layers += [nn.ConvTranspose2d(c_in, c_out, 4, 2, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU()]
        layers += [nn.ConvTranspose2d(chans[-1], 1, 4, 2, 1), nn.Sigmoid()]
        self.latent_dim, self.net = latent_dim, nn.Sequential(*layers)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z.view(-1, self.latent_dim, 1, 1)).squeeze(1)


class DCGANDiscriminator(nn.Module):
    """The source textbook's DCGAN discriminator: strided convolutions (kernel 4, stride 2) halving
    the image down to 4 x 4, batch normalisation after each but the first, LeakyReLU 0.2,
    a final 4 x 4 convolution to one raw score."""

    def __init__(self, width: int = 16, size: int = 64):
        super().__init__()
        n_down = int(math.log2(size // 4))
        chans = [width * 2**i for i in range(n_down)]  # e.g. 16, 32, 64, 128
        layers: list[nn.Module] = [nn.Conv2d(1, chans[0], 4, 2, 1), nn.LeakyReLU(0.2)]
        for c_in, c_out in zip(chans[:-1], chans[1:], strict=True):
            layers += [nn.Conv2d(c_in, c_out, 4, 2, 1, bias=False), nn.BatchNorm2d(c_out), nn.LeakyReLU(0.2)]
        layers += [nn.Conv2d(chans[-1], 1, 4, 1, 0), nn.Flatten()]
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x.unsqueeze(1))


def upsampling_channels(channels, size: int) -> tuple[int, ...]:
    """The channel widths of a generator that starts at 4 x 4 and doubles the image size per
    layer, as integers; ``ValueError`` unless they make ``size`` pixels."""
    channels = tuple(int(c) for c in channels)
    made = 4 * 2 ** (len(channels) - 1)
    if made != size:
        raise ValueError(f"{len(channels)} channel widths make {made} pixels, not {size}")
    return channels


class UpsampleGenerator(nn.Module):
    """Nearest-neighbour upsampling followed by 3 x 3 convolutions instead of transposed
    convolutions (no checkerboard: Odena et al. 2016). A dense layer maps the latent code
    to a 4 x 4 map with ``channels[0]`` channels; each further entry of ``channels`` is one
    doubling of the size (so 4 x 4 -> 64 x 64 takes five entries); no batch normalisation
    (each image depends on its own code only, as conditioning needs); LeakyReLU 0.2; the
    output is a sigmoid of ``gain`` times a last 3 x 3 convolution."""

    def __init__(
        self,
        latent_dim: int = 64,
        channels: tuple[int, ...] = (64, 48, 24, 12, 6),
        size: int = 64,
        gain: float = 1.0,
    ):
        super().__init__()
        channels = upsampling_channels(channels, size)
        self.latent_dim, self.c0, self.gain = latent_dim, channels[0], gain
        self.dense = nn.Linear(latent_dim, channels[0] * 16)
        layers: list[nn.Module] = [nn.LeakyReLU(0.2)]
        for c_in, c_out in zip(channels[:-1], channels[1:], strict=True):
            layers += [nn.Upsample(scale_factor=2), nn.Conv2d(c_in, c_out, 3, padding=1), nn.LeakyReLU(0.2)]
        layers += [nn.Conv2d(channels[-1], 1, 3, padding=1)]
        self.net = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        h = self.dense(z).view(-1, self.c0, 4, 4)
        return torch.sigmoid(self.gain * self.net(h)).squeeze(1)


class SNImageCritic(nn.Module):
    """A convolutional critic with spectral normalisation on every layer (Miyato et al.
    2018): strided 4 x 4 convolutions (``channels``, one per halving) down to 4 x 4,
    LeakyReLU 0.2, a minibatch-std channel (Karras et al. 2018), a dense layer to one raw
    score."""

    def __init__(self, channels: tuple[int, ...] = (8, 16, 32, 64), size: int = 64):
        super().__init__()
        sn = nn.utils.parametrizations.spectral_norm
        chans = tuple(int(c) for c in channels)
        if 4 * 2 ** len(chans) != size:
            raise ValueError(
                f"{len(chans)} strided layers take {4 * 2 ** len(chans)} pixels to 4, not {size}"
            )
        layers: list[nn.Module] = []
        c_in = 1
        for c_out in chans:
            layers += [sn(nn.Conv2d(c_in, c_out, 4, 2, 1)), nn.LeakyReLU(0.2)]
            c_in = c_out
        self.body = nn.Sequential(*layers)
        self.head = nn.Sequential(
            sn(nn.Conv2d(c_in + 1, c_in, 3, padding=1)),
            nn.LeakyReLU(0.2),
            nn.Flatten(),
            sn(nn.Linear(c_in * 16, 1)),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(MinibatchStd()(self.body(x.unsqueeze(1))))


def _image_side(spec: ModelSpec, index: int) -> int:
    side = math.isqrt(spec.sizes[index])
    if side * side != spec.sizes[index]:
        raise ValueError(f"an image network needs a square image size, got {spec.sizes[index]} values")
    return side


register_builder("dcgan-generator", lambda s: DCGANGenerator(s.in_dim, size=_image_side(s, -1), **s.options))
register_builder("dcgan-discriminator", lambda s: DCGANDiscriminator(size=_image_side(s, 0), **s.options))
register_builder(
    "upsample-generator", lambda s: UpsampleGenerator(s.in_dim, size=_image_side(s, -1), **s.options)
)
register_builder("sn-image-critic", lambda s: SNImageCritic(size=_image_side(s, 0), **s.options))
