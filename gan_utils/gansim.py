"""Chapter 5's amortised baseline: a GANSim-style conditional generator (Song et al. 2021).

pCN (:func:`gan_utils.bench.channels.condition_channels`) conditions an *unconditional*
generator to wells by running a Markov chain for every new set of wells. An amortised
generator instead learns the conditioning once: ``G(z, c)`` takes, besides the latent
code ``z``, a condition ``c`` of two 64 x 64 input maps,

* the **mask** of observed pixels (1 on a well column, 0 elsewhere), and
* the **observed facies** (0 mud / 1 sand) where the mask is 1, and 0 elsewhere,

so a new set of wells costs one forward pass per realisation.

Design (:class:`ConditionalGenerator`): chapter 5's upsample+conv generator
(:class:`gan_utils.models.UpsampleGenerator`) with the condition injected at every
resolution, GANSim style: before each 3 x 3 convolution (8 x 8 up to 64 x 64) the two
condition maps, pooled to that size (:func:`pooled_condition`: a max-pooled mask, "this
cell holds a well pixel", and the sand share of the observed pixels in the cell), are
concatenated to the feature maps.

The critic is chapter 5's spectral-norm image critic with the two condition maps as
extra input channels (:class:`ConditionalCritic`): it judges an image *together with its
wells*, as in a conditional GAN (``critic_sees_condition=False``: the image only, as
GANSim's discriminator). Agreement with the wells is mostly the job of the
**condition-consistency loss** (:func:`consistency_loss`, the binary cross-entropy of
the generator's sand probability against the observed facies at the mask), added to the
non-saturating generator loss with weight ``consistency_weight``. Nothing in these losses
asks the realisations to be *spread* like the posterior; whether they are calibrated is
what ``python -m gan_utils bench channels-gansim`` measures, on the hidden truths and
with the scores of ``bench channels-condition``.

Training (:func:`train_gansim`) uses the fixed training set ``make_channels(4096, seed)``;
for every batch each real image gets 1 to 3 wells at random distinct columns
(:func:`random_wells`) and its condition is built from the image itself
(:func:`condition_maps`). The generator's weights are averaged
(:class:`~torch.optim.swa_utils.AveragedModel`, EMA), and the average is what samples.
Its own small loop (not :func:`gan_utils.train.train`, whose generators take ``z`` only).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.optim.swa_utils import AveragedModel

from .checks import check_positive_int
from .losses import get_loss
from .models import MinibatchStd, SNImageCritic, device_of, ema_avg_fn, upsampling_channels

#: where ``bench channels-gansim`` stores the trained generator (weights and settings)
GANSIM_DIR = Path(__file__).resolve().parent / "results" / "channels-gansim"
WEIGHTS_FILE, SETTINGS_FILE = "generator.pt", "gansim.json"
SIZE = 64


@dataclass(frozen=True)
class GANSimSettings:
    """Everything that defines a trained GANSim generator (stored beside its weights)."""

    seed: int = 0
    steps: int = 1000
    batch_size: int = 32
    n_train: int = 4096
    latent_dim: int = 64
    channels: tuple[int, ...] = (64, 48, 24, 12, 6)
    gain: float = 2.0
    critic_channels: tuple[int, ...] = (8, 16, 32, 64)
    lr: float = 5e-4
    lr_d: float = 1e-3
    betas: tuple[float, float] = (0.5, 0.99)
    ema_decay: float = 0.99
    consistency_weight: float = 3.0
    max_wells: int = 3
    critic_sees_condition: bool = True  # False: an image-only critic, as GANSim's


# ------------------------------------------------------------------------------ conditions


def random_wells(rng: np.random.Generator, n: int, max_wells: int = 3, size: int = SIZE) -> list[np.ndarray]:
    """For each of ``n`` images, 1 to ``max_wells`` distinct well columns drawn at random."""
    return [rng.choice(size, rng.integers(1, max_wells + 1), replace=False) for _ in range(n)]


def condition_maps(images: np.ndarray, wells: list) -> np.ndarray:
    """The condition ``c`` of each image, float32 ``(n, 2, size, size)``: channel 0 the mask
    of the well columns ``wells[i]``, channel 1 the image's facies there (0 elsewhere)."""
    images = np.asarray(images, dtype=np.float32)
    mask = np.zeros_like(images)
    for i, cols in enumerate(wells):
        mask[i, :, np.asarray(cols)] = 1.0
    return np.stack([mask, mask * images], axis=1)


def pooled_condition(c: torch.Tensor, size: int) -> torch.Tensor:
    """``c`` pooled to ``size x size``: whether a cell holds an observed pixel (max pooling)
    and the sand share of its observed pixels (average pooling of the values over that of
    the mask; 0 where nothing is observed)."""
    k = c.shape[-1] // size
    if k == 1:
        return c
    mask, value = F.avg_pool2d(c, k).unbind(1)
    share = value / mask.clamp_min(1e-6)
    return torch.stack([(mask > 0).to(c.dtype), share], dim=1)


