"""The one training loop. Every recipe, every chapter, the command line: all run :func:`train`.

One generator step is: ``critic_steps`` discriminator updates (each on a fresh
real batch drawn with replacement and a fresh latent batch; weight clipping
after each, or a gradient penalty inside the loss), then one generator update on
a fresh latent batch. This is the order of the source textbook's Julia loops.
A recipe with another ``objective`` takes its own step instead (:data:`STEPPERS`):
flow matching's, diffusion's and a VAE's is one update of their one network
(:mod:`gan_utils.alternatives`).

The loop records both losses and the mean discriminator output on real and
generated batches at every step, calls an optional probe, keeps optional
snapshots of both networks, shows a ``tqdm`` progress bar, stops with
:class:`TrainingDiverged` (a ``ValueError`` naming the step) if a loss stops
being finite, and returns the partial result when interrupted with Ctrl-C.
"""

from __future__ import annotations

import copy
import math
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn
from tqdm import tqdm  # a text bar: a widget bar leaves a dead widget in a saved notebook

from .alternatives import diffusion_loss, flow_matching_loss, vae_loss
from .checks import RunFailed, check_memory, check_positive_int
from .data import Dataset, Standardizer, load_dataset
from .losses import get_loss, gradient_penalty, r1_penalty
from .models import EMAGenerator, build, build_generator, evaluating, update_average
from .recipes import Recipe, get_recipe

#: Environment variable read by :func:`progress_enabled`: "0" hides progress bars.
#: The notebook runner and the test suite set it to "0" so stored outputs hold no bars.
PROGRESS_ENV = "GAN_UTILS_PROGRESS"

Probe = Callable[[int, nn.Module, nn.Module], dict]


class TrainingDiverged(ValueError):
    """A loss became NaN or infinite; the message names the step and what to change."""


