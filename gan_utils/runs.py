"""A trained run on disk: ``run.json`` (recipe, seed, scaler), ``generator.pt``, ``history.csv``.

:func:`save_run` writes a :class:`~gan_utils.train.Run`, trained or loaded, into a folder;
:func:`load_run` reads it back (with a clear error if the folder is missing or
damaged); :func:`sample_run` draws samples in physical units from it.
"""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .atomic import staged_dir
from .checks import RunFailed, check_finite, check_memory
from .models import build, build_generator
from .recipes import Recipe
from .runschema import check_run_meta, recipe_from_dict  # noqa: F401 (recipe_from_dict: API)
from .train import History, Run
from .version import __version__

RUN_FILE = "run.json"
WEIGHTS_FILE = "generator.pt"
CRITIC_FILE = "discriminator.pt"
HISTORY_FILE = "history.csv"
FIGURE_FILE = "real_vs_generated.png"
#: every file a run folder holds
RUN_FILES = (RUN_FILE, WEIGHTS_FILE, CRITIC_FILE, HISTORY_FILE, FIGURE_FILE)


def not_a_run(path: str | Path) -> str | None:
    """Why the existing folder ``path`` is not a run that :func:`save_run` may replace (its
    ``run.json`` is not this package's, or it holds other files), or None: it is one."""
    path = Path(path)
    others = sorted(p.name for p in path.iterdir() if p.name not in RUN_FILES)
    if others:
        shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
        return f"it holds files a run does not write ({shown})"
    try:
        meta = json.loads((path / RUN_FILE).read_text())
    except (OSError, ValueError, RecursionError):
        return f"it has no readable {RUN_FILE}"
    if not isinstance(meta, dict) or "gan_utils_version" not in meta or "recipe" not in meta:
        return f"its {RUN_FILE} was not written by gan_utils"
    return None


def recipe_to_dict(recipe: Recipe) -> dict:
    """The recipe as JSON types; a GAN's ``objective`` (the default) is left out, so a GAN
    run's ``run.json`` reads as it did before recipes had objectives."""
    d = dataclasses.asdict(recipe)
    if d["objective"] == "gan":
        del d["objective"]
    return d


def _meta(run: Run) -> dict:
    """``run.json``: the recipe, seed and data set name (with the recipe's ``n_real``, all
    that re-makes the training data), the columns and the scaler, trained or loaded alike."""
    return {
        "gan_utils_version": __version__,
        "recipe": recipe_to_dict(run.recipe),
        "seed": run.seed,
        "steps_done": len(run.history),
        "interrupted": run.history.interrupted,
        "dataset": run.dataset,
        "columns": list(run.columns),
        "scaler": {  # flat: one number per value of a sample
            "mean": np.asarray(run.scaler.mean).ravel().tolist(),
            "std": np.asarray(run.scaler.std).ravel().tolist(),
        },
    }


def _save_figure(result: Run, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from .plots import plot_real_vs_generated

    data = result.training_data()
    real = data.physical
    # vectors: as many as the real set (up to 4,096: a flow or diffusion sampler evaluates
    # its network a hundred times per sample), for comparable scatter and density; images:
    # the figure shows a few, and drawing thousands of 64 x 64 maps would take seconds
    n = min(len(real), 4096) if real.ndim == 2 else min(len(real), 64)
    samples = check_finite(result.sample(n, seed=1), "the generated samples")
    fig = plot_real_vs_generated(data, samples)
    try:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    finally:
        plt.close(fig)


def _write_weights(module: nn.Module, path: Path) -> None:
    """Serialise in memory, then write with Python's file API: a full disk is an OSError
    (torch's own file writer reports it as a RuntimeError and keeps the file open)."""
    buffer = io.BytesIO()
    torch.save(module.state_dict(), buffer)
    path.write_bytes(buffer.getvalue())


def save_run(result: Run, out_dir: str | Path, figure: bool = True, overwrite: bool = False) -> Path:
    """Write ``result`` (just trained, or loaded with :func:`load_run`) into the folder
    ``out_dir``; returns the folder. A run without a discriminator is saved without one.

    Everything is written into a temporary folder beside ``out_dir`` and renamed into
    place at the end, so a failure (a full disk, NaN samples, Ctrl-C) leaves an earlier
    run in ``out_dir`` intact and nothing half-written. An existing ``out_dir`` is
    replaced only with ``overwrite=True`` (``FileExistsError`` otherwise)."""
    out = Path(out_dir)
    for name, net in (("generator", result.generator), ("discriminator", result.discriminator)):
        if net is not None and not all(torch.isfinite(p).all() for p in net.state_dict().values()):
            raise RunFailed(f"the run's {name} has NaN or infinite weights; not saved")
    with staged_dir(out, overwrite=overwrite) as tmp:
        (tmp / RUN_FILE).write_text(json.dumps(_meta(result), indent=2, allow_nan=False) + "\n")
        _write_weights(result.generator, tmp / WEIGHTS_FILE)
        if result.discriminator is not None:
            _write_weights(result.discriminator, tmp / CRITIC_FILE)
        result.history.to_csv(tmp / HISTORY_FILE)
        if figure:
            _save_figure(result, tmp / FIGURE_FILE)
    return out


def _load_weights(path: Path, module: nn.Module, device: torch.device) -> nn.Module:
    """``module`` with the weights in ``path``; ``ValueError`` if the file is not a
    finite state dict for it (never unpickled unsafely)."""
    try:
        state = torch.load(path, map_location=device, weights_only=True)
    except Exception:  # pickle, zip or torch errors: the file is not a weights file
        raise ValueError(
            f"{str(path)!r} is not the weights file of a run (it cannot be read as plain "
            "tensors); do not load it with weights_only=False unless you trust its source"
        ) from None
    try:
        module.load_state_dict(state)
    except Exception as exc:
        raise ValueError(f"{str(path)!r} does not fit the recipe's network: {exc}".splitlines()[0]) from None
    if not all(torch.isfinite(p).all() for p in module.parameters()):
        raise ValueError(f"{str(path)!r} holds NaN or infinite weights")
    return module.to(device)


def _history(path: Path) -> History:
    """The loss history in ``path`` (empty if there is none); ``ValueError`` naming the file."""
    if not path.is_file():
        return History()
    try:
        return History.from_csv(path)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"{str(path)!r} is not a loss history written by a run ({exc})") from None


