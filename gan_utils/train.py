"""The one training loop. Every recipe, every chapter, the command line: all run :func:`train`.

One generator step is: ``critic_steps`` discriminator updates (each on a fresh
real batch drawn with replacement and a fresh latent batch; weight clipping
after each, or a gradient penalty inside the loss), then one generator update on
a fresh latent batch. This is the order of the seed's Julia loops.

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
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from .data import Dataset, load_dataset
from .losses import get_loss, gradient_penalty, r1_penalty
from .models import build
from .recipes import Recipe

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

    def to_csv(self, path: str | os.PathLike) -> None:
        rows = zip(*(getattr(self, c) for c in self.COLUMNS), strict=True)
        with open(path, "w") as f:
            f.write(",".join(self.COLUMNS) + "\n")
            for row in rows:
                f.write(f"{row[0]}," + ",".join(f"{v:.7g}" for v in row[1:]) + "\n")


@dataclass
class TrainResult:
    """What :func:`train` returns."""

    recipe: Recipe
    seed: int
    generator: nn.Module
    discriminator: nn.Module
    history: History
    data: Dataset
    snapshots: list[dict] = field(default_factory=list)  # {"step", "generator", "discriminator"}
    seconds: float = 0.0

    def sample(self, n: int, seed: int = 0, physical: bool = True) -> np.ndarray:
        """``n`` generated samples (physical units unless ``physical=False``), with the
        recipe's discriminator rejection (if any)."""
        x = generate(self.generator, n, self.recipe.latent_dim, seed, self.discriminator, self.recipe.reject)
        return self.data.to_physical(x) if physical else x

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
    and the ``reject`` fraction the discriminator scores lowest is dropped: discriminator
    rejection sampling (Azadi et al. 2019) in its simplest form."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if not 0 <= reject < 1:
        raise ValueError(f"reject must be in [0, 1), got {reject!r}")
    if reject and discriminator is None:
        raise ValueError("rejection sampling needs the discriminator")
    m = int(np.ceil(n / (1 - reject))) if reject else int(n)
    device = next(generator.parameters()).device
    was_training = generator.training
    generator.eval()
    # a private random stream: the latent codes and any noise the generator draws itself
    with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):
        torch.manual_seed(int(seed))
        z = torch.randn(m, latent_dim)
        try:
            x = generator(z.to(device))
        except RuntimeError as exc:  # e.g. a latent size the network was not built for
            message = f"the generator does not take latent codes of size {latent_dim}: {exc}"
            raise ValueError(message) from None
        finally:
            generator.train(was_training)
    if reject:
        keep = torch.argsort(discriminator(x).flatten(), descending=True, stable=True)[: int(n)]
        x = x[torch.sort(keep).values]
    return x.cpu().numpy()