def setup(seed: int = 0, threads: int = 1, device: str | torch.device = "cpu") -> torch.device:
    """Make a run reproducible: seed Python, NumPy and torch, fix torch's thread count.

    One thread is the default: the course's networks are small, so one thread is
    about as fast as two, and results then do not depend on the machine's cores.
    Returns ``device`` as a :class:`torch.device`: the CPU unless another is asked for.
    The course runs on the CPU, also where a GPU exists (a Colab GPU runtime): its
    networks are small, and the notebooks' stored outputs were computed there. Ask for ``"cuda"``
    explicitly to use a GPU; a ValueError says so when none is available.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise ValueError(f"threads must be a positive integer, got {threads!r}")
    chosen = default_device(device)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    return chosen


def default_device(device: str | torch.device = "cpu") -> torch.device:
    """``device`` checked: the CPU by default; ``"cuda"`` (or ``"cuda:N"``) only when such a
    GPU is available, else a ValueError that says what to do."""
    try:
        chosen = torch.device(device)
    except (RuntimeError, TypeError) as error:
        raise ValueError(f"device must be 'cpu' or 'cuda', got {device!r}") from error
    if chosen.type == "cpu":
        return chosen
    if chosen.type != "cuda":
        raise ValueError(f"device must be 'cpu' or 'cuda', got {device!r}")
    if not torch.cuda.is_available():
        raise ValueError(
            f"device {device!r} was asked for, but torch sees no CUDA GPU "
            f"(torch {torch.__version__}, built for CUDA: {torch.version.cuda or 'no'}); "
            "use device='cpu', the default"
        )
    if chosen.index is not None and chosen.index >= torch.cuda.device_count():
        raise ValueError(f"device {device!r}: only {torch.cuda.device_count()} CUDA device(s) here")
    return chosen


def progress_enabled(progress: bool | None = None) -> bool:
    """``progress`` if given, else the :data:`PROGRESS_ENV` setting (on by default)."""
    if progress is not None:
        return progress
    return os.environ.get(PROGRESS_ENV, "1") not in ("0", "false", "no", "off")


@dataclass
class History:
    """Per-generator-step records. ``d_real``/``d_fake`` are mean D outputs (probabilities
    for the logistic losses, raw scores otherwise)."""

    step: list[int] = field(default_factory=list)
    d_loss: list[float] = field(default_factory=list)
    g_loss: list[float] = field(default_factory=list)
    d_real: list[float] = field(default_factory=list)
    d_fake: list[float] = field(default_factory=list)
    probes: list[dict] = field(default_factory=list)
    interrupted: bool = False

    COLUMNS = ("step", "d_loss", "g_loss", "d_real", "d_fake")

    def __len__(self) -> int:
        return len(self.step)

    def array(self, name: str) -> np.ndarray:
        return np.asarray(getattr(self, name), dtype=float)

    @classmethod
    def from_csv(cls, path: str | os.PathLike) -> History:
        """Read what :meth:`to_csv` wrote."""
        h = cls()
        lines = Path(path).read_text().splitlines()[1:]
        for line in lines:
            step, *values = line.split(",")
            h.step.append(int(step))
            for name, value in zip(cls.COLUMNS[1:], values, strict=True):
                getattr(h, name).append(float(value))
        return h

    def to_csv(self, path: str | os.PathLike) -> None:
        rows = zip(*(getattr(self, c) for c in self.COLUMNS), strict=True)
        with open(path, "w") as f:
            f.write(",".join(self.COLUMNS) + "\n")
            for row in rows:
                f.write(f"{row[0]}," + ",".join(f"{v:.7g}" for v in row[1:]) + "\n")


@dataclass
class Run:
    """A trained model: what :func:`train` returns and what :func:`gan_utils.runs.load_run`
    reads back, and what :func:`gan_utils.runs.save_run` writes either way. Trained, it
    holds its training ``data``; loaded, ``data`` is None (the ``scaler`` and ``columns``
    are stored; :meth:`training_data` re-makes the data from the recipe and seed) and
    ``path`` is its folder."""

    recipe: Recipe
    seed: int
    generator: nn.Module
    discriminator: nn.Module | None
    history: History
    data: Dataset | None
    snapshots: list[dict] = field(default_factory=list)  # {"step", "generator", "discriminator"}
    seconds: float = 0.0
    scaler: Standardizer | None = None  # the data's, unless loaded from disk
    columns: tuple[str, ...] = ()
    path: Path | None = None  # the run directory it was loaded from

    def __post_init__(self) -> None:
        if self.data is not None:
            self.scaler = self.scaler or self.data.scaler
            self.columns = self.columns or self.data.columns

    @property
    def dataset(self) -> str:
        """The name of the data set it was trained on (the recipe's, unless trained on
        other ``data``)."""
        return self.recipe.dataset if self.data is None else self.data.name

    def training_data(self) -> Dataset:
        """Its training data: ``data``, or for a loaded run the recipe's data set re-made
        from the run's seed (what :func:`train` used, unless it was given other data)."""
        if self.data is not None:
            return self.data
        return load_dataset(self.recipe.dataset, self.recipe.n_real, self.seed)

    def sample(self, n: int, seed: int = 0, physical: bool = True) -> np.ndarray:
        """``n`` generated samples, shape ``(n, *shape)`` (physical units and the data set's
        values, e.g. facies codes, unless ``physical=False``), with the recipe's score
        filtering (top-k truncation), if any."""
        x = generate(self.generator, n, self.recipe.latent_dim, seed, self.discriminator, self.recipe.reject)
        return self.to_physical(x) if physical else x

    def to_physical(self, x: np.ndarray) -> np.ndarray:
        """Generator output (training space) in the data set's units and values: the
        physical-units transform, then the data set's ``decode`` (facies codes, if any)."""
        from .data import get_dataset

        return get_dataset(self.recipe.dataset).to_values(self.scaler.to_physical(x))

    def generator_at(self, index: int) -> nn.Module:
        """A copy of the generator as it was at snapshot ``index``."""
        g = copy.deepcopy(self.generator)
        g.load_state_dict(self.snapshots[index]["generator"])
        return g

    def discriminator_at(self, index: int) -> nn.Module:
        d = copy.deepcopy(self.discriminator)
        d.load_state_dict(self.snapshots[index]["discriminator"])
        return d


