"""Sliders that redraw the course's figures. Each has a static twin in :mod:`gan_utils.plots`
(an animation or a grid of figures), because a slider on the website has no kernel behind it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch
from ipywidgets import Dropdown, FloatLogSlider, IntSlider, interactive

from .plots import plot_training_frame
from .recipes import Recipe, get_recipe
from .train import TrainResult, train

LOGISTIC_AND_LS = ("minimax", "nonsaturating", "least-squares")


def toy_gan_explorer(recipe: Recipe | None = None, seed: int = 0) -> interactive:
    """Chapter 1's GAN-Lab-like panel: pick the loss, learning rate, D steps per G step and
    training length; the run is retrained (about a second) and its last frame drawn."""
    base = recipe or get_recipe("toy-2d-gan")
    z = torch.randn(256, base.latent_dim, generator=torch.Generator().manual_seed(123))

    def run(loss: str, lr: float, d_steps: int, steps: int) -> None:
        result = train(
            base.replace(loss=loss, lr=lr, critic_steps=d_steps, steps=steps),
            seed,
            snapshot_every=steps,
            progress=False,
        )
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
        plot_training_frame(axes, result, -1, z)
        plt.show()

    style = {"description_width": "initial"}
    return interactive(
        run,
        loss=Dropdown(options=LOGISTIC_AND_LS, value=base.loss, description="loss", style=style),
        lr=FloatLogSlider(
            value=base.lr,
            base=10,
            min=-4,
            max=-1.5,
            step=0.25,
            description="learning rate",
            continuous_update=False,
            style=style,
        ),
        d_steps=IntSlider(
            value=base.critic_steps,
            min=1,
            max=5,
            description="D steps per G step",
            continuous_update=False,
            style=style,
        ),
        steps=IntSlider(
            value=base.steps,
            min=50,
            max=1500,
            step=50,
            description="G steps",
            continuous_update=False,
            style=style,
        ),
    )


def snapshot_slider(result: TrainResult, z: torch.Tensor | None = None) -> interactive:
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

    return interactive(
        show,
        index=IntSlider(
            value=len(result.snapshots) - 1,
            min=0,
            max=len(result.snapshots) - 1,
            description="snapshot",
            continuous_update=False,
        ),
    )


# ----------------------------------------------------------------------------- chapter 5


def latent_walk_slider(frames, decode=None) -> interactive:
    """A slider along a precomputed latent walk (the live twin of
    :func:`gan_utils.plots.plot_latent_walk`)."""
    from .plots import show_facies

    images = decode(frames) if decode is not None else frames

    def show(step: int) -> None:
        fig, ax = plt.subplots(figsize=(3.2, 3.2))
        show_facies(images[step], ax, f"t = {step / (len(images) - 1):.2f}")
        plt.show()

    return interactive(
        show, step=IntSlider(value=0, min=0, max=len(images) - 1, description="step", continuous_update=False)
    )


def wells_slider(truth, ensembles: dict, wells: dict) -> interactive:
    """A slider over the number of wells: truth, one realisation and P(sand) for each
    precomputed ensemble (the live twin of :func:`gan_utils.plots.plot_wells_grid`)."""
    from .plots import plot_probability_map

    ks = sorted(ensembles)

    def show(k: int) -> None:
        plot_probability_map(truth, ensembles[k], wells[k])
        plt.show()

    return interactive(
        show, k=IntSlider(value=ks[-1], min=ks[0], max=ks[-1], description="wells", continuous_update=False)
    )