# ------------------------------------------------------------------------------ networks


class ConditionalGenerator(nn.Module):
    """``G(z, c)``: the upsample+conv generator of chapter 5 (a dense layer to a 4 x 4 map,
    then per doubling: nearest upsampling, 3 x 3 convolution, LeakyReLU 0.2), with the two
    condition maps pooled to each size concatenated before every convolution. Returns the
    sand probability ``sigmoid(gain * logit)``, shape ``(n, size, size)``."""

    def __init__(
        self,
        latent_dim: int = 64,
        channels=(64, 48, 24, 12, 6),
        gain: float = 2.0,
        size: int = SIZE,
    ):
        super().__init__()
        channels = upsampling_channels(channels, size)
        self.latent_dim, self.c0, self.gain = latent_dim, channels[0], gain
        self.dense = nn.Linear(latent_dim, channels[0] * 16)
        self.convs = nn.ModuleList(
            nn.Conv2d(c_in + 2, c_out, 3, padding=1)
            for c_in, c_out in zip(channels[:-1], channels[1:], strict=True)
        )
        self.out = nn.Conv2d(channels[-1] + 2, 1, 3, padding=1)

    def logits(self, z: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """The raw output, ``gain`` times the last convolution, ``(n, size, size)``."""
        h = F.leaky_relu(self.dense(z).view(-1, self.c0, 4, 4), 0.2)
        for conv in self.convs:
            h = F.interpolate(h, scale_factor=2.0, mode="nearest")
            h = F.leaky_relu(conv(torch.cat([h, pooled_condition(c, h.shape[-1])], 1)), 0.2)
        return self.gain * self.out(torch.cat([h, c], 1)).squeeze(1)

    def forward(self, z: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.logits(z, c))


class ConditionalCritic(SNImageCritic):
    """Chapter 5's spectral-norm critic whose first convolution also reads the two
    condition maps: ``D(x, c)`` judges an image together with its wells."""

    def __init__(self, channels=(8, 16, 32, 64), size: int = SIZE):
        super().__init__(channels, size)
        first = self.body[0]
        conv = nn.Conv2d(3, first.out_channels, 4, 2, 1)
        self.body[0] = nn.utils.parametrizations.spectral_norm(conv)

    def forward(self, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        return self.head(MinibatchStd()(self.body(torch.cat([x.unsqueeze(1), c], 1))))


class _ImageCritic(SNImageCritic):
    """The image-only critic (GANSim's choice): ``D(x, c)`` ignores ``c``."""

    def forward(self, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        return super().forward(x)


def consistency_loss(logits: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy of the generator's sand probability (``sigmoid(logits)``)
    against the observed facies, averaged over the observed pixels (mask of ``c``)."""
    mask, value = c[:, 0], c[:, 1]
    bce = F.binary_cross_entropy_with_logits(logits, value, reduction="none")
    return (bce * mask).sum() / mask.sum().clamp_min(1.0)


# ------------------------------------------------------------------------------ training


@dataclass
class GANSim:
    """A trained GANSim generator: the weight average (what samples), its settings, the
    training wall time and per-step history (losses, consistency)."""

    generator: ConditionalGenerator
    settings: GANSimSettings
    seconds: float = 0.0
    history: dict = field(default_factory=dict)


def _build(settings: GANSimSettings) -> ConditionalGenerator:
    return ConditionalGenerator(settings.latent_dim, settings.channels, settings.gain)


def train_gansim(
    seed: int = 0, steps: int = 1000, progress: bool = False, device: str = "cpu", **options
) -> GANSim:
    """Train a GANSim generator from ``seed`` for ``steps`` generator updates (one critic
    update each) on ``make_channels(n_train, seed)``; ``options`` are further
    :class:`GANSimSettings` fields. Seeds everything and uses one thread
    (:func:`gan_utils.setup`); on the CPU unless ``device`` asks for a GPU. The returned
    generator is on the CPU."""
    from .facies import make_channels
    from .train import setup

    check_positive_int(steps, "steps")
    s = GANSimSettings(seed=seed, steps=steps, **options)
    dev = setup(seed, device=device)
    rng, gen = np.random.default_rng(seed), torch.Generator().manual_seed(seed)
    real = make_channels(s.n_train, seed)[0]
    G = _build(s).to(dev)
    critic = (ConditionalCritic if s.critic_sees_condition else _ImageCritic)(s.critic_channels, SIZE).to(dev)
    ema = AveragedModel(G, avg_fn=ema_avg_fn(s.ema_decay)).requires_grad_(False)
    opt_g = torch.optim.Adam(G.parameters(), lr=s.lr, betas=s.betas)
    opt_d = torch.optim.Adam(critic.parameters(), lr=s.lr_d, betas=s.betas)
    loss = get_loss("nonsaturating")
    history: dict[str, list] = {"d_loss": [], "g_loss": [], "consistency": []}
    start = time.perf_counter()
    for step in range(steps):
        x = real[rng.integers(0, len(real), s.batch_size)]
        c = torch.from_numpy(condition_maps(x, random_wells(rng, len(x), s.max_wells))).to(dev)
        z = torch.randn(len(x), s.latent_dim, generator=gen).to(dev)
        with torch.no_grad():
            fake = G(z, c)
        d_loss = loss.d_loss(critic(torch.from_numpy(x).to(dev), c), critic(fake, c))
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        z = torch.randn(len(x), s.latent_dim, generator=gen).to(dev)
        logits = G.logits(z, c)
        cons = consistency_loss(logits, c)
        g_loss = loss.g_loss(critic(torch.sigmoid(logits), c)) + s.consistency_weight * cons
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
        ema.update_parameters(G)
        for key, value in (("d_loss", d_loss), ("g_loss", g_loss), ("consistency", cons)):
            history[key].append(round(value.item(), 5))
        if not np.isfinite(history["g_loss"][-1] + history["d_loss"][-1]):
            raise ValueError(f"GANSim training diverged at step {step} (a loss is not finite)")
        if progress and (step + 1) % 100 == 0:
            print(f"step {step + 1}: D {d_loss:.3f}  G {g_loss:.3f}  consistency {cons:.3f}", flush=True)
    seconds = time.perf_counter() - start
    return GANSim(ema.module.cpu().eval(), s, round(seconds, 2), history)


# ------------------------------------------------------------------------------ storage


def save_gansim(model: GANSim, directory: str | Path = GANSIM_DIR) -> Path:
    """Write the averaged generator's weights (``generator.pt``) and a JSON of its settings
    and training time (``gansim.json``) into ``directory``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    torch.save(model.generator.state_dict(), directory / WEIGHTS_FILE)
    info = {"settings": asdict(model.settings), "train seconds": model.seconds}
    if model.history:
        info["final consistency (mean of last 100 steps)"] = round(
            float(np.mean(model.history["consistency"][-100:])), 5
        )
    (directory / SETTINGS_FILE).write_text(json.dumps(info, indent=1) + "\n")
    return directory


def load_gansim(directory: str | Path = GANSIM_DIR) -> GANSim:
    """A GANSim generator stored by :func:`save_gansim` (weights-only loading)."""
    directory = Path(directory)
    if not (directory / WEIGHTS_FILE).is_file() or not (directory / SETTINGS_FILE).is_file():
        raise ValueError(
            f"no stored GANSim generator in {str(directory)!r}; "
            "make it with 'python -m gan_utils bench channels-gansim'"
        )
    info = json.loads((directory / SETTINGS_FILE).read_text())
    raw = info["settings"]
    settings = GANSimSettings(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})
    G = _build(settings)
    G.load_state_dict(torch.load(directory / WEIGHTS_FILE, map_location="cpu", weights_only=True))
    return GANSim(G.eval(), settings, float(info.get("train seconds", 0.0)))


# ------------------------------------------------------------------------------ sampling


def gansim_realisations(model: GANSim, truth: np.ndarray, wells, n: int = 50, seed: int = 0) -> np.ndarray:
    """``n`` facies maps (codes 0 / 1, float32 ``(n, size, size)``) from ``model`` given
    ``truth``'s facies at the well columns ``wells``: sand where the probability is at
    least 0.5. ``seed`` fixes the latent codes."""
    from .facies import well_columns

    truth = np.asarray(truth, dtype=np.float32)
    if truth.shape != (SIZE, SIZE):
        raise ValueError(f"truth must be a {SIZE} x {SIZE} facies map, got shape {truth.shape}")
    check_positive_int(n, "n")
    wells = np.asarray(wells)
    well_columns(wells, SIZE)  # checks: distinct integer columns inside the image
    c = torch.from_numpy(condition_maps(np.repeat(truth[None], n, axis=0), [wells] * n))
    G = model.generator
    z = torch.randn(n, model.settings.latent_dim, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        prob = G(z.to(device_of(G)), c.to(device_of(G))).cpu().numpy()
    return (prob >= 0.5).astype(np.float32)


__all__ = [
    "GANSIM_DIR",
    "ConditionalCritic",
    "ConditionalGenerator",
    "GANSim",
    "GANSimSettings",
    "condition_maps",
    "consistency_loss",
    "gansim_realisations",
    "load_gansim",
    "pooled_condition",
    "random_wells",
    "save_gansim",
    "train_gansim",
]