def load_run(run_dir: str | Path, device: str | torch.device = "cpu", history: bool = True) -> Run:
    """Read a folder written by :func:`save_run` onto ``device``; ``ValueError`` says what is
    wrong with it, naming the file and the field. ``history=False`` leaves the loss history
    unread (sampling and conditioning do not need it)."""
    path = Path(run_dir)
    if path.exists() and not path.is_dir():
        raise ValueError(f"{str(path)!r} is a file, not a run directory (one written by 'train')")
    if not path.is_dir():
        raise ValueError(
            f"run directory {str(path)!r} does not exist; train one with "
            f"'python -m gan_utils train RECIPE --out {path}'"
        )
    for name in (RUN_FILE, WEIGHTS_FILE):
        if not (path / name).is_file():
            raise ValueError(f"{str(path)!r} is not a complete run: {name} is missing")
    try:
        meta = json.loads((path / RUN_FILE).read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"run directory {str(path)!r} is corrupt: {RUN_FILE} is not JSON ({exc})") from None
    except RecursionError:
        raise ValueError(f"run directory {str(path)!r} is corrupt: {RUN_FILE} is nested too deeply") from None
    try:
        recipe, scaler = check_run_meta(meta)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"run directory {str(path)!r} is corrupt: {RUN_FILE}: {exc}") from None
    device = torch.device(device)
    generator = build_generator(recipe.generator, recipe.ema_decay)
    generator = _load_weights(path / WEIGHTS_FILE, generator, device)
    discriminator = None
    if (path / CRITIC_FILE).is_file():
        discriminator = _load_weights(path / CRITIC_FILE, build(recipe.discriminator), device)
    elif recipe.reject:
        raise ValueError(
            f"{str(path)!r} is not a complete run: {CRITIC_FILE} is missing "
            "(the recipe filters its samples by the discriminator's score)"
        )
    history = _history(path / HISTORY_FILE) if history else History()
    history.interrupted = bool(meta.get("interrupted", False))
    return Run(
        recipe,
        int(meta["seed"]),
        generator,
        discriminator,
        history,
        data=None,
        scaler=scaler,
        columns=tuple(meta["columns"]),
        path=path,
    )


#: runs stored with the package (seed 0 of a recommended recipe; weights well under 2 MB),
#: which the chapters load where training would take longer than a notebook should
STORED_RUNS_DIR = Path(__file__).parent / "results"


def stored_run_command(name: str) -> str:
    """The command that re-makes the stored run of recipe ``name``."""
    return f"python -m gan_utils train {name} --seed 0 --out gan_utils/results/{name}"


def load_stored_run(name: str, device: str | torch.device = "cpu", data: bool = True) -> Run:
    """The stored run of recipe ``name`` (:data:`STORED_RUNS_DIR`), with its training data
    re-made from its seed (``data=False`` skips that): what ``train(get_recipe(name),
    seed=0)`` returns on the machine that stored it, without the training time.
    ``ValueError`` if there is none, or if the registered recipe has changed since."""
    from .recipes import get_recipe, same_training

    recipe = get_recipe(name)
    path = STORED_RUNS_DIR / name
    if not (path / RUN_FILE).is_file():
        command = stored_run_command(name)
        raise ValueError(f"no stored run of {name!r} in {str(path)!r}; make it with '{command}'")
    run = load_run(path, device)
    if not same_training(run.recipe, recipe):
        raise ValueError(
            f"the stored run of {name!r} was trained with another version of the recipe; "
            f"re-make it with '{stored_run_command(name)}'"
        )
    if data:
        run.data = run.training_data()
    return run


def sample_run(run: Run, n: int, seed: int = 0) -> np.ndarray:
    """``n`` samples from a run (loaded or just trained), in physical units (float32, shape
    ``(n, *shape)``), after checking there is memory for them: ``run.sample`` with checks."""
    check_memory(sample_bytes(run.recipe, n), f"{n} samples")
    return check_finite(run.sample(n, seed), "the samples")


def sample_bytes(recipe: Recipe, n: int) -> float:
    """Rough peak memory of drawing ``n`` samples: every layer's float32 activations (kept
    twice, input and output of each activation), plus the float64 physical copy."""
    drawn = n / (1 - recipe.reject)
    width = sum(recipe.generator.sizes) + (recipe.discriminator.in_dim if recipe.reject else 0)
    return drawn * width * 4 * 2 + n * recipe.generator.out_dim * 8