@torch.no_grad()
def generate(
    generator: nn.Module,
    n: int,
    latent_dim: int,
    seed: int = 0,
    discriminator: nn.Module | None = None,
    reject: float = 0.0,
) -> np.ndarray:
    """``n`` samples in training space from a private random stream seeded by ``seed`` (the
    latent codes and any noise the generator draws), so sampling is reproducible and never
    disturbs the global random state.

    With ``reject`` > 0 (and a ``discriminator``), ``n / (1 - reject)`` samples are drawn
    and the ``reject`` fraction the discriminator scores lowest is dropped: score filtering,
    or top-k truncation by the discriminator's score. This is not discriminator rejection
    sampling (Azadi et al. 2019), which accepts each sample with a probability derived from
    the density ratio the discriminator estimates; truncation only cuts the lowest tail."""
    check_positive_int(n, "n")
    n, latent_dim = check_positive_int(n, "n"), check_positive_int(latent_dim, "latent_dim")
    if not 0 <= reject < 1:
        raise ValueError(f"reject must be in [0, 1), got {reject!r}")
    if reject and discriminator is None:
        raise ValueError("score filtering (reject > 0) needs the discriminator")
    m = int(np.ceil(n / (1 - reject))) if reject else int(n)
    # a private random stream: the latent codes and any noise the generator draws itself
    with evaluating(seed, generator) as device:
        z = torch.randn(m, latent_dim)
        try:
            x = generator(z.to(device))
        except RuntimeError as exc:  # e.g. a latent size the network was not built for
            message = f"the generator does not take latent codes of size {latent_dim}: {exc}"
            raise ValueError(message) from None
    if reject:
        scores = discriminator(x).flatten()
        if not torch.isfinite(scores).all():
            raise RunFailed("the discriminator's scores are not all finite, so they cannot rank the samples")
        keep = torch.argsort(scores, descending=True, stable=True)[: int(n)]
        x = x[torch.sort(keep).values]
    return x.cpu().numpy()


def make_optimizer(recipe: Recipe, params, lr: float) -> torch.optim.Optimizer:
    if recipe.optimizer == "adam":
        return torch.optim.Adam(params, lr=lr, betas=recipe.betas)
    if recipe.optimizer == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=recipe.alpha)
    return torch.optim.SGD(params, lr=lr)


def _schedules(recipe: Recipe, *optimizers) -> list:
    """The recipe's learning-rate schedules, one per optimiser (none for "constant")."""
    if recipe.lr_schedule == "cosine":
        return [torch.optim.lr_scheduler.CosineAnnealingLR(o, recipe.steps) for o in optimizers]
    return []


def _update(generator: nn.Module, optimizer, loss: torch.Tensor, schedules) -> None:
    """One update of the generator from ``loss``; a generator that keeps a weight average
    moves it toward the weights this update starts from; then the schedules step."""
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    update_average(generator)
    optimizer.step()
    for schedule in schedules:
        schedule.step()


# ----------------------------------------------------------------------------- the loop


@dataclass
class TrainState:
    """What a callback sees after each generator step (``step`` counts from 1)."""

    recipe: Recipe
    generator: nn.Module
    discriminator: nn.Module
    history: History
    step: int = 0
    d_loss: float = float("nan")
    g_loss: float = float("nan")
    snapshots: list[dict] = field(default_factory=list)


class Callback:
    """Hooks into :func:`fit`; override what you need. ``on_step_end`` runs after every
    generator step, once its losses are recorded in ``state.history``."""

    def on_train_begin(self, state: TrainState) -> None:
        pass

    def on_step_end(self, state: TrainState) -> None:
        pass

    def on_train_end(self, state: TrainState) -> None:
        pass


def _due(step: int, every: int, last: int) -> bool:
    return step % every == 0 or step == last


class ProbeCallback(Callback):
    """``probe(step, G, D)`` at the first step, every ``every`` steps and at the last; its
    dict (with the step) goes into ``history.probes``."""

    def __init__(self, probe: Probe, every: int):
        self.probe, self.every = probe, every

    def on_step_end(self, state: TrainState) -> None:
        if state.step == 1 or _due(state.step, self.every, state.recipe.steps):
            probed = self.probe(state.step, state.generator, state.discriminator)
            state.history.probes.append({"step": state.step, **probed})


class SnapshotCallback(Callback):
    """Both networks' weights at step 0, every ``every`` steps and at the last, into
    ``state.snapshots`` (``{"step", "generator", "discriminator"}``)."""

    def __init__(self, every: int):
        self.every = every

    @staticmethod
    def snapshot(state: TrainState) -> None:
        state.snapshots.append(
            {
                "step": state.step,
                "generator": copy.deepcopy(state.generator.state_dict()),
                "discriminator": None
                if state.discriminator is None
                else copy.deepcopy(state.discriminator.state_dict()),
            }
        )

    def on_train_begin(self, state: TrainState) -> None:
        self.snapshot(state)

    def on_step_end(self, state: TrainState) -> None:
        if _due(state.step, self.every, state.recipe.steps):
            self.snapshot(state)


