"""Figures of the course: loss curves, log tracks, crossplots, the 2-D game, animations.

Every function draws on a given axes (or makes a figure), labels axes with
units, and returns the figure or axes so a notebook can add a caption and move on.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib import animation
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from torch import nn

from .data import Dataset
from .losses import Loss
from .models import device_of
from .train import History

REAL_COLOR = "black"
FAKE_COLOR = "tab:orange"
SAND_COLOR = "#f2d98c"  # clean sand (low gamma ray)
SHALE_COLOR = "#9bb08f"  # shale (high gamma ray)


def use_course_style() -> None:
    """One look for every figure of the course (readable on a web page)."""
    plt.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "figure.figsize": (7.5, 3.6),
            "axes.grid": True,
            "grid.alpha": 0.25,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 10,
            "legend.frameon": False,
            "animation.embed_limit": 40.0,  # MB
        }
    )


def _smooth(y: np.ndarray, window: int) -> np.ndarray:
    if window <= 1 or len(y) < window:
        return y
    kernel = np.ones(window) / window
    return np.convolve(y, kernel, mode="valid")


def plot_losses(history: History, ax: Axes | None = None, window: int = 25, title: str = "") -> Axes:
    """Discriminator and generator loss per generator step (faint: raw; bold: running mean)."""
    ax = ax or plt.subplots(figsize=(6, 3))[1]
    steps = history.array("step")
    for name, color, label in (
        ("d_loss", "tab:blue", "discriminator / critic"),
        ("g_loss", FAKE_COLOR, "generator"),
    ):
        y = history.array(name)
        ax.plot(steps, y, color=color, alpha=0.25, lw=0.8)
        if len(y) >= window:
            ax.plot(steps[window - 1 :], _smooth(y, window), color=color, lw=1.8, label=label)
        else:
            ax.plot(steps, y, color=color, lw=1.8, label=label)
    ax.set_xlabel("generator step")
    ax.set_ylabel("loss")
    ax.legend()
    if title:
        ax.set_title(title)
    return ax


# ----------------------------------------------------------------------------- well logs


def plot_log_track(
    ax: Axes, log: np.ndarray, facies: np.ndarray | None = None, color: str = REAL_COLOR
) -> Axes:
    """One log drawn as a well-log track: depth increases downward, gamma ray across."""
    depth = np.arange(len(log))
    if facies is not None:
        for k in range(len(log)):
            ax.axhspan(k - 0.5, k + 0.5, color=SHALE_COLOR if facies[k] else SAND_COLOR, lw=0, alpha=0.6)
    ax.plot(log, depth, color=color, lw=1.2)
    ax.set_xlim(0, 1)
    ax.set_ylim(len(log) - 0.5, -0.5)
    ax.grid(False)
    return ax


def plot_log_tracks(
    logs: np.ndarray,
    facies: np.ndarray | None = None,
    n: int = 6,
    color: str = REAL_COLOR,
    title: str = "",
    axes: np.ndarray | None = None,
    ylabel: bool = True,
) -> Figure:
    """The first ``n`` logs side by side as tracks (facies shaded when given)."""
    if axes is None:
        fig, axes = plt.subplots(1, n, figsize=(1.2 * n + 0.8, 4.2), sharey=True)
    axes = np.atleast_1d(axes)
    fig = axes[0].figure
    for i, ax in enumerate(axes):
        plot_log_track(ax, logs[i], None if facies is None else facies[i], color)
        ax.set_xlabel("GR (norm.)")
        ax.set_xticks([0, 0.5, 1], ["0", "", "1"])
    if ylabel:
        axes[0].set_ylabel("depth sample")
    if title:
        fig.suptitle(title)
    return fig


# ----------------------------------------------------------------------------- crossplot


def plot_crossplot(
    points: np.ndarray,
    ax: Axes | None = None,
    color: str = REAL_COLOR,
    title: str = "",
    label: str | None = None,
) -> Axes:
    """Porosity (fraction) against P-wave velocity (km/s)."""
    ax = ax or plt.subplots(figsize=(4, 3.6))[1]
    ax.scatter(points[:, 0], points[:, 1], s=7, alpha=0.45, color=color, label=label, lw=0)
    ax.set_xlabel("porosity φ (fraction)")
    ax.set_ylabel("P-wave velocity (km/s)")
    if title:
        ax.set_title(title)
    return ax


def plot_real_vs_generated(data: Dataset, generated: np.ndarray, n_logs: int = 4) -> Figure:
    """Real and generated samples side by side, in physical units, for any data set: the
    data set's own default figure (its registered ``plot``)."""
    return data.plot(generated, n_logs)


def plot_real_vs_generated_logs(data: Dataset, generated: np.ndarray, n_logs: int = 4) -> Figure:
    """Well logs: ``n_logs`` real tracks (facies shaded) beside ``n_logs`` generated ones."""
    fig, axes = plt.subplots(1, 2 * n_logs, figsize=(1.1 * 2 * n_logs + 1, 4), sharey=True)
    plot_log_tracks(data.physical, data.labels, n_logs, REAL_COLOR, axes=axes[:n_logs])
    plot_log_tracks(generated, None, n_logs, FAKE_COLOR, axes=axes[n_logs:], ylabel=False)
    axes[0].set_title("real", loc="left")
    axes[n_logs].set_title("generated", loc="left")
    return fig


