"""Recipes as data: everything that defines a training run, and nothing that runs it.

A :class:`Recipe` names the data set, the two networks, the loss, the optimiser
and the schedule. :func:`gan_utils.train.train` is the one loop that runs any of
them. Its ``objective`` is "gan" (a generator and a discriminator in a game) or another
way to train a generator (``OBJECTIVES``): "flow-matching", "diffusion" and "vae" train
one network without a game (:mod:`gan_utils.alternatives`) and have no discriminator.
Change a recipe with :meth:`Recipe.replace` (it re-validates)::

    from gan_utils import get_recipe
    r = get_recipe("crossplot-wgan").replace(clip=0.01, steps=300)
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from dataclasses import dataclass

import numpy as np

from .alternatives import DIFFUSION_KINDS, FLOW_KINDS, VAE_KINDS
from .checks import check_choice, positive_int_problem, register, unknown_problem
from .data import DATASETS
from .losses import LOSSES
from .models import (
    BASELINE_CROSSPLOT_CRITIC,
    BASELINE_CROSSPLOT_GENERATOR,
    BASELINE_WELL_LOG_DISCRIMINATOR,
    BASELINE_WELL_LOG_GENERATOR,
    ModelSpec,
)

OPTIMIZERS = ("adam", "rmsprop", "sgd")
#: the largest learning rate a float32 parameter update can hold (larger ones overflow)
FLOAT32_MAX = float(np.finfo(np.float32).max)
LR_SCHEDULES = ("constant", "cosine")
#: the objectives with one network and no discriminator, and the network kinds each trains
ONE_NETWORK_KINDS = {"flow-matching": FLOW_KINDS, "diffusion": DIFFUSION_KINDS, "vae": VAE_KINDS}
#: how a recipe trains its generator: the adversarial game, or another way (gan_utils.alternatives)
OBJECTIVES = ("gan", *ONE_NETWORK_KINDS)


@dataclass(frozen=True)
class Recipe:
    """One training run, as data. ``steps`` counts generator updates (the source textbook's "epochs")."""

    name: str
    dataset: str
    description: str
    generator: ModelSpec
    discriminator: ModelSpec | None  # None for an objective without one
    loss: str  # the GAN loss ("" for another objective)
    optimizer: str = "adam"
    lr: float = 2e-4  # generator learning rate (and the discriminator's unless lr_d is set)
    lr_d: float | None = None
    betas: tuple[float, float] = (0.9, 0.999)  # Adam
    alpha: float = 0.99  # RMSprop smoothing constant (Optimisers.jl's rho)
    steps: int = 1000
    batch_size: int = 128
    critic_steps: int = 1  # discriminator updates per generator update
    clip: float | None = None  # weight clipping of the critic (WGAN)
    gp_weight: float = 0.0  # gradient-penalty weight lambda (WGAN-GP)
    r1_weight: float = 0.0  # R1 penalty weight gamma on real data (Mescheder et al. 2018)
    lr_schedule: str = "constant"  # or "cosine": decay both learning rates to 0 over the steps
    reject: float = 0.0  # when sampling, drop this fraction scored lowest by the discriminator
    ema_decay: float | None = None  # sample from an exponential moving average of G's weights
    n_real: int | None = None  # training-set size (the data set's default if None)
    recommended: bool = False  # the course's recommendation for this data set
    source: str = ""  # where the numbers come from
    objective: str = "gan"  # or "flow-matching", "diffusion", "vae"

    def __post_init__(self) -> None:
        problems = [
            unknown_problem(self.dataset, DATASETS, "dataset"),
            unknown_problem(self.objective, OBJECTIVES, "objective"),
            *(self._gan_problems() if self.objective == "gan" else []),
            *(self._one_network_problems() if self.objective in ONE_NETWORK_KINDS else []),
            unknown_problem(self.optimizer, OPTIMIZERS, "optimizer"),
            unknown_problem(self.lr_schedule, LR_SCHEDULES, "lr_schedule"),
        ]
        for field in ("lr", "lr_d"):
            value = getattr(self, field)
            if value is not None and not (_is_number(value) and 0 < value <= FLOAT32_MAX):
                problems.append(f"{field} must be a positive number below {FLOAT32_MAX:.3g}, got {value!r}")
        for field in ("steps", "batch_size", "critic_steps", "n_real"):
            value = getattr(self, field)
            if value is None and field == "n_real":
                continue
            problems.append(positive_int_problem(value, field))
        if self.clip is not None and not (
            _is_number(self.clip) and math.isfinite(self.clip) and self.clip > 0
        ):
            problems.append(f"clip must be a positive number or None, got {self.clip!r}")
        for field in ("gp_weight", "r1_weight"):
            value = getattr(self, field)
            if not (_is_number(value) and math.isfinite(value) and value >= 0):
                problems.append(f"{field} must be a number >= 0, got {value!r}")
        if not (_is_number(self.reject) and 0 <= self.reject < 0.5):
            problems.append(f"reject must be a number in [0, 0.5), got {self.reject!r}")
        if self.ema_decay is not None and not (_is_number(self.ema_decay) and 0 < self.ema_decay < 1):
            problems.append(f"ema_decay must be a number in (0, 1) or None, got {self.ema_decay!r}")
        if not _is_pair(self.betas) or not all(0 <= b < 1 for b in self.betas) or not _in_unit(self.alpha):
            problems.append(
                f"betas must be two numbers and alpha one, all in [0, 1), "
                f"got betas={self.betas}, alpha={self.alpha}"
            )
        problems = [p for p in problems if p]
        if problems:
            raise ValueError(f"recipe {self.name!r}: " + "; ".join(problems))

    def _gan_problems(self) -> list[str]:
        problems = [unknown_problem(self.loss, LOSSES, "loss")]
        if not isinstance(self.discriminator, ModelSpec):
            return [*problems, "a GAN needs a discriminator (a ModelSpec)"]
        if self.generator.out_dim != self.discriminator.in_dim:
            problems.append(
                f"the generator makes {self.generator.out_dim} values per sample but the "
                f"discriminator takes {self.discriminator.in_dim}"
            )
        if self.discriminator.out_dim != 1:
            problems.append(f"the discriminator must output one score, not {self.discriminator.out_dim}")
        return problems

    def _one_network_problems(self) -> list[str]:
        problems = []
        if self.discriminator is not None or self.loss:
            problems.append(
                f"objective {self.objective!r} has no discriminator and no GAN loss (None and '')"
            )
        if self.reject or self.clip is not None or self.gp_weight or self.r1_weight or self.critic_steps != 1:
            problems.append(
                f"objective {self.objective!r} has no critic to clip, penalise, step or filter by"
            )
        kinds = ONE_NETWORK_KINDS[self.objective]
        if self.generator.kind not in kinds:
            problems.append(f"objective {self.objective!r} needs a generator of kind {' or '.join(kinds)}")
        return problems

    @property
    def latent_dim(self) -> int:
        return self.generator.in_dim

    def replace(self, **changes) -> Recipe:
        """A copy with some fields changed (validated again)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise ValueError(f"Recipe has no field(s) {sorted(unknown)}")
        return dataclasses.replace(self, **changes)

    def summary(self) -> str:
        if self.objective != "gan":
            return (
                f"{self.name}: {self.objective}, {self.optimizer} lr {self.lr:g}, "
                f"{self.steps} steps, batch {self.batch_size}"
            )
        reg = f", clip {self.clip}" if self.clip else ""
        reg += f", GP lambda {self.gp_weight:g}" if self.gp_weight else ""
        reg += f", R1 gamma {self.r1_weight:g}" if self.r1_weight else ""
        reg += ", cosine lr decay" if self.lr_schedule == "cosine" else ""
        reg += f", rejecting the {self.reject:.0%} lowest-scored samples" if self.reject else ""
        return (
            f"{self.name}: {self.loss} loss, {self.optimizer} lr {self.lr:g}{reg}, "
            f"{self.critic_steps} D step(s) per G step, {self.steps} G steps, batch {self.batch_size}"
        )


def _is_number(x: object) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _is_pair(x: object) -> bool:
    return isinstance(x, (tuple, list)) and len(x) == 2 and all(map(_is_number, x))


def _in_unit(x: object) -> bool:
    return _is_number(x) and 0 <= x < 1


#: chapter 5's networks (64 x 64 facies images, 64 latent dimensions)
CHANNELS_LATENT = 64
DCGAN_GENERATOR = ModelSpec((CHANNELS_LATENT, 64 * 64), kind="dcgan-generator", options={"width": 8})
DCGAN_DISCRIMINATOR = ModelSpec((64 * 64, 1), kind="dcgan-discriminator", options={"width": 8})
UPSAMPLE_GENERATOR = ModelSpec(
    (CHANNELS_LATENT, 64 * 64),
    kind="upsample-generator",
    options={"channels": (64, 48, 24, 12, 6), "gain": 2.0},
)
SN_CRITIC = ModelSpec((64 * 64, 1), kind="sn-image-critic", options={"channels": (8, 16, 32, 64)})

#: chapter 5's recommended recipe (and, with an R1 penalty, its table's third row)
CHANNELS_GAN = Recipe(
    name="channels-gan",
    dataset="channels",
    description="Upsample+conv generator with EMA weights; spectral-norm critic with "
    "minibatch std; non-saturating loss, Adam 5e-4 (G) / 1e-3 (D)",
    generator=UPSAMPLE_GENERATOR,
    discriminator=SN_CRITIC,
    loss="nonsaturating",
    optimizer="adam",
    lr=5e-4,
    lr_d=1e-3,
    betas=(0.5, 0.99),
    steps=1000,
    batch_size=32,
    n_real=4096,
    ema_decay=0.99,
    recommended=True,
    source="this course (chapter 5), measured by python -m gan_utils bench channels",
)

TOY_GENERATOR = ModelSpec((2, 32, 32, 2), "relu")
TOY_DISCRIMINATOR = ModelSpec((2, 32, 32, 1), "leaky_relu_0.2")

#: the source textbook's two baselines; chapters 2 and 3 vary them one setting at a time
WELL_LOG_LSGAN = Recipe(
    name="well-logs-lsgan",
    dataset="well-logs",
    description="The baseline LSGAN: dense 8-64-128-128 generator, least squares, Adam 2e-4",
    generator=BASELINE_WELL_LOG_GENERATOR,
    discriminator=BASELINE_WELL_LOG_DISCRIMINATOR,
    loss="least-squares",
    optimizer="adam",
    lr=2e-4,
    steps=1500,
    batch_size=128,
    n_real=1024,
    source="source textbook, well-log LSGAN",
)
CROSSPLOT_WGAN = Recipe(
    name="crossplot-wgan",
    dataset="crossplot",
    description="The baseline WGAN: dense 4-48-48-2 generator, weight clipping 0.03, RMSProp",
    generator=BASELINE_CROSSPLOT_GENERATOR,
    discriminator=BASELINE_CROSSPLOT_CRITIC,
    loss="wasserstein",
    optimizer="rmsprop",
    lr=2.5e-4,
    alpha=0.9,  # Optimisers.jl RMSProp's rho; PyTorch's default is 0.99
    clip=0.03,
    critic_steps=4,
    steps=700,
    batch_size=128,
    n_real=512,
    source="source textbook, crossplot WGAN",
)

#: chapter 6's alternatives to a GAN (one network, no discriminator), on chapter 3's and
#: chapter 2's training data; candidates, not yet benchmarked
CROSSPLOT_FLOW = Recipe(
    name="crossplot-flow",
    dataset="crossplot",
    description="Flow matching: a 3-256-256-256-2 SiLU velocity network regressed on straight "
    "noise-to-data paths; Heun's method in 100 steps (200 network evaluations per sample)",
    generator=ModelSpec((2, 256, 256, 256, 2), "silu", kind="flow-mlp", options={"steps": 100}),
    discriminator=None,
    loss="",
    objective="flow-matching",
    optimizer="adam",
    lr=1e-3,
    lr_schedule="cosine",
    steps=8000,
    batch_size=512,
    n_real=65536,  # the recommended GAN's training data
    ema_decay=0.999,
    source="chapter 6 (GAN or not?): flow matching on chapter 3's data",
)
WELL_LOGS_FLOW = CROSSPLOT_FLOW.replace(
    name="well-logs-flow",
    dataset="well-logs",
    description="Flow matching: a 129-256-256-256-128 SiLU velocity network regressed on straight "
    "noise-to-data paths; Heun's method in 20 steps (40 network evaluations per sample)",
    generator=ModelSpec((128, 256, 256, 256, 128), "silu", kind="flow-mlp", options={"steps": 20}),
    steps=3000,
    batch_size=128,
    n_real=1024,  # the recommended GAN's training data
    source="chapter 6 (GAN or not?): flow matching on chapter 2's data",
)

RECIPES: dict[str, Recipe] = {
    r.name: r
    for r in (
        WELL_LOG_LSGAN,
        WELL_LOG_LSGAN.replace(
            name="well-logs-lsgan-long",
            description="The baseline LSGAN trained 4x longer (6000 iterations)",
            steps=6000,
            source="chapter 2: does training longer help?",
        ),
        WELL_LOG_LSGAN.replace(
            name="well-logs-nsgan",
            description="The baseline networks with the logistic (non-saturating) loss",
            loss="nonsaturating",
            source="chapter 2: does the loss matter?",
        ),
        Recipe(
            name="well-logs-physics-gan",
            dataset="well-logs",
            description="Conv generator ending in the measurement (levels, white noise, 3-point tool), "
            "EMA weights; spectral-norm conv critic; non-saturating loss",
            generator=ModelSpec(
                (128, 128),
                kind="well-log-physics",
                options={"latent_channels": 8, "latent_length": 16, "width": 32, "kernel": 5},
            ),
            discriminator=ModelSpec((128, 1), kind="well-log-critic", options={"width": 32, "kernel": 7}),
            loss="nonsaturating",
            optimizer="adam",
            lr=5e-4,
            betas=(0.5, 0.99),
            steps=900,
            batch_size=64,
            n_real=1024,
            ema_decay=0.995,
            recommended=True,
            source="this course (chapter 2), measured by python -m gan_utils bench well-logs",
        ),
        CROSSPLOT_WGAN,
        CROSSPLOT_WGAN.replace(
            name="crossplot-wgan-gp",
            description="The baseline networks as a WGAN-GP: Adam 5e-4 (0.5, 0.9), lambda 10, 2800 steps",
            optimizer="adam",
            lr=5e-4,
            alpha=Recipe.alpha,  # the defaults again: no RMSProp smoothing, no weight clipping
            clip=Recipe.clip,
            betas=(0.5, 0.9),
            gp_weight=10.0,
            steps=2800,
            source="the source textbook's named fix (Gulrajani et al. 2017), a learning rate that trains it",
        ),
        Recipe(
            name="crossplot-gan-r1",
            dataset="crossplot",
            description="Coin latent, non-saturating + R1, fresh data, cosine decay, 2% top-k truncation",
            generator=ModelSpec((4, 48, 48, 2), "relu", kind="mlp-coin"),
            discriminator=BASELINE_CROSSPLOT_CRITIC,
            loss="nonsaturating",
            optimizer="adam",
            lr=1e-3,
            betas=(0.5, 0.99),
            r1_weight=1.0,
            lr_schedule="cosine",
            critic_steps=1,
            steps=3000,
            batch_size=512,
            n_real=65536,  # fresh draws from the rock-physics model instead of a fixed 512
            reject=0.02,  # top-k truncation: drop the 2 % scored lowest (not Azadi et al.'s DRS)
            recommended=True,
            source="this course (chapter 3), measured by python -m gan_utils bench crossplot",
        ),
        *(
            CROSSPLOT_WGAN.replace(
                name=f"crossplot-{short}",
                description=f"The baseline networks and data with the {loss} loss, Adam 2e-4 (0.5, 0.999)",
                loss=loss,
                optimizer="adam",
                lr=2e-4,
                alpha=Recipe.alpha,
                clip=Recipe.clip,
                betas=(0.5, 0.999),
                critic_steps=1,
                steps=2800,  # as many discriminator updates as the baseline's 700 x 4
                source="chapter 3's loss comparison",
            )
            for short, loss in (
                ("minimax", "minimax"),
                ("nonsaturating", "nonsaturating"),
                ("lsgan", "least-squares"),
            )
        ),
        Recipe(
            name="channels-dcgan",
            dataset="channels",
            description="The source textbook's DCGAN rules: transposed convs, batch norm, ReLU in G, "
            "LeakyReLU in D; non-saturating loss, Adam 2e-4 (0.5, 0.999)",
            generator=DCGAN_GENERATOR,
            discriminator=DCGAN_DISCRIMINATOR,
            loss="nonsaturating",
            optimizer="adam",
            lr=2e-4,
            betas=(0.5, 0.999),
            steps=1000,
            batch_size=32,
            n_real=4096,
            source="source textbook's DCGAN rules (Radford et al. 2016), chapter 5",
        ),
        CHANNELS_GAN,
        CHANNELS_GAN.replace(
            name="channels-gan-r1",
            description="channels-gan plus an R1 penalty (gamma 1) on the critic: does a second "
            "stabiliser help? (chapter 5's table)",
            r1_weight=1.0,
            recommended=False,
        ),
        WELL_LOGS_FLOW,
        CROSSPLOT_FLOW,
        CROSSPLOT_FLOW.replace(
            name="crossplot-diffusion",
            description="Denoising diffusion: a 3-256-256-256-2 SiLU noise-prediction network, 1000 "
            "cosine-schedule noise levels; DDIM in 100 steps (100 network evaluations per sample)",
            generator=ModelSpec((2, 256, 256, 256, 2), "silu", kind="diffusion-mlp", options={"steps": 100}),
            objective="diffusion",
            source="chapter 6 (GAN or not?): diffusion on chapter 3's data",
        ),
        CROSSPLOT_FLOW.replace(
            name="crossplot-vae",
            description="Variational autoencoder: a 2-128-128-2 SiLU decoder (the generator) and its "
            "mirror encoder, trained by the evidence lower bound; a sample is the decoder's mean",
            generator=ModelSpec((2, 128, 128, 2), "silu", kind="vae-mlp"),
            objective="vae",
            steps=5000,
            ema_decay=None,
            source="chapter 6 (GAN or not?): a VAE on chapter 3's data",
        ),
        WELL_LOGS_FLOW.replace(
            name="well-logs-vae",
            description="Variational autoencoder: a 16-256-256-128 SiLU decoder (the generator) and "
            "its mirror encoder, trained by the evidence lower bound; a sample is the decoder's mean",
            generator=ModelSpec((16, 256, 256, 128), "silu", kind="vae-mlp"),
            objective="vae",
            steps=5000,
            ema_decay=None,
            source="chapter 6 (GAN or not?): a VAE on chapter 2's data",
        ),
        Recipe(
            name="toy-2d-gan",
            dataset="toy-2d",
            description="Chapter 1's small GAN on a 3-mode 2-D mixture, non-saturating loss",
            generator=TOY_GENERATOR,
            discriminator=TOY_DISCRIMINATOR,
            loss="nonsaturating",
            optimizer="adam",
            lr=2e-3,
            betas=(0.5, 0.999),
            steps=1500,
            batch_size=128,
            n_real=512,
            recommended=True,
            source="this course (chapter 1)",
        ),
    )
}


def same_training(a, b) -> bool:
    """Recipes ``a`` and ``b`` train and sample the same way (names and notes aside)."""
    blank = {"name": "x", "description": "", "source": "", "recommended": False}
    return a.replace(**blank) == b.replace(**blank)


def get_recipe(name: str) -> Recipe:
    """The recipe called ``name``; a clear error listing the names otherwise."""
    return RECIPES[check_choice(name, RECIPES, "recipe")]


def register_recipe(recipe: Recipe, replace: bool = False) -> Recipe:
    """Make ``recipe`` available by name (``get_recipe``, the command line, saved runs)."""
    return register(RECIPES, recipe.name, recipe, "recipe", replace)


def list_recipes() -> list[dict]:
    """One record per recipe, as ``python -m gan_utils list --json`` prints them."""
    return [
        {
            "name": r.name,
            "dataset": r.dataset,
            "loss": r.loss or r.objective,  # a flow's loss is its objective's
            "recommended": r.recommended,
            "description": r.description,
        }
        for r in RECIPES.values()
    ]
