"""A trained run on disk: ``run.json`` (recipe, seed, scaler), ``generator.pt``, ``history.csv``.

:func:`save_run` writes a :class:`~gan_utils.train.TrainResult` into a folder;
:func:`load_run` reads it back (with a clear error if the folder is missing or
damaged); :func:`sample_run` draws samples in physical units from it.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from . import __version__
from .data import Standardizer
from .models import ModelSpec, build
from .recipes import Recipe
from .train import TrainResult, generate

RUN_FILE = "run.json"
WEIGHTS_FILE = "generator.pt"
CRITIC_FILE = "discriminator.pt"
HISTORY_FILE = "history.csv"
FIGURE_FILE = "real_vs_generated.png"


def recipe_to_dict(recipe: Recipe) -> dict:
    return dataclasses.asdict(recipe)


def recipe_from_dict(d: dict) -> Recipe:
    d = dict(d)
    d["generator"] = ModelSpec(**{**d["generator"], "sizes": tuple(d["generator"]["sizes"])})
    d["discriminator"] = ModelSpec(**{**d["discriminator"], "sizes": tuple(d["discriminator"]["sizes"])})
    d["betas"] = tuple(d["betas"])
    return Recipe(**d)


@dataclass
class Run:
    """A run loaded from disk: enough to sample from it."""

    path: Path
    recipe: Recipe
    seed: int
    generator: nn.Module
    discriminator: nn.Module
    scaler: Standardizer
    columns: tuple[str, ...]


def save_run(result: TrainResult, out_dir: str | Path, figure: bool = True) -> Path:
    """Write ``result`` into ``out_dir`` (created if needed); returns the folder."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    meta = {
        "gan_utils_version": __version__,
        "recipe": recipe_to_dict(result.recipe),
        "seed": result.seed,
        "steps_done": len(result.history),
        "interrupted": result.history.interrupted,
        "dataset": result.data.name,
        "columns": list(result.data.columns),
        "scaler": {
            "mean": np.asarray(result.data.scaler.mean).tolist(),
            "std": np.asarray(result.data.scaler.std).tolist(),
        },
    }
    (out / RUN_FILE).write_text(json.dumps(meta, indent=2) + "\n")
    torch.save(result.generator.state_dict(), out / WEIGHTS_FILE)
    torch.save(result.discriminator.state_dict(), out / CRITIC_FILE)
    result.history.to_csv(out / HISTORY_FILE)
    if figure:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt

        from .plots import plot_real_vs_generated

        fig = plot_real_vs_generated(result.data, result.sample(len(result.data.physical), seed=1))
        fig.savefig(out / FIGURE_FILE, dpi=110, bbox_inches="tight")
        plt.close(fig)
    return out


def load_run(run_dir: str | Path) -> Run:
    """Read a folder written by :func:`save_run`; ``ValueError`` says what is wrong with it."""
    path = Path(run_dir)
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
        recipe = recipe_from_dict(meta["recipe"])
        scaler = Standardizer(np.asarray(meta["scaler"]["mean"]), np.asarray(meta["scaler"]["std"]))
        generator = build(recipe.generator)
        state = torch.load(path / WEIGHTS_FILE, map_location="cpu", weights_only=True)
        generator.load_state_dict(state)
        discriminator = build(recipe.discriminator)
        if (path / CRITIC_FILE).is_file():
            critic_state = torch.load(path / CRITIC_FILE, map_location="cpu", weights_only=True)
            discriminator.load_state_dict(critic_state)
        elif recipe.reject:
            raise FileNotFoundError(f"{CRITIC_FILE} is missing (the recipe samples with rejection)")
    except Exception as exc:  # any damage to the files: one clear message
        raise ValueError(f"run directory {str(path)!r} is corrupt ({type(exc).__name__}: {exc})") from exc
    return Run(
        path, recipe, int(meta["seed"]), generator, discriminator, scaler, tuple(meta.get("columns", ()))
    )


def sample_run(run: Run, n: int, seed: int = 0) -> np.ndarray:
    """``n`` samples from a loaded run, in physical units (float32, shape ``(n, dim)``)."""
    x = generate(run.generator, n, run.recipe.latent_dim, seed, run.discriminator, run.recipe.reject)
    return run.scaler.to_physical(x)