def _real_vs_generated_pair(data: Dataset, generated: np.ndarray, draw) -> Figure:
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.6), sharex=True, sharey=True)
    draw(data.physical, axes[0], REAL_COLOR, "real")
    draw(generated, axes[1], FAKE_COLOR, "generated")
    return fig


def plot_real_vs_generated_crossplot(data: Dataset, generated: np.ndarray, n: int = 4) -> Figure:
    """Porosity-velocity crossplots of the real and the generated points."""
    return _real_vs_generated_pair(data, generated, plot_crossplot)


def plot_real_vs_generated_points(data: Dataset, generated: np.ndarray, n: int = 4) -> Figure:
    """Any 2-D points, real beside generated (the default for a data set with no figure)."""
    return _real_vs_generated_pair(data, generated, _plot_points)


def plot_real_vs_generated_images(data: Dataset, generated: np.ndarray, n: int = 4) -> Figure:
    """Samples of shape ``(height, width)``: ``n`` real images above ``n`` generated ones."""
    fig, axes = plt.subplots(2, n, figsize=(1.3 * n + 0.6, 2.9), squeeze=False)
    for row, (images, title) in enumerate(((data.physical, "real"), (generated, "generated"))):
        for i, ax in enumerate(axes[row]):
            ax.imshow(np.asarray(images[i]), cmap="viridis", interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
        axes[row, 0].set_ylabel(title)
    return fig


def _plot_points(points: np.ndarray, ax: Axes, color: str, title: str) -> Axes:
    ax.scatter(points[:, 0], points[:, 1], s=7, alpha=0.45, color=color, lw=0)
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.set_title(title)
    ax.set_aspect("equal")
    return ax


# ----------------------------------------------------------------------------- the 2-D game


def generator_pull(G: nn.Module, D: nn.Module, loss: Loss, z: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """Generated points G(z) and, for each, minus the gradient of the generator loss
    with respect to that point: the direction the discriminator pushes it. ``z`` may be on
    any device: it is moved to G's, and the results come back to the CPU."""
    x = G(z.to(device_of(G))).detach().to(device_of(D)).requires_grad_(True)
    # sum, not mean: each arrow is one sample's own gradient, independent of batch size
    (grad,) = torch.autograd.grad(loss.g_loss(D(x)) * len(x), x)
    return x.detach().cpu().numpy(), -grad.cpu().numpy()


def plot_game_2d(
    ax: Axes,
    G: nn.Module,
    D: nn.Module,
    loss: Loss,
    real: np.ndarray,
    z: torch.Tensor,
    lim: float = 3.5,
    n_grid: int = 80,
    arrow_scale: float = 1.0,
    colorbar: bool = False,
) -> Axes:
    """What GAN Lab shows, in one panel: D over the plane (colour), real points (black),
    generated points (orange) and the generator's gradient on each (arrows)."""
    g = np.linspace(-lim, lim, n_grid, dtype=np.float32)
    xx, yy = np.meshgrid(g, g)
    grid = torch.from_numpy(np.stack([xx.ravel(), yy.ravel()], axis=1)).to(device_of(D))
    with torch.no_grad():
        surface = loss.display(D(grid)).cpu().numpy().reshape(n_grid, n_grid)
    if loss.logistic or loss.name == "least-squares":
        vmin, vmax = 0.0, 1.0
    else:
        vmax = float(np.abs(surface).max()) or 1.0
        vmin = -vmax
    mesh = ax.pcolormesh(xx, yy, surface, cmap="RdBu", vmin=vmin, vmax=vmax, shading="auto", alpha=0.75)
    ax.scatter(real[:, 0], real[:, 1], s=5, color=REAL_COLOR, alpha=0.5, lw=0, label="real")
    x, pull = generator_pull(G, D, loss, z)
    ax.scatter(x[:, 0], x[:, 1], s=9, color=FAKE_COLOR, lw=0, label="generated")
    ax.quiver(
        x[:, 0],
        x[:, 1],
        pull[:, 0],
        pull[:, 1],
        angles="xy",
        scale_units="xy",
        scale=1.0 / arrow_scale,
        width=0.004,
        color="0.15",
        alpha=0.8,
    )
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.grid(False)
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    if colorbar:
        label = (
            "D(x) = P(real)"
            if loss.logistic
            else ("D(x), score" if loss.name == "least-squares" else "critic score")
        )
        ax.figure.colorbar(mesh, ax=ax, label=label, shrink=0.85)
    return ax


def animate(fig: Figure, draw: Callable[[int], None], n_frames: int, interval: int = 150) -> str:
    """Render ``draw(frame)`` for each frame into a self-contained HTML player
    (matplotlib's ``to_jshtml``) and close the figure. At most 100 frames."""
    if not 1 <= n_frames <= 100:
        raise ValueError(f"n_frames must be between 1 and 100, got {n_frames}")
    anim = animation.FuncAnimation(fig, draw, frames=n_frames, interval=interval, blit=False)
    html = anim.to_jshtml(default_mode="once")
    plt.close(fig)
    return _with_still(html)


_FIRST_FRAME = re.compile(r'frames\[0\] = "(data:image/[a-z]+;base64,[A-Za-z0-9+/=\s\\]+)"')
_PLAYER_IMAGE = re.compile(r'<img id="(_anim_img[0-9a-f]+)"')


def _with_still(html: str) -> str:
    """The player's image shows the first frame before its JavaScript runs: where scripts do
    not run (a stored notebook opened in JupyterLab before it is run) the reader sees a still
    picture instead of a broken image."""
    frame = _FIRST_FRAME.search(html)
    if frame is None:
        return html
    src = frame.group(1).replace("\\\n", "").replace("\n", "")
    return _PLAYER_IMAGE.sub(lambda m: f'<img id="{m.group(1)}" src="{src}"', html, count=1)


def plot_training_frame(axes: np.ndarray, result, index: int, z: torch.Tensor, lim: float = 3.5) -> None:
    """Snapshot ``index`` of a 2-D run: the game (left) and D's outputs so far (right)."""
    from .losses import get_loss

    snap = result.snapshots[index]
    loss = get_loss(result.recipe.loss)
    for ax in axes:
        ax.clear()
    plot_game_2d(
        axes[0],
        result.generator_at(index),
        result.discriminator_at(index),
        loss,
        result.data.physical,
        z,
        lim=lim,
    )
    axes[0].set_title(f"generator step {snap['step']}")
    h = result.history
    upto = max(1, snap["step"])
    axes[1].plot(h.step[:upto], h.d_real[:upto], color=REAL_COLOR, lw=1, label="D(x), real")
    axes[1].plot(h.step[:upto], h.d_fake[:upto], color=FAKE_COLOR, lw=1, label="D(G(z)), generated")
    axes[1].set_xlim(0, result.recipe.steps)
    axes[1].set_ylim(0, 1)
    axes[1].set_xlabel("generator step")
    axes[1].set_ylabel("mean D output")
    axes[1].legend(loc="lower left")


def plot_critic_map(
    ax: Axes,
    G: nn.Module,
    D: nn.Module,
    loss: Loss,
    data: Dataset,
    z: torch.Tensor,
    xlim: tuple[float, float] = (0.0, 0.42),
    ylim: tuple[float, float] = (2.4, 5.2),
    n_grid: int = 90,
    arrows: bool = True,
    arrow_length: float = 0.07,
    contours: bool = True,
) -> Axes:
    """The critic's (or discriminator's) view of a crossplot, in physical units: its score
    over the plane (colour: blue high, "real"; red low; thin lines: contours of the score),
    real points (black), generated points (orange) and, on each generated point, the
    direction the generator's loss pushes it (arrows: minus the gradient of that loss, i.e.
    uphill on the score; scaled so the longest is ``arrow_length`` of the plot's width).

    An arrow is a *local* direction: where the score has a ridge (a critic need not be
    monotone), arrows on either side point toward it, and a long arrow can reach past it.
    The colours span the score's full range over the plot (no clipping), so a ridge inside
    the blue band stays visible as a contour (``contours=False`` leaves them out, e.g. in
    animations, where they cost time and bytes)."""
    gx, gy = np.meshgrid(np.linspace(*xlim, n_grid), np.linspace(*ylim, n_grid))
    grid_phys = np.stack([gx.ravel(), gy.ravel()], axis=1)
    grid = torch.from_numpy(data.scaler.to_standard(grid_phys)).to(device_of(D))
    with torch.no_grad():
        score = loss.display(D(grid)).cpu().numpy()
    score = score.reshape(n_grid, n_grid)
    if loss.logistic:
        vmin, vmax = 0.0, 1.0
    else:
        vmin, vmax = float(score.min()), float(score.max())
        if vmax <= vmin:
            vmax = vmin + 1e-12
    ax.pcolormesh(gx, gy, score, cmap="RdBu", vmin=vmin, vmax=vmax, shading="auto", alpha=0.7)
    if contours and score.max() > score.min():
        ax.contour(
            gx, gy, score, levels=np.linspace(vmin, vmax, 12)[1:-1], colors="0.3", linewidths=0.4, alpha=0.6
        )
    real = data.physical[:1024]
    ax.scatter(real[:, 0], real[:, 1], s=4, color=REAL_COLOR, alpha=0.45, lw=0)
    x_std, pull_std = generator_pull(G, D, loss, z)
    x = data.to_physical(x_std)
    ax.scatter(x[:, 0], x[:, 1], s=7, color=FAKE_COLOR, lw=0)
    if arrows:
        pull = pull_std * np.asarray(data.scaler.std, dtype=np.float32)
        # compare directions on the plot: scale each axis by its span, then normalise
        span = np.array([xlim[1] - xlim[0], ylim[1] - ylim[0]])
        rel = pull / span
        longest = np.abs(rel).max() if np.abs(rel).max() > 0 else 1.0
        rel = rel / longest * arrow_length
        ax.quiver(
            x[:, 0],
            x[:, 1],
            rel[:, 0] * span[0],
            rel[:, 1] * span[1],
            angles="xy",
            scale_units="xy",
            scale=1.0,
            width=0.004,
            color="0.15",
            alpha=0.7,
        )
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.grid(False)
    ax.set_xlabel("porosity φ (fraction)")
    ax.set_ylabel("P-wave velocity (km/s)")
    return ax


def table(rows: list[dict], formats: dict[str, str] | None = None):
    """A list of dicts as a Markdown table (rendered by Jupyter and by the book, and
    wrapped to the page's width), formatting the columns named in ``formats``."""
    from IPython.display import Markdown

    if not rows:
        raise ValueError("table needs at least one row")
    formats = formats or {}
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = [format(row[c], formats.get(c, "")) for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return Markdown("\n".join(lines))


def transposed_table(rows: list[dict], key: str, formats: dict[str, str] | None = None):
    """Like :func:`table`, with one column per row (named by ``row[key]``) and one row per
    field: a many-field summary of a few recipes stays narrow enough for the page."""
    fields = [f for f in rows[0] if f != key]
    formats = formats or {}
    out = []
    for f in fields:
        line = {"": f}
        for r in rows:
            line[str(r[key])] = format(r[f], formats.get(f, ""))
        out.append(line)
    return table(out)


# ----------------------------------------------------------------------------- conditioning


def plot_fan(
    ax: Axes,
    ensemble: np.ndarray,
    depths,
    values,
    sigma: float,
    truth: np.ndarray | None = None,
    n_show: int = 3,
    color: str = FAKE_COLOR,
    title: str = "",
) -> Axes:
    """A conditional ensemble as a fan along depth (downwards): the P10–P90 band, the P50,
    ``n_show`` single realisations, the observations with ±2 sigma bars, and the hidden
    truth (dashed) when given."""
    ensemble = np.asarray(ensemble)
    y = np.arange(ensemble.shape[1])
    lo, mid, hi = np.percentile(ensemble, [10, 50, 90], axis=0)
    ax.fill_betweenx(y, lo, hi, color=color, alpha=0.25, lw=0, label="P10–P90")
    for i in range(min(n_show, len(ensemble))):
        ax.plot(ensemble[i], y, color=color, lw=0.6, alpha=0.8, label="realisations" if i == 0 else None)
    ax.plot(mid, y, color=color, lw=1.6, label="P50")
    if truth is not None:
        ax.plot(truth, y, color=REAL_COLOR, lw=1.0, ls="--", label="hidden truth")
    ax.errorbar(
        values, depths, xerr=2 * sigma, fmt="o", color="tab:blue", ms=4, capsize=2, label="observations ±2σ"
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(len(y) - 1, 0)
    ax.set_xlabel("gamma ray (normalised)")
    ax.set_ylabel("depth sample")
    if title:
        ax.set_title(title)
    return ax


def fan_legend(fig: Figure, ax: Axes) -> None:
    """One legend for a figure of fans, below the panels (it would hide a log inside one)."""
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(labels), fontsize=8)


def plot_variogram(ax: Axes, lags: np.ndarray, gamma: np.ndarray, model=None) -> Axes:
    """An empirical semivariogram (points) and a fitted model (line)."""
    ax.plot(lags, gamma, "o", color=REAL_COLOR, ms=3, label="training logs")
    if model is not None:
        h = np.linspace(0, lags.max(), 200)
        ax.plot(h, model(h), color="tab:blue", label="exponential model")
    ax.set_xlabel("lag h (depth samples)")
    ax.set_ylabel("semivariance γ(h) (normalised GR)²")
    ax.set_xlim(0, None)
    ax.set_ylim(0, None)
    ax.legend(loc="lower right")
    return ax


# ----------------------------------------------- chapter 1: the optimal discriminator, G's gradients


def plot_optimal_discriminator(
    x: np.ndarray,
    p_data: np.ndarray,
    p_g: np.ndarray,
    d_star: np.ndarray,
    d_trained: np.ndarray,
    xlim: tuple[float, float] = (-4, 4),
) -> Figure:
    """Two densities on the grid ``x`` (left) and the optimal discriminator ``d_star``
    beside a trained one (right)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.4))
    ax1.plot(x, p_data, color=REAL_COLOR, label=r"$p_\mathrm{data}$")
    ax1.plot(x, p_g, color=FAKE_COLOR, label=r"$p_g$")
    ax1.set(xlim=xlim, xlabel="x (standardised property)", ylabel="density", title="the two densities")
    ax1.legend()
    ax2.plot(x, d_star, color="tab:blue", lw=3, alpha=0.5, label=r"$D^*$ (formula)")
    ax2.plot(x, d_trained, color="tab:blue", ls="--", label="trained D")
    ax2.axhline(0.5, color="0.5", lw=0.8)
    ax2.set(xlim=xlim, ylim=(0, 1), xlabel="x (standardised property)", ylabel="D(x) = P(real)")
    ax2.set_title("optimal vs trained discriminator")
    ax2.legend()
    return fig


#: chapter 1's colour and line style for each generator loss
LOSS_STYLES = {
    "minimax": ("tab:red", "-"),
    "nonsaturating": ("tab:green", "-"),
    "least-squares": ("tab:purple", "--"),
}


def plot_generator_gradients(
    d_values: np.ndarray,
    by_verdict: dict[str, np.ndarray],
    scores: np.ndarray,
    by_score: dict[str, np.ndarray],
) -> Figure:
    """Left: |dL_G/ds| of the logistic generator losses against the verdict D = sigmoid(s).
    Right: the push -dL_G/ds of every loss against the raw score s (positive: toward
    scores the discriminator gives real data)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10.5, 3.6))
    for name, grad in by_verdict.items():
        color, style = LOSS_STYLES[name]
        ax1.plot(d_values, np.abs(grad), color=color, ls=style, lw=2, label=name)
    ax1.axvspan(0, 0.1, color="0.9", zorder=0)
    ax1.text(0.012, 0.45, "early training:\nD rejects fakes", fontsize=9)
    ax1.set(xlabel="D(G(z)) = sigmoid(s)", ylabel="|dL_G / ds|", title="logistic losses, by verdict")
    ax1.legend()
    for name, grad in by_score.items():
        color, style = LOSS_STYLES[name]
        ax2.plot(scores, -grad, color=color, ls=style, lw=2, label=name)
    ax2.axhline(0, color="0.5", lw=0.8)
    # a different band from the left panel's: scores in [0, 1] are verdicts D in [0.5, 0.73]
    ax2.axvspan(0, 1, facecolor="none", edgecolor="0.6", hatch="//", lw=0, zorder=0)
    band_label = {"facecolor": "white", "edgecolor": "none", "pad": 1}
    where = ax2.get_xaxis_transform()
    ax2.text(0.5, 0.03, "s ∈ [0, 1]", transform=where, ha="center", fontsize=9, bbox=band_label)
    ax2.set(
        xlabel="raw score s of a generated sample", ylabel="push -dL_G / ds", title="every loss, by raw score"
    )
    ax2.legend(loc="upper right")
    fig.tight_layout()
    return fig


def plot_runs_2d(axes, runs: dict, z: torch.Tensor, titles: dict | None = None) -> None:
    """The final state of each 2-D run (``{label: Run}``) in its own panel, each
    drawn with its own recipe's loss; ``titles`` overrides the labels as panel titles.
    Lays the figure out with one shared colour bar (every run must use a logistic or the
    least-squares loss, all drawn on [0, 1]) and one legend for dots and arrows."""
    from matplotlib.lines import Line2D

    from .losses import get_loss

    axes = np.ravel(axes)
    for ax, (label, run) in zip(axes, runs.items(), strict=True):
        loss = get_loss(run.recipe.loss)
        if not (loss.logistic or loss.name == "least-squares"):
            raise ValueError(f"plot_runs_2d shares one colour bar on [0, 1]; loss {loss.name!r} has none")
        plot_game_2d(ax, run.generator, run.discriminator, loss, run.data.physical, z)
        ax.set_title((titles or {}).get(label, label), fontsize=10)
    fig = axes[0].figure
    handles = [
        Line2D([], [], ls="", marker="o", color=REAL_COLOR, alpha=0.5, label="real"),
        Line2D([], [], ls="", marker="o", color=FAKE_COLOR, label="generated"),
        Line2D([], [], ls="", marker=r"$\rightarrow$", ms=14, color="0.15", label="pull on a generated one"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False)
    fig.tight_layout(rect=(0, 0.06, 0.9, 1))
    cax = fig.add_axes((0.91, 0.2, 0.015, 0.65))
    fig.colorbar(axes[0].collections[0], cax=cax, label="D(x) (least squares: score); blue: real")


# ----------------------------------------------------------------------------- chapter 4: GAN priors

#: one colour per conditioning method, in every figure of chapter 4
METHOD_COLORS = {"gan-pcn": FAKE_COLOR, "gan-map": "tab:red", "kriging": "tab:purple", "markov": "tab:brown"}


def plot_offset_realisations(ax: Axes, logs: np.ndarray, depths, values, n: int = 6) -> Axes:
    """``n`` single realisations side by side, each shifted by one unit, with the readings."""
    y = np.arange(logs.shape[1])
    for i in range(n):
        ax.plot(logs[i] + i, y, lw=0.9)
        ax.plot(np.asarray(values) + i, depths, "o", color="tab:blue", ms=3)
    ax.set_xticks(np.arange(n) + 0.5, [f"#{i + 1}" for i in range(n)])
    ax.set_xlabel("normalised GR, each realisation offset by 1")
    ax.set_title(f"{n} realisations and the readings")
    return ax


def plot_traces(trace: np.ndarray, names: list[str], chains: int = 4) -> Figure:
    """Trace plots of the first ``chains`` pCN chains: one panel per recorded quantity
    (``trace`` as :attr:`gan_utils.condition.Conditioned.trace`), the tuning half shaded."""
    steps = len(trace)
    fig, axes = plt.subplots(len(names), 1, figsize=(8, 1.8 * len(names)), sharex=True)
    for ax, j, name in zip(np.atleast_1d(axes), range(len(names)), names, strict=True):
        ax.axvspan(0, steps // 2, color="0.92", lw=0)
        for c in range(chains):
            ax.plot(trace[:, c, j], lw=0.7, label=f"chain {c + 1}")
        ax.set_ylabel(name)
    axes = np.atleast_1d(axes)
    axes[0].set_yscale("log")
    shown = trace[:, :chains, 0]
    axes[0].set_ylim(shown.min() / 2, shown.max() * 30)  # room above for the labels
    axes[0].set_title("shaded: step tuning (discarded)", loc="left", fontsize=8)
    axes[-1].set_xlabel("pCN step")
    axes[0].legend(fontsize=7, ncol=chains, loc="upper right")
    return fig


def plot_readings_grid(ensembles: dict, truth: np.ndarray, sigma: float) -> Figure:
    """Per number of readings ``k`` (columns), the GAN's and kriging's fans (rows):
    ``ensembles[k] = (depths, gan_logs, kriging_logs)``."""
    ks = sorted(ensembles)
    fig, axes = plt.subplots(2, len(ks), figsize=(9.5, 7.5), sharex=True, sharey=True)
    for j, k in enumerate(ks):
        d_k, gan_k, krig_k = ensembles[k]
        obs = dict(depths=d_k, values=truth[d_k], sigma=sigma, truth=truth)
        for i, method in enumerate(("gan-pcn", "kriging")):
            ens = (gan_k, krig_k)[i]
            plot_fan(axes[i, j], ens, **obs, color=METHOD_COLORS[method], n_show=1)
            axes[i, j].set_title(f"{k} readings" if i == 0 else "")
            if j:
                axes[i, j].set_ylabel("")
            if i == 0 or j != 1:
                axes[i, j].set_xlabel("")
    axes[0, 0].set_ylabel("GAN + pCN\ndepth sample")
    axes[1, 0].set_ylabel("kriging\ndepth sample")
    fan_legend(fig, axes[0, 0])
    return fig


def plot_condition_benchmark(summary: list[dict], ideal: float) -> Figure:
    """Chapter 4's benchmark lines (coverage, band width, misfit) against the number of
    readings, one line per method."""
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
    columns = ("coverage (mean)", "band width (mean)", "misfit/sigma (median)")
    labels = ("P10–P90 coverage (±1 s.e.)", "band width (normalised GR)", "misfit/sigma (median)")
    methods = list(dict.fromkeys(s["method"] for s in summary))
    for i, method in enumerate(methods):
        lines = [s for s in summary if s["method"] == method]
        ks = [s["observations"] for s in lines]
        dodge = 0.15 * (i - (len(methods) - 1) / 2)  # side by side, so the error bars don't overlap
        for ax, column in zip(axes, columns, strict=True):
            se = [s["coverage (s.e.)"] for s in lines] if column == "coverage (mean)" else None
            ax.errorbar(
                [k + dodge for k in ks], [s[column] for s in lines], yerr=se, fmt="o-", capsize=3,
                color=METHOD_COLORS.get(method), label=method
            )  # fmt: skip
    for ax, label in zip(axes, labels, strict=True):
        ax.set_xlabel("number of readings")
        ax.set_ylabel(label)
        ax.set_xticks(ks)
    axes[0].axhline(ideal, color="grey", ls=":", label="calibrated, 50 members")
    axes[2].axhline(1.0, color="grey", ls=":", label="misfit = σ")
    axes[0].set_ylim(0.45, 0.9)  # zoomed: the differences are a few hundredths
    axes[0].legend(fontsize=8, loc="lower right")  # below the lines and their error bars
    axes[2].legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_crossplot_conditioning(axes, training: np.ndarray, runs: list[dict], sigma: float) -> None:
    """Chapter 4's crossplot posterior: on ``axes[0]`` the training rocks and each run's
    conditional samples (``runs``: dicts with ``vp``, ``colour``, ``samples`` (n, 2)),
    with the ±2σ band of the reading; on ``axes[1]`` the GAN's porosity histogram against
    the exact posterior (``rocks`` and their likelihood ``weight``)."""
    plot_crossplot(training, axes[0], color="lightgrey", label="training rocks")
    bins = np.linspace(0.0, 0.4, 81)
    for run in runs:
        vp, colour, samples = run["vp"], run["colour"], run["samples"]
        label = f"conditioned on Vp = {vp} km/s"
        axes[0].scatter(*samples[:300].T, s=6, color=colour, label=label)
        axes[0].axhspan(vp - 2 * sigma, vp + 2 * sigma, color=colour, alpha=0.15)
        hist = dict(bins=bins, density=True)
        axes[1].hist(samples[:, 0], color=colour, alpha=0.5, label=f"GAN, Vp = {vp} km/s", **hist)
        exact = dict(weights=run["weight"], histtype="step", color="black", lw=1.2)
        axes[1].hist(run["rocks"][:, 0], **exact, **hist)
    axes[1].plot([], [], color="black", label="exact posterior")
    axes[1].set_xlabel("porosity φ (fraction)")
    axes[1].set_ylabel("posterior density")
    axes[0].legend(fontsize=7, loc="upper right")
    axes[1].legend(fontsize=7)


# ----------------------------------------------- chapters 2 and 3: log statistics, crossplot runs


def plot_log_statistics(sets: dict[str, tuple[np.ndarray, str]], max_lag: int = 40) -> Figure:
    """Chapter 2's three views of sets of logs, ``{name: (logs, colour)}``: the value
    histogram, the autocorrelation by lag and the bed thickness after thresholding at 0.5."""
    from . import metrics as M

    fig, axes = plt.subplots(1, 3, figsize=(13, 3.4))
    lags = np.arange(1, max_lag + 1)
    for name, (x, color) in sets.items():
        axes[0].hist(
            x.ravel(), bins=np.linspace(0, 1, 51), histtype="step", density=True, color=color, label=name
        )
        axes[1].plot(lags, [M.lag_autocorrelation(x, k) for k in lags], color=color, label=name)
        beds = M.bed_thicknesses(x)
        axes[2].hist(
            beds,
            bins=np.arange(1, 80, 2),
            histtype="step",
            density=True,
            color=color,
            label=f"{name} ({len(beds)} beds)",
        )
    axes[0].set(xlabel="normalised gamma ray", ylabel="density", title="value histogram")
    axes[1].set(xlabel="lag (samples)", ylabel="autocorrelation", title="autocorrelation by lag")
    # a log density axis: the LSGAN's and the noise's 1-3-sample "beds" would otherwise
    # squash the real distribution (nothing below 8 samples) to a line
    axes[2].set_yscale("log")
    axes[2].axvline(8, color="0.5", lw=0.8, ls=":")
    axes[2].set(
        xlabel="bed thickness after thresholding (samples)",
        ylabel="density (log scale)",
        title="bed thickness (dotted: 8 samples)",
    )
    for ax in axes:
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_crossplot_training_set(data: Dataset) -> Figure:
    """Chapter 3's training set: the two populations in physical units (left, coloured by
    label) and the same points standardised, as the networks see them (right)."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    for k, (name, color) in enumerate((("porous", "tab:blue"), ("tight", "tab:red"))):
        pts = data.physical[data.labels == k]
        axes[0].scatter(pts[:, 0], pts[:, 1], s=8, color=color, alpha=0.6, lw=0, label=name)
    axes[0].set(xlabel="porosity φ (fraction)", ylabel="P-wave velocity (km/s)", title="physical units")
    axes[0].legend()
    axes[1].scatter(data.train[:, 0], data.train[:, 1], s=8, color="black", alpha=0.5, lw=0)
    axes[1].set(xlabel="standardised porosity", ylabel="standardised Vp", title="what the networks see")
    fig.tight_layout()
    return fig


def plot_critic_maps(
    result, loss: Loss, z: torch.Tensor, frames: list[int], figsize=(13, 3.9), arrow_length: float = 0.07
) -> Figure:
    """:func:`plot_critic_map` at several snapshots of one run, side by side, titled by step,
    each with a colour bar of its score (:func:`score_colorbar`)."""
    fig, axes = plt.subplots(1, len(frames), figsize=figsize, sharey=True)
    for ax, i in zip(np.atleast_1d(axes), frames, strict=True):
        plot_critic_map(
            ax,
            result.generator_at(i),
            result.discriminator_at(i),
            loss,
            result.data,
            z,
            arrow_length=arrow_length,
        )
        score_colorbar(ax, loss)
        ax.set_title(f"generator step {result.snapshots[i]['step']}")
        if ax is not np.atleast_1d(axes)[0]:
            ax.set_ylabel("")
    fig.tight_layout()
    return fig


def score_colorbar(ax: Axes, loss: Loss):
    """A colour bar for the score map :func:`plot_critic_map` drew on ``ax`` (its first
    mesh), labelled as a probability for logistic losses and as a critic score otherwise."""
    label = "D(x), probability of real" if loss.logistic else "critic score"
    bar = ax.figure.colorbar(ax.collections[0], ax=ax, fraction=0.05, pad=0.02)
    bar.set_label(label, fontsize=8)
    bar.ax.tick_params(labelsize=7)
    return bar


def plot_crossplot_run(
    ax: Axes, result, loss: Loss, z: torch.Tensor, label: str = "", fontsize: float = 10
) -> dict:
    """One trained crossplot run: its critic map (:func:`plot_critic_map`), titled with
    ``label``, the off-manifold rate and porous mass of 4096 samples; returns that
    evaluation (:func:`gan_utils.evaluation.crossplot_evaluation`)."""
    from .evaluation import crossplot_evaluation

    ev = crossplot_evaluation(result.sample(4096, seed=1))
    plot_critic_map(ax, result.generator, result.discriminator, loss, result.data, z)
    prefix = f"{label}: " if label else ""
    ax.set_title(
        f"{prefix}off-manifold {ev['off-manifold rate']:.2f}, porous mass {ev['porous mass']:.2f}",
        fontsize=fontsize,
    )
    return ev


# ----------------------------------------------------------------------------- chapter 5: facies images

MUD_COLOR = "#6b5b45"  # mud (dark)
LEVEE_COLOR = "#b8a27a"  # levee / splay (between)


def facies_cmap(n_facies: int = 2):
    """Mud, sand (and levee) as a discrete colour map for codes 0, 1 (2)."""
    from matplotlib.colors import ListedColormap

    return ListedColormap([MUD_COLOR, SAND_COLOR, LEVEE_COLOR][:n_facies])


def show_facies(image: np.ndarray, ax: Axes, title: str = "", wells=None) -> Axes:
    """One facies map (codes 0 mud, 1 sand; a continuous map in [0, 1] is shown on the same
    scale), with optional well columns drawn as thin vertical lines."""
    image = np.asarray(image)
    n = 3 if image.max() > 1.5 else 2
    ax.imshow(image, cmap=facies_cmap(n), vmin=-0.5, vmax=n - 0.5, interpolation="nearest")
    for col in wells if wells is not None else ():
        ax.axvline(col, color="black", lw=1.2)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    if title:
        ax.set_title(title, fontsize=9)
    return ax


def plot_facies_grid(rows: dict[str, np.ndarray], n: int = 6, wells=None) -> Figure:
    """One row of ``n`` facies maps per entry of ``rows`` (label -> images)."""
    fig, axes = plt.subplots(len(rows), n, figsize=(1.35 * n + 0.8, 1.45 * len(rows) + 0.2), squeeze=False)
    for row, (label, images) in zip(axes, rows.items(), strict=True):
        for i, ax in enumerate(row):
            show_facies(images[i], ax, wells=wells)
        row[0].set_ylabel(label, fontsize=9)
    fig.tight_layout()
    return fig


def plot_real_vs_generated_facies(data: Dataset, generated: np.ndarray, n: int = 6) -> Figure:
    """Facies maps: ``n`` real images above ``n`` generated ones (facies codes)."""
    return plot_facies_grid({"real": data.physical, "generated": generated}, n)


def plot_probability_map(
    truth: np.ndarray, ensemble: np.ndarray, wells, axes: np.ndarray | None = None, label: str = ""
) -> Figure:
    """The hidden truth with its wells, one realisation, and P(sand) over the ensemble."""
    if axes is None:
        fig, axes = plt.subplots(1, 3, figsize=(8.4, 3.0))
    fig = axes[0].figure
    show_facies(truth, axes[0], "hidden truth and wells", wells)
    show_facies(ensemble[0], axes[1], f"one realisation{label}", wells)
    im = axes[2].imshow((np.asarray(ensemble) == 1).mean(0), cmap="magma", vmin=0, vmax=1)
    for col in wells:
        axes[2].axvline(col, color="white", lw=1.0)
    axes[2].set_xticks([])
    axes[2].set_yticks([])
    axes[2].grid(False)
    axes[2].set_title(f"P(sand) over {len(ensemble)} realisations", fontsize=9)
    fig.colorbar(im, ax=axes[2], fraction=0.046, pad=0.04)
    return fig


def plot_reliability(
    ax: Axes, predicted: np.ndarray, observed: np.ndarray, counts=None, label: str = ""
) -> Axes:
    """A reliability diagram: observed frequency of sand against predicted P(sand), per bin;
    a calibrated map lies on the diagonal."""
    ax.plot([0, 1], [0, 1], color="0.6", lw=1, ls="--")
    ax.plot(predicted, observed, marker="o", label=label)
    ax.set_xlabel("predicted P(sand)")
    ax.set_ylabel("frequency of sand in the truth")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    return ax


def latent_walk(generator: nn.Module, z0: torch.Tensor, z1: torch.Tensor, n: int = 8) -> np.ndarray:
    """``n`` generator outputs along the straight line from latent code ``z0`` to ``z1``
    (evaluation mode; continuous values, shape ``(n, H, W)``)."""
    t = torch.linspace(0, 1, n).view(-1, 1)
    z = (1 - t) * z0.view(1, -1) + t * z1.view(1, -1)
    was = generator.training
    generator.eval()
    try:
        with torch.no_grad():
            return generator(z.to(device_of(generator))).cpu().numpy()
    finally:
        generator.train(was)


def plot_latent_walk(frames: np.ndarray, decode=None) -> Figure:
    """A latent walk as a row of facies maps (``decode``: continuous values to codes)."""
    images = decode(frames) if decode is not None else frames
    fig, axes = plt.subplots(1, len(images), figsize=(1.2 * len(images) + 0.4, 1.6))
    for i, (ax, im) in enumerate(zip(axes, images, strict=True)):
        show_facies(im, ax, f"t = {i / (len(images) - 1):.2f}")
    fig.tight_layout()
    return fig


def plot_wells_grid(
    truth: np.ndarray, ensembles: dict[int, np.ndarray], wells: dict[int, np.ndarray]
) -> Figure:
    """P(sand) for each number of wells (one column each), under the truth with its wells."""
    ks = list(ensembles)
    fig, axes = plt.subplots(2, len(ks), figsize=(2.0 * len(ks) + 0.6, 4.2), squeeze=False)
    for j, k in enumerate(ks):
        show_facies(truth, axes[0, j], f"{k} well{'s' if k > 1 else ''}", wells[k])
        axes[1, j].imshow((ensembles[k] == 1).mean(0), cmap="magma", vmin=0, vmax=1)
        for col in wells[k]:
            axes[1, j].axvline(col, color="white", lw=1.0)
        axes[1, j].set_xticks([])
        axes[1, j].set_yticks([])
        axes[1, j].grid(False)
    axes[0, 0].set_ylabel("truth")
    axes[1, 0].set_ylabel("P(sand)")
    fig.tight_layout()
    return fig


# ----------------------------------------------------------- chapter 2: report tables, snapshots

#: statistics whose "real" value is the reference compared with itself (zero by construction)
_DISTANCE_STATISTICS = (
    "value distribution (W1)",
    "bed thickness distribution (W1)",
    "feature energy distance",
)


def well_log_report_table(reports: dict[str, list[dict]], marked=None):
    """Chapter 2's statistics table: one row per statistic of
    :func:`gan_utils.evaluation.well_log_evaluation`, the real value ("—" for the distances,
    whose real value is the reference against itself), the tolerance at two significant
    figures, and one column per set in ``reports`` (with ✓/✗ for the names in ``marked``,
    all of them by default)."""
    marked = list(reports) if marked is None else marked
    first = next(iter(reports.values()))
    rows = []
    for i, row in enumerate(first):
        line = {
            "statistic": row["statistic"],
            "real": "—" if row["statistic"] in _DISTANCE_STATISTICS else f"{row['real']:.3f}",
            "tolerance": f"{row['tolerance']:.2g}",
        }
        for name, report in reports.items():
            r = report[i]
            line[name] = f"{r['value']:.3f}" + (f" {'✓' if r['ok'] else '✗'}" if name in marked else "")
        rows.append(line)
    return table(rows)


def draw_log_snapshot(axes, logs: np.ndarray, title: str) -> None:
    """One frame of chapter 2's training history: ``logs`` as tracks on ``axes`` (cleared
    first), with the depth and gamma-ray labels and ``title`` on the first track."""
    for ax, log in zip(axes, logs, strict=True):
        ax.clear()
        plot_log_track(ax, log, color=FAKE_COLOR)
        ax.set_xticks([0, 0.5, 1], ["0", "", "1"])  # full labels would collide
    axes[0].set_ylabel("depth sample")
    axes[0].set_title(title, loc="left")
    axes[0].figure.supxlabel("normalised gamma ray (four latent codes)")
    axes[0].figure.subplots_adjust(bottom=0.17)  # room for it below the tick labels
