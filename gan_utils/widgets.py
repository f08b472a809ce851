"""Sliders that redraw the course's figures. Each has a static twin in :mod:`gan_utils.plots`
(an animation or a grid of figures), because a slider on the website has no kernel behind it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch
from ipywidgets import Dropdown, FloatLogSlider, IntSlider, SelectionSlider, interactive

from .plots import plot_training_frame
from .recipes import Recipe, get_recipe
from .train import Run, train


class Panel(interactive):
    """ipywidgets' ``interactive`` whose plain-text form says what to do: a stored notebook
    opened before its cells run shows this line instead of the widget's inner repr."""

    def __repr__(self) -> str:
        return "(sliders: run this cell to use them)"


def interact(function, **controls) -> Panel:
    """ipywidgets' ``interact`` as a :class:`Panel`: end a cell with it to show the controls."""
    return Panel(function, **controls)


#: every control redraws when released, not while dragged (a redraw may retrain a GAN)
CONTROL = {"continuous_update": False, "style": {"description_width": "initial"}}


def int_slider(description: str, value: int, low: int, high: int, step: int = 1) -> IntSlider:
    """An integer slider from ``low`` to ``high`` that redraws on release."""
    return IntSlider(value=value, min=low, max=high, step=step, description=description, **CONTROL)


LOGISTIC_AND_LS = ("minimax", "nonsaturating", "least-squares")
#: the explorer's learning rates: chapter 1's grid (3e-4, 2e-3, 1e-2) and two between
EXPLORER_RATES = (3e-4, 1e-3, 2e-3, 5e-3, 1e-2)


def toy_gan_explorer(recipe: Recipe | None = None, seed: int = 0, trained: Run | None = None) -> Panel:
    """Chapter 1's GAN-Lab-like panel: pick the loss, learning rate, D steps per G step and
    training length; the run is retrained (about a second) and its last frame drawn.
    ``trained``: a run with snapshots already trained from ``seed``; it is drawn, not
    retrained, whenever the controls ask for its recipe (at first, for instance)."""
    base = recipe or get_recipe("toy-2d-gan")
    z = torch.randn(256, base.latent_dim, generator=torch.Generator().manual_seed(123))

    def run(loss: str, lr: float, d_steps: int, steps: int) -> None:
        chosen = base.replace(loss=loss, lr=lr, critic_steps=d_steps, steps=steps)
        reuse = trained is not None and trained.snapshots and (trained.recipe, trained.seed) == (chosen, seed)
        result = trained if reuse else train(chosen, seed, snapshot_every=steps, progress=False)
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
        plot_training_frame(axes, result, -1, z)
        plt.show()

    return Panel(
        run,
        loss=Dropdown(options=LOGISTIC_AND_LS, value=base.loss, description="loss", style=CONTROL["style"]),
        lr=SelectionSlider(
            options=[(f"{v:g}", v) for v in sorted({*EXPLORER_RATES, base.lr})],
            value=base.lr,
            description="learning rate",
            **CONTROL,
        ),
        d_steps=int_slider("D steps per G step", base.critic_steps, 1, 5),
        steps=int_slider("G steps", base.steps, 50, 1500, step=50),
    )


def snapshot_slider(result: Run, z: torch.Tensor | None = None) -> Panel:
    """A slider over the snapshots of a 2-D run (the live twin of the training animation)."""
    z = (
        z
        if z is not None
        else torch.randn(256, result.recipe.latent_dim, generator=torch.Generator().manual_seed(123))
    )

    def show(index: int) -> None:
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
        plot_training_frame(axes, result, index, z)
        plt.show()

    last = len(result.snapshots) - 1
    return Panel(show, index=int_slider("snapshot", last, 0, last))


# ----------------------------------------------------------------------------- chapter 3


def wgan_explorer(recipe: Recipe, z: torch.Tensor, seed: int = 0) -> Panel:
    """Chapter 3's sliders: retrain a WGAN recipe with another clip value, number of critic
    steps or learning rate (a few seconds) and draw its critic map
    (:func:`gan_utils.plots.plot_crossplot_run`)."""
    from .losses import get_loss
    from .plots import plot_crossplot_run

    def run(clip: float, critic_steps: int, lr: float) -> None:
        result = train(recipe.replace(clip=clip, critic_steps=critic_steps, lr=lr), seed, progress=False)
        fig, ax = plt.subplots(figsize=(5.5, 4.2))
        plot_crossplot_run(ax, result, get_loss(recipe.loss), z)
        plt.show()

    log_slider = dict(base=10, step=0.25, **CONTROL)
    return Panel(
        run,
        clip=FloatLogSlider(value=recipe.clip, min=-2.5, max=-0.5, description="clip", **log_slider),
        critic_steps=int_slider("critic steps", recipe.critic_steps, 1, 10),
        lr=FloatLogSlider(value=recipe.lr, min=-4.5, max=-2.5, description="learning rate", **log_slider),
    )


# ----------------------------------------------------------------------------- chapter 5


def latent_walk_slider(frames, decode=None) -> Panel:
    """A slider along a precomputed latent walk (the live twin of
    :func:`gan_utils.plots.plot_latent_walk`)."""
    from .plots import show_facies

    images = decode(frames) if decode is not None else frames

    def show(step: int) -> None:
        fig, ax = plt.subplots(figsize=(3.2, 3.2))
        show_facies(images[step], ax, f"t = {step / (len(images) - 1):.2f}")
        plt.show()

    return Panel(show, step=int_slider("step", 0, 0, len(images) - 1))


def wells_slider(truth, ensembles: dict, wells: dict) -> Panel:
    """A slider over the number of wells: truth, one realisation and P(sand) for each
    precomputed ensemble (the live twin of :func:`gan_utils.plots.plot_wells_grid`)."""
    from .plots import plot_probability_map

    ks = sorted(ensembles)

    def show(k: int) -> None:
        plot_probability_map(truth, ensembles[k], wells[k])
        plt.show()

    return Panel(show, k=int_slider("wells", ks[-1], ks[0], ks[-1]))