def make_optimizer(recipe: Recipe, params, lr: float) -> torch.optim.Optimizer:
    if recipe.optimizer == "adam":
        return torch.optim.Adam(params, lr=lr, betas=recipe.betas)
    if recipe.optimizer == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=recipe.alpha)
    return torch.optim.SGD(params, lr=lr)


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
) -> TrainResult:
    """Train ``recipe`` from ``seed``; ``steps`` overrides the recipe's generator steps.

    ``data`` defaults to the recipe's data set generated from the same seed.
    ``probe(step, G, D)`` runs every ``probe_every`` steps (and at the first and
    last); its dict goes into ``history.probes``. With ``snapshot_every`` > 0 the
    networks' weights are kept at step 0, every ``snapshot_every`` steps and at the end.
    ``device`` overrides the device :func:`setup` picks.
    """
    if steps is not None:
        recipe = recipe.replace(steps=steps)
    for name, value in (("probe_every", probe_every), ("snapshot_every", snapshot_every)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be an integer >= 0, got {value!r}")
    device = setup(seed, threads) if device is None else torch.device(device)
    if data is None:
        data = load_dataset(recipe.dataset, recipe.n_real, seed)
    if data.dim != recipe.generator.out_dim:
        raise ValueError(
            f"recipe {recipe.name!r} generates {recipe.generator.out_dim} values per sample, "
            f"but data set {data.name!r} has {data.dim}"
        )
    real = torch.as_tensor(data.train, dtype=torch.float32, device=device)
    if not torch.isfinite(real).all():
        raise ValueError(f"data set {data.name!r} contains NaN or infinite values")

    G = build(recipe.generator).to(device)
    D = build(recipe.discriminator).to(device)
    loss = get_loss(recipe.loss)
    opt_g = make_optimizer(recipe, G.parameters(), recipe.lr)
    opt_d = make_optimizer(recipe, D.parameters(), recipe.lr_d or recipe.lr)
    schedules = []
    if recipe.lr_schedule == "cosine":
        schedules = [torch.optim.lr_scheduler.CosineAnnealingLR(o, recipe.steps) for o in (opt_g, opt_d)]
    history = History()
    snapshots: list[dict] = []
    n_real, batch, latent = real.shape[0], recipe.batch_size, recipe.latent_dim

    def snapshot(step: int) -> None:
        snapshots.append(
            {
                "step": step,
                "generator": copy.deepcopy(G.state_dict()),
                "discriminator": copy.deepcopy(D.state_dict()),
            }
        )

    if snapshot_every:
        snapshot(0)
    start = time.perf_counter()
    bar = tqdm(
        total=recipe.steps,
        desc=recipe.name,
        unit="step",
        disable=not progress_enabled(progress),
        file=sys.stderr,
        leave=False,
    )
    step = 0
    try:
        for step in range(1, recipe.steps + 1):
            for _ in range(recipe.critic_steps):
                x_real = real[torch.randint(n_real, (batch,), device=device)]
                z = torch.randn(batch, latent, device=device)
                with torch.no_grad():
                    x_fake = G(z)
                real_score, fake_score = D(x_real), D(x_fake)
                d_loss = loss.d_loss(real_score, fake_score)
                if recipe.gp_weight:
                    d_loss = d_loss + recipe.gp_weight * gradient_penalty(D, x_real, x_fake)
                if recipe.r1_weight:
                    d_loss = d_loss + 0.5 * recipe.r1_weight * r1_penalty(D, x_real)
                opt_d.zero_grad(set_to_none=True)
                d_loss.backward()
                opt_d.step()
                if recipe.clip is not None:
                    with torch.no_grad():
                        for p in D.parameters():
                            p.clamp_(-recipe.clip, recipe.clip)

            z = torch.randn(batch, latent, device=device)
            g_loss = loss.g_loss(D(G(z)))
            opt_g.zero_grad(set_to_none=True)
            g_loss.backward()
            opt_g.step()
            for schedule in schedules:
                schedule.step()

            d_value, g_value = d_loss.item(), g_loss.item()
            if not (math.isfinite(d_value) and math.isfinite(g_value)):
                raise TrainingDiverged(
                    f"training of {recipe.name!r} diverged at generator step {step} of "
                    f"{recipe.steps}: discriminator loss {d_value}, generator loss {g_value}. "
                    f"Lower the learning rate (now {recipe.lr:g}) or add clipping / a gradient penalty."
                )
            history.step.append(step)
            history.d_loss.append(d_value)
            history.g_loss.append(g_value)
            history.d_real.append(loss.display(real_score.detach()).mean().item())
            history.d_fake.append(loss.display(fake_score.detach()).mean().item())
            if (
                probe is not None
                and probe_every
                and (step == 1 or step % probe_every == 0 or step == recipe.steps)
            ):
                history.probes.append({"step": step, **probe(step, G, D)})
            if snapshot_every and (step % snapshot_every == 0 or step == recipe.steps):
                snapshot(step)
            bar.update(1)
            if step % 50 == 0:
                bar.set_postfix(d_loss=f"{d_value:.3f}", g_loss=f"{g_value:.3f}", refresh=False)
    except KeyboardInterrupt:
        history.interrupted = True
        print(
            f"interrupted at generator step {step}: returning the partial result "
            f"({len(history)} completed steps)",
            file=sys.stderr,
        )
    finally:
        bar.close()
    _check_weights(G, recipe, len(history))
    return TrainResult(
        recipe=recipe,
        seed=seed,
        generator=G,
        discriminator=D,
        history=history,
        data=data,
        snapshots=snapshots,
        seconds=time.perf_counter() - start,
    )


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