class ProgressCallback(Callback):
    """A ``tqdm`` bar on stderr, with the losses every 50 steps."""

    def __init__(self, enabled: bool):
        self.enabled, self.bar = enabled, None

    def on_train_begin(self, state: TrainState) -> None:
        self.bar = tqdm(
            total=state.recipe.steps,
            desc=state.recipe.name,
            unit="step",
            disable=not self.enabled,
            file=sys.stderr,
            leave=False,
        )

    def on_step_end(self, state: TrainState) -> None:
        self.bar.update(1)
        if state.step % 50 == 0:
            losses = {"d_loss": state.d_loss, "g_loss": state.g_loss}
            self.bar.set_postfix(
                {k: f"{v:.3f}" for k, v in losses.items() if math.isfinite(v)}, refresh=False
            )

    def on_train_end(self, state: TrainState) -> None:
        if self.bar is not None:
            self.bar.close()


@dataclass
class GANSteps:
    """The two updates of one generator step, for one recipe: :meth:`discriminator_step`
    (run ``critic_steps`` times) and :meth:`generator_step`."""

    recipe: Recipe
    G: nn.Module
    D: nn.Module
    real: torch.Tensor
    device: torch.device

    def __post_init__(self) -> None:
        r = self.recipe
        self.loss = get_loss(r.loss)
        self.opt_g = make_optimizer(r, self.G.parameters(), r.lr)
        self.opt_d = make_optimizer(r, self.D.parameters(), r.lr_d or r.lr)
        self.schedules = _schedules(r, self.opt_g, self.opt_d)

    def _latent(self) -> torch.Tensor:
        return torch.randn(self.recipe.batch_size, self.recipe.latent_dim, device=self.device)

    def discriminator_step(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """One discriminator update on a fresh real batch (drawn with replacement) and a
        fresh generated one; returns its loss and the scores of both batches."""
        r, D = self.recipe, self.D
        x_real = self.real[torch.randint(self.real.shape[0], (r.batch_size,), device=self.device)]
        z = self._latent()
        with torch.no_grad():
            x_fake = self.G(z)
        real_score, fake_score = D(x_real), D(x_fake)
        d_loss = self.loss.d_loss(real_score, fake_score)
        if r.gp_weight:
            d_loss = d_loss + r.gp_weight * gradient_penalty(D, x_real, x_fake)
        if r.r1_weight:
            d_loss = d_loss + 0.5 * r.r1_weight * r1_penalty(D, x_real)
        self.opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        self.opt_d.step()
        if r.clip is not None:
            with torch.no_grad():
                for p in D.parameters():
                    p.clamp_(-r.clip, r.clip)
        return d_loss, real_score, fake_score

    def generator_step(self) -> torch.Tensor:
        """One generator update on a fresh latent batch. A generator that keeps a weight
        average moves it toward the weights this update starts from."""
        g_loss = self.loss.g_loss(self.D(self.G(self._latent())))
        _update(self.G, self.opt_g, g_loss, self.schedules)
        return g_loss

    def step(self) -> dict[str, float]:
        """One generator step: ``critic_steps`` discriminator updates, then one generator
        update; returns the losses and the mean discriminator outputs for the history."""
        for _ in range(self.recipe.critic_steps):
            d_loss, real_score, fake_score = self.discriminator_step()
        g_loss = self.generator_step()
        return {
            "d_loss": d_loss.item(),
            "g_loss": g_loss.item(),
            "d_real": self.loss.display(real_score.detach()).mean().item(),
            "d_fake": self.loss.display(fake_score.detach()).mean().item(),
        }


#: objective -> its loss of (network, real batch), for :class:`OneNetworkSteps`
ONE_NETWORK_LOSSES = {"flow-matching": flow_matching_loss, "diffusion": diffusion_loss, "vae": vae_loss}


@dataclass
class OneNetworkSteps:
    """One update of a recipe with one network and no discriminator: its objective's loss
    (:data:`ONE_NETWORK_LOSSES`) on a fresh real batch; the history's ``g_loss`` is this
    loss."""

    recipe: Recipe
    G: nn.Module
    D: None
    real: torch.Tensor
    device: torch.device

    def __post_init__(self) -> None:
        self.loss = ONE_NETWORK_LOSSES[self.recipe.objective]
        self.opt = make_optimizer(self.recipe, self.G.parameters(), self.recipe.lr)
        self.schedules = _schedules(self.recipe, self.opt)

    def step(self) -> dict[str, float]:
        x = self.real[torch.randint(self.real.shape[0], (self.recipe.batch_size,), device=self.device)]
        model = self.G.inner if isinstance(self.G, EMAGenerator) else self.G
        loss = self.loss(model, x)
        _update(self.G, self.opt, loss, self.schedules)
        return {"g_loss": loss.item()}


#: objective -> the class whose ``step()`` makes one training step (see ``Recipe.objective``)
STEPPERS = {"gan": GANSteps, **dict.fromkeys(ONE_NETWORK_LOSSES, OneNetworkSteps)}


def _record(state: TrainState, values: dict[str, float]) -> None:
    """One step's values into the history (NaN for those the objective has not, such as a
    flow's discriminator loss); :class:`TrainingDiverged` if a loss is not finite."""
    recipe, h = state.recipe, state.history
    state.d_loss, state.g_loss = values.get("d_loss", math.nan), values["g_loss"]
    if not all(math.isfinite(values[k]) for k in ("d_loss", "g_loss") if k in values):
        fix = " or add clipping / a gradient penalty" if recipe.objective == "gan" else ""
        raise TrainingDiverged(
            f"training of {recipe.name!r} diverged at generator step {state.step} of "
            f"{recipe.steps}: discriminator loss {state.d_loss}, generator loss {state.g_loss}. "
            f"Lower the learning rate (now {recipe.lr:g}){fix}."
        )
    h.step.append(state.step)
    for name in ("d_loss", "g_loss", "d_real", "d_fake"):
        getattr(h, name).append(values.get(name, math.nan))


def check_data(recipe: Recipe, data: Dataset, device: torch.device) -> torch.Tensor:
    """The training array on ``device``; ``ValueError`` if it does not fit the recipe."""
    if data.dim != recipe.generator.out_dim:
        raise ValueError(
            f"recipe {recipe.name!r} generates {recipe.generator.out_dim} values per sample, "
            f"but data set {data.name!r} has {data.dim}"
        )
    real = torch.as_tensor(data.train, dtype=torch.float32, device=device)
    if not torch.isfinite(real).all():
        raise ValueError(f"data set {data.name!r} contains NaN or infinite values")
    return real


def fit(
    recipe: Recipe,
    data: Dataset,
    seed: int = 0,
    *,
    device: str | torch.device = "cpu",
    callbacks: Sequence[Callback] = (),
) -> Run:
    """The training loop, without seeding: build both networks (weights from torch's global
    random state, which the caller seeds), then ``recipe.steps`` times ``critic_steps``
    discriminator steps and one generator step, calling every callback's ``on_step_end``.
    ``seed`` is only recorded in the result. Ctrl-C returns the partial result."""
    device = torch.device(device)
    real = check_data(recipe, data, device)
    G = build_generator(recipe.generator, recipe.ema_decay, data=real).to(device)
    D = None if recipe.discriminator is None else build(recipe.discriminator).to(device)
    steps = STEPPERS[recipe.objective](recipe, G, D, real, device)
    state = TrainState(recipe, G, D, History())
    for cb in callbacks:
        cb.on_train_begin(state)
    start = time.perf_counter()
    try:
        for state.step in range(1, recipe.steps + 1):
            _record(state, steps.step())
            for cb in callbacks:
                cb.on_step_end(state)
    except KeyboardInterrupt:
        state.history.interrupted = True
        print(
            f"interrupted at generator step {state.step}: returning the partial result "
            f"({len(state.history)} completed steps)",
            file=sys.stderr,
        )
    finally:
        for cb in callbacks:
            cb.on_train_end(state)
    _check_weights(G, recipe, len(state.history))
    return Run(recipe, seed, G, D, state.history, data, state.snapshots, time.perf_counter() - start)


def _check_every(probe_every: int, snapshot_every: int) -> None:
    for name, value in (("probe_every", probe_every), ("snapshot_every", snapshot_every)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be an integer >= 0, got {value!r}")


def train(
    recipe: Recipe,
    seed: int = 0,
    *,
    steps: int | None = None,
    data: Dataset | None = None,
    probe: Probe | None = None,
    probe_every: int = 0,
    snapshot_every: int = 0,
    progress: bool | None = None,
    threads: int = 1,
    device: str | torch.device | None = None,
    callbacks: Sequence[Callback] = (),
) -> Run:
    """Train ``recipe`` from ``seed``; ``steps`` overrides the recipe's generator steps.

    Seeds once (:func:`setup`), makes the data and calls :func:`fit`. ``data`` defaults
    to the recipe's data set generated from the same seed. ``probe(step, G, D)`` runs
    every ``probe_every`` steps (and at the first and last); its dict goes into
    ``history.probes``. With ``snapshot_every`` > 0 the networks' weights are kept at
    step 0, every ``snapshot_every`` steps and at the end. ``callbacks`` are more
    :class:`Callback` objects (checkpoints, image grids...). ``device`` overrides the
    device :func:`setup` picks.
    """
    recipe = _check_recipe_and_data(recipe, data)
    if steps is not None:
        recipe = recipe.replace(steps=steps)
    _check_every(probe_every, snapshot_every)
    device = setup(seed, threads, device="cpu" if device is None else device)  # seeds, always
    if data is None:
        data = load_dataset(recipe.dataset, recipe.n_real, seed)
    hooks: list[Callback] = [ProgressCallback(progress_enabled(progress))]
    if probe is not None and probe_every:
        hooks.append(ProbeCallback(probe, probe_every))
    if snapshot_every:
        hooks.append(SnapshotCallback(snapshot_every))
    return fit(recipe, data, seed, device=device, callbacks=[*hooks, *callbacks])


def _check_recipe_and_data(recipe, data) -> Recipe:
    """The recipe (a registered name is looked up) and one-line errors for what ``train``
    cannot use: another type, training data that is not a :class:`Dataset`, a batch that
    cannot fit in memory."""
    if isinstance(recipe, str):
        recipe = get_recipe(recipe)
    if not isinstance(recipe, Recipe):
        raise ValueError(f"recipe must be a Recipe or a recipe's name, got {type(recipe).__name__}")
    if data is not None and not isinstance(data, Dataset):
        raise ValueError(f"data must be a Dataset (gan_utils.load_dataset), got {type(data).__name__}")
    widths = sum(recipe.generator.sizes) + sum(recipe.discriminator.sizes if recipe.discriminator else ())
    check_memory(recipe.batch_size * widths * 4 * 8, f"batch_size {recipe.batch_size}")  # rough
    return recipe


def _check_weights(generator: nn.Module, recipe: Recipe, steps: int) -> None:
    """:class:`TrainingDiverged` if the last update left NaN or infinite weights, or weights
    that generate NaN or infinite samples (the losses, computed before it, were finite)."""
    if not all(torch.isfinite(p).all() for p in generator.parameters()):
        problem = "the generator's weights are NaN or infinite"
    elif not np.isfinite(generate(generator, 256, recipe.latent_dim, seed=0)).all():
        problem = "the generator makes NaN or infinite samples"
    else:
        return
    raise TrainingDiverged(
        f"training of {recipe.name!r} diverged: {problem} after {steps} step(s). "
        f"Lower the learning rate (now {recipe.lr:g})."
    )


def fit_discriminator(
    real: np.ndarray,
    fake: np.ndarray,
    spec,
    steps: int = 2000,
    lr: float = 3e-3,
    batch_size: int = 256,
    seed: int = 0,
) -> nn.Module:
    """Train a discriminator alone, with the logistic (binary cross-entropy) loss, to tell
    samples ``real`` from samples ``fake`` of a *fixed* generator: chapter 1 compares the
    result with the optimal discriminator p_data / (p_data + p_g). Returns D (logits out)."""
    from .losses import get_loss

    if steps < 1 or batch_size < 1 or not lr > 0:
        raise ValueError(f"steps, batch_size and lr must be positive, got {steps}, {batch_size}, {lr}")
    x_real = torch.as_tensor(np.asarray(real, np.float32).reshape(len(real), -1))
    x_fake = torch.as_tensor(np.asarray(fake, np.float32).reshape(len(fake), -1))
    if x_real.shape[1] != spec.in_dim or x_fake.shape[1] != spec.in_dim:
        raise ValueError(
            f"the discriminator takes {spec.in_dim} values per sample, got "
            f"{x_real.shape[1]} (real) and {x_fake.shape[1]} (fake)"
        )
    setup(seed)
    D = build(spec)
    opt = torch.optim.Adam(D.parameters(), lr=lr)
    loss = get_loss("minimax")
    for _ in range(steps):
        r = x_real[torch.randint(len(x_real), (batch_size,))]
        f = x_fake[torch.randint(len(x_fake), (batch_size,))]
        d_loss = loss.d_loss(D(r), D(f))
        opt.zero_grad(set_to_none=True)
        d_loss.backward()
        opt.step()
    return D
