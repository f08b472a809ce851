"""Writes book/01_adversarial_game.ipynb from the cell list below (outputs are added by
`python -m gan_utils execute`). Kept so the chapter's source is reviewable as plain text."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from nbbuild import Notebook  # noqa: E402

nb = Notebook(cite_prefix="ch1-")
md, code = nb.md, nb.code

md(r"""
# The adversarial game

A generative adversarial network (GAN) learns to draw new samples (synthetic well logs,
rock-property pairs, porous-media images) from examples alone. Two networks play a game:
a **generator** $G$ turns random numbers $z$ into candidate samples, and a **discriminator**
$D$ tries to tell them from real data. This chapter takes the game apart with numbers you
can check.

**What you will learn**

- the minimax value function of {cite:t}`goodfellow2014` and what each term rewards;
- the optimal discriminator $D^*(x) = p_\text{data}(x) / (p_\text{data}(x) + p_g(x))$, checked
  by training a discriminator on two known densities;
- why, at that optimum, the game measures the Jensen–Shannon divergence:
  $V(D^*, G) = -\log 4 + 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g)$, checked numerically;
- why the original generator loss *saturates*, and how the non-saturating and least-squares
  {cite:p}`mao2017` losses keep the generator learning;
- what a GAN does while it trains, in the style of GAN Lab {cite:p}`kahng2019`: the
  discriminator's decision surface, the samples, and the force on every generated sample.

**Prerequisites.** Python and NumPy; what a neural network, a loss and gradient descent are;
a little probability (densities, expectations). No PyTorch knowledge is needed to read along.

**Time.** About 45 minutes to read and run; the notebook executes in about a minute and a
half on a laptop CPU.
""")

code(r"""
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import HTML
from scipy import stats

from gan_utils import get_recipe, metrics, plots, setup, train
from gan_utils.losses import get_loss
from gan_utils.models import ModelSpec
from gan_utils.train import fit_discriminator

plots.use_course_style()
device = setup(seed=0)  # seeds Python, NumPy and torch; fixes torch's thread count
print("running on", device.type)
""")

md(r"""
## The game

The discriminator outputs $D(x) \in (0, 1)$, its belief that $x$ is real. The two players
share one **value function**

$$
V(D, G) = \mathbb{E}_{x \sim p_\text{data}}\bigl[\log D(x)\bigr]
        + \mathbb{E}_{z \sim p_z}\bigl[\log\bigl(1 - D(G(z))\bigr)\bigr]
$$

and play $\min_G \max_D V(D, G)$.

The discriminator raises $V$ by scoring real samples near 1 and generated ones near 0, the
binary cross-entropy of a classifier with "real" and "fake" labels. The generator lowers $V$
by making $D(G(z))$ large. Think of $D$ as a petrophysicist doing quality control on logs
and $G$ as a forger who never sees a real log, only the expert's verdicts, and their gradients.

Write $p_g$ for the density of $G(z)$. For a fixed generator, $V$ is an integral over $x$ of
$p_\text{data}(x)\log D(x) + p_g(x)\log(1 - D(x))$; maximising the integrand pointwise
(the function $a \log y + b \log(1-y)$ peaks at $y = a/(a+b)$) gives the **optimal discriminator**

$$
D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)}.
$$

## Checking the optimal discriminator

Take two densities we know exactly: a two-population "real" density (think of a property
with two rock types) and a single, too-wide Gaussian as the generator's density. We draw
20 000 samples of each, train a small discriminator (1 → 32 → 32 → 1, tanh) with the
cross-entropy loss, and lay its output over the formula.
""")

code(r"""
def p_data(x):
    return 0.4 * stats.norm.pdf(x, -1.5, 0.5) + 0.6 * stats.norm.pdf(x, 1.0, 0.7)


def p_g(x):
    return stats.norm.pdf(x, 0.5, 1.2)


rng = np.random.default_rng(0)
n = 20_000
first = rng.random(n) < 0.4
real_1d = np.where(first, rng.normal(-1.5, 0.5, n), rng.normal(1.0, 0.7, n))
fake_1d = rng.normal(0.5, 1.2, n)

D_1d = fit_discriminator(real_1d, fake_1d, ModelSpec((1, 32, 32, 1), "tanh"),
                         steps=2000, lr=3e-3, batch_size=512, seed=0)

x = np.linspace(-8, 8, 3201)  # wide grid: the densities are negligible beyond it
with torch.no_grad():
    d_learned = torch.sigmoid(D_1d(torch.tensor(x, dtype=torch.float32)[:, None])).numpy().ravel()
d_star = metrics.optimal_discriminator(p_data(x), p_g(x))

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.4))
ax1.plot(x, p_data(x), color="black", label=r"$p_\mathrm{data}$")
ax1.plot(x, p_g(x), color="tab:orange", label=r"$p_g$")
ax1.set(xlim=(-4, 4), xlabel="x (standardised property)", ylabel="density", title="the two densities")
ax1.legend()
ax2.plot(x, d_star, color="tab:blue", lw=3, alpha=0.5, label=r"$D^*$ (formula)")
ax2.plot(x, d_learned, color="tab:blue", ls="--", label="trained D")
ax2.axhline(0.5, color="0.5", lw=0.8)
ax2.set(xlim=(-4, 4), ylim=(0, 1), xlabel="x (standardised property)", ylabel="D(x) = P(real)",
        title="optimal vs trained discriminator")
ax2.legend()
plt.show()
""", caption=r"""
The two densities (left) and the discriminator that separates them (right): the optimal
$D^*$ from the formula (thick) and a small network trained on 20 000 samples of each (dashed).
""")

md(r"""
The trained discriminator lands on the formula. How closely? Where the two densities carry
mass ($p_\text{data} + p_g > 0.05$), the largest gap is:
""")

code(r"""
mass = (p_data(x) + p_g(x)) > 0.05
print(f"max |D - D*| where there is data: {np.abs(d_learned - d_star)[mass].max():.3f}")
print(f"D* ranges over [{d_star[mass].min():.2f}, {d_star[mass].max():.2f}] on that region")
""")

md(r"""
Far from the data, where neither density has samples, the trained network just extrapolates
(outside the plotted range); that is one reason a discriminator's opinion is only
trustworthy near the data.

## At the optimum the game measures a divergence

Put $D^*$ back into $V$. With $m = \tfrac12(p_\text{data} + p_g)$,

$$
V(D^*, G) = \int p_\text{data} \log\frac{p_\text{data}}{2m} + p_g \log\frac{p_g}{2m}\,dx
          = -\log 4 + 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g),
$$

where $\mathrm{JSD}$ is the Jensen–Shannon divergence {cite:p}`lin1991`, zero only when
$p_g = p_\text{data}$. So a generator that plays against a *perfect* discriminator is
minimising the JSD, and the game's value is $-\log 4$ exactly when it has won. We check both
sides by numerical integration on the grid, and evaluate the trained discriminator too (it
can only do worse than $D^*$, since $D^*$ is the maximiser).
""")

code(r"""
jsd = metrics.jensen_shannon(p_data(x), p_g(x), x)
v_star = metrics.value_function(d_star, p_data(x), p_g(x), x)
v_trained = metrics.value_function(d_learned, p_data(x), p_g(x), x)
print(f"JSD(p_data || p_g)          = {jsd:.4f} nats (between 0 and log 2 = {math.log(2):.4f})")
print(f"-log 4 + 2 JSD              = {-math.log(4) + 2 * jsd:.4f}")
print(f"V(D*, G) by integration     = {v_star:.4f}")
print(f"V(trained D, G)             = {v_trained:.4f}  (<= V(D*, G): {v_trained <= v_star})")
print(f"|V(D*, G) - (-log 4 + 2 JSD)| = {abs(v_star - (-math.log(4) + 2 * jsd)):.1e}")
""")

md(r"""
## Why the minimax generator loss saturates

The generator's part of $V$ is $\mathbb{E}[\log(1 - D(G(z)))]$. Early in training the
generator is poor, the discriminator rejects its samples confidently, and $D(G(z)) \approx 0$.
Write $D = \sigma(s)$ with $s$ the discriminator's raw score (logit). The gradient the
generator receives flows through $s$:

| loss | generator minimises | $\partial \mathcal{L}_G / \partial s$ |
|---|---|---|
| minimax (saturating) | $\log(1 - \sigma(s))$ | $-\sigma(s) = -D$ |
| non-saturating | $-\log \sigma(s)$ | $-(1 - D)$ |
| least squares (score $s$ itself) | $\tfrac12 (s - 1)^2$ | $s - 1$ |

With the minimax loss the push vanishes exactly when the generator is worst
({cite:t}`goodfellow2014` noticed this and proposed the non-saturating loss). The
least-squares GAN {cite:p}`mao2017` regresses scores to targets instead, so a fake that
scores far from "real" gets a gradient proportional to how far. Below, autograd computes
each gradient from the package's loss functions; for the least-squares loss the
horizontal axis is the score itself.
""")

code(r"""
d_values = np.linspace(0.001, 0.999, 400)
grads = {}
for name in ("minimax", "nonsaturating", "least-squares"):
    loss = get_loss(name)
    p = torch.tensor(d_values, dtype=torch.float64)
    s = (torch.logit(p) if loss.logistic else p.clone()).requires_grad_(True)
    (g,) = torch.autograd.grad(loss.g_loss(s) * len(s), s)  # per-sample gradient
    grads[name] = g.numpy()

fig, ax = plt.subplots(figsize=(6.5, 3.4))
for name, color, style in (("minimax", "tab:red", "-"), ("nonsaturating", "tab:green", "-"),
                           ("least-squares", "tab:purple", "--")):
    ax.plot(d_values, np.abs(grads[name]), color=color, ls=style, lw=2, label=name)
ax.axvspan(0, 0.1, color="0.9", zorder=0)
ax.text(0.012, 0.5, "early training:\nD rejects fakes", fontsize=9)
ax.set(xlabel="D(G(z)) (least squares: score)", ylabel="|dL_G / d score|",
       title="the generator's gradient, by loss")
ax.legend()
plt.show()
""", caption=r"""
How hard each generator loss pulls, as a function of the discriminator's verdict on a
generated sample. In the grey band (early training, fakes confidently rejected) the minimax
loss gives almost no gradient.
""")

code(r"""
i = np.argmin(np.abs(d_values - 0.01))
for name, g in grads.items():
    print(f"{name:>14}: |gradient| at D(G(z)) = {d_values[i]:.2f} is {abs(g[i]):.3f}")
""")

md(r"""
At $D(G(z)) = 0.01$ the minimax generator gets about a ninetieth of the non-saturating one's
signal (the two straight lines of the non-saturating and least-squares losses coincide: both
pull with strength one minus the current score). The three losses share the same fixed point (the generator wins when its samples
are scored like real ones); they differ in how hard they pull on the way there.

## A small GAN you can watch

Now the whole game, on a target we can see: a 2-D mixture of three Gaussians on a circle
(think of three rock types on a crossplot). The recipe `toy-2d-gan` is data in
`gan_utils.recipes`: a generator 2 → 32 → 32 → 2 (ReLU), a discriminator 2 → 32 → 32 → 1
(leaky ReLU, slope 0.2), the non-saturating loss, Adam with learning rate $2 \times 10^{-3}$
and $\beta_1 = 0.5$, 1500 generator steps of batch 128. `train` is the one training loop the
whole course uses; we ask it for a snapshot of both networks every 30 steps.
""")

code(r"""
recipe = get_recipe("toy-2d-gan")
print(recipe.summary())
result = train(recipe, seed=0, snapshot_every=30)
print(f"{len(result.history)} generator steps, {len(result.snapshots)} snapshots")
z_show = torch.randn(256, recipe.latent_dim, generator=torch.Generator().manual_seed(123))
""")

code(r"""
fig, axes = plt.subplots(1, 2, figsize=(10, 4))
plots.plot_training_frame(axes, result, -1, z_show)
plots.plot_game_2d(axes[0], result.generator, result.discriminator, get_loss(recipe.loss),
                   result.data.physical, z_show, colorbar=True)
axes[0].set_title(f"after {recipe.steps} generator steps")
fig.tight_layout()
plt.show()
""", caption=r"""
The toy GAN after 1500 generator steps. Left: the discriminator's belief $D(x)$ over the
plane (blue: real), real (black) and generated (orange) samples, and the pull on each
generated sample (arrows). Right: mean $D$ on real and on generated batches during training.
""")

md(r"""
**Reading the picture.** Colour is the discriminator's belief $D(x)$ over the plane (blue:
"real", red: "fake"); black dots are real samples, orange dots generated ones; each arrow is
minus the gradient of the generator's loss with respect to that generated point, the
direction in which the discriminator pushes it. On the right, the mean of $D(x)$ on real
batches and of $D(G(z))$ on generated batches: the game is near its equilibrium when both sit
near $\tfrac12$, where $D^*$ cannot tell the densities apart.

Is the generator right? Mean and standard deviation would not tell us (the next chapter
makes that point at length). Here we count how much generated mass falls near each of the
three modes, how much falls near none, and the energy distance between generated and real
samples, each beside the same numbers for a second, independent real sample: the
**real-vs-real baseline**.
""")

code(r"""
from gan_utils.data import make_toy_2d

angles = 2 * np.pi * np.arange(3) / 3 + np.pi / 2
centres = 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
generated = result.sample(2000, seed=1)
fresh_real, _ = make_toy_2d(2000, seed=99)

for label, pts in (("generated", generated), ("real (fresh)", fresh_real)):
    per_mode, off = metrics.mode_coverage(pts, centres, radius=0.75)
    dist = metrics.energy_distance(pts[:1000], result.data.physical)
    print(f"{label:>13}: mass near each mode {np.round(per_mode, 2)}, near none {off:.3f}, "
          f"energy distance to training set {dist:.3f}")

baseline = metrics.real_vs_real(metrics.energy_distance, lambda s: make_toy_2d(512, seed=s)[0], n_pairs=10)
print(f"real-vs-real energy distance over 10 pairs: {baseline.min():.3f} to {baseline.max():.3f}")
""")

md(r"""
### The same run as it trains

Each frame is a snapshot; press play. (This animation is the static twin of the slider
further down: it works on the website, where no Python kernel runs.)
""")

code(r"""
fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))


def draw(frame):
    plots.plot_training_frame(axes, result, frame, z_show)
    fig.tight_layout()


HTML(plots.animate(fig, draw, n_frames=len(result.snapshots)))
""", caption=r"""
The same run as it trains, one frame every 30 generator steps (press play): the static
twin of the snapshot slider and of the explorer's "G steps" control.
""")

md(r"""
Things to look for: where the arrows point while the generated cloud is still far from the
data, how the discriminator's boundary follows the generated samples around, and whether
$D(x)$ and $D(G(z))$ settle near $\tfrac12$ or keep oscillating.

### Three losses, same everything else

The only change below is the loss: the same seed, data, networks and optimiser. This grid is
the static twin of the loss menu in the explorer.
""")

code(r"""
runs = {name: train(recipe.replace(loss=name), seed=0) for name in ("minimax", "nonsaturating", "least-squares")}

fig, axes = plt.subplots(1, 3, figsize=(12, 4))
for ax, (name, run) in zip(axes, runs.items(), strict=True):
    plots.plot_game_2d(ax, run.generator, run.discriminator, get_loss(name), run.data.physical, z_show)
    ax.set_title(name)
fig.tight_layout()
plt.show()

for name, run in runs.items():
    per_mode, off = metrics.mode_coverage(run.sample(2000, seed=1), centres, radius=0.75)
    dist = metrics.energy_distance(run.sample(1000, seed=1), run.data.physical)
    covered = int((per_mode >= 0.05).sum())
    print(f"{name:>14}: mass per mode {np.round(per_mode, 2)} ({covered} of 3 modes covered), "
          f"near none {off:.3f}, energy distance {dist:.3f}")
""", caption=r"""
One change, the loss: the same GAN trained with the minimax, non-saturating and
least-squares losses (same seed, data, networks and optimiser). The least-squares generator
has dropped the lower-left mode.
""")

md(r"""
With this seed, the minimax and non-saturating generators cover all three modes, the
minimax one leaving far more mass between them; the least-squares generator has **dropped a
mode**. Look at its panel: the discriminator colours the empty lower-left mode blue ("real"),
yet no generated sample is close enough to feel its pull, so nothing moves there. This is
*mode collapse*, and chapter 3 meets it again on a crossplot. Note also that none of the
three energy distances reaches the real-vs-real range printed earlier: even a 2-D toy is not
fully solved by 1500 steps of a textbook GAN, which is why every chapter measures what its
generator makes instead of trusting its loss curves.

### Learning rate and discriminator steps

Two more knobs of the explorer below, one at a time around the recipe (learning rate
$2 \times 10^{-3}$, one discriminator step per generator step), from the same seed. This
grid is their static twin.
""")

code(r"""
settings = {"learning rate": ("lr", [3e-4, 2e-3, 1e-2]), "D steps per G step": ("critic_steps", [1, 3, 5])}
fig, axes = plt.subplots(2, 3, figsize=(10.5, 7.6))
for row, (label, (field, values)) in zip(axes, settings.items(), strict=True):
    for ax, value in zip(row, values, strict=True):
        run = train(recipe.replace(**{field: value}), seed=0, progress=False)
        plots.plot_game_2d(ax, run.generator, run.discriminator, get_loss(recipe.loss), run.data.physical, z_show)
        per_mode, off = metrics.mode_coverage(run.sample(2000, seed=1), centres, radius=0.75)
        ax.set_title(f"{label} = {value:g}\n{int((per_mode >= 0.05).sum())} of 3 modes, {off:.0%} near none", fontsize=10)
fig.tight_layout()
plt.show()
""", caption=r"""
The explorer's learning-rate (top) and discriminator-steps (bottom) controls, one at a time
around the recipe's setting (middle column of the top row, left of the bottom row), after
1500 generator steps from the same seed.
""")

md(r"""
Read the titles first: how many modes each generator covers and how much of its mass falls
between them. With a learning rate of $3 \times 10^{-4}$ the generator is still on its way
after 1500 steps, with almost half its samples between the modes; with five discriminator
steps per generator step, the confident discriminator pushes the whole cloud onto a single
mode. Saturation bites hardest when the discriminator wins early; you can provoke that in
the explorer below by combining several discriminator steps per generator step with a large
learning rate (exercise 3).

## Explore

Run the notebook (Binder, Colab or your own Jupyter) to use the controls: the loss, the
learning rate, the number of discriminator steps per generator step and the training length.
Each change retrains the small GAN from the same seed (one to ten seconds on a CPU) and
draws the final state. On the website the controls are inert and show the recipe's
setting; the animation and the two grids above show what each control does.
""")

code(r"""
from gan_utils.widgets import snapshot_slider, toy_gan_explorer

toy_gan_explorer()
""", tags=["nbval-ignore-output"])

code(r"""
snapshot_slider(result, z_show)
""", tags=["nbval-ignore-output"])

md(r"""
## Summary

- The discriminator of the minimax game is a classifier; against a fixed generator its best
  response is $D^* = p_\text{data}/(p_\text{data} + p_g)$, and a small network trained on
  samples finds it where there are data.
- At $D^*$, the game's value is $-\log 4 + 2\,\mathrm{JSD}$: the generator minimises a
  divergence it never computes.
- The minimax generator loss gives almost no gradient when the generator is poor; the
  non-saturating and least-squares losses fix that without moving the equilibrium.
- A GAN is judged by what it generates, measured against the spread between two real samples,
  not by its losses.

## What's next

The next chapter ports the seed's least-squares GAN for synthetic gamma-ray well logs,
reproduces its summary statistics, and then shows why those statistics say almost nothing
about whether the logs look like logs.

## Exercises

1. Make the generator density in the first experiment equal to the data density. What should
   $D^*$, the JSD and $V(D^*, G)$ be? Check with the cells above.
2. In the saturation plot, where do the minimax and non-saturating gradients cross, and why
   there?
3. In the explorer, set the learning rate to $10^{-2}$ and the discriminator steps per
   generator step to 5, then compare the minimax and the non-saturating loss. Which one
   collapses onto part of the data, and what do the curves of $D$ say about why?

```{admonition} Solutions
:class: dropdown

1. $D^*(x) = \tfrac12$ everywhere, $\mathrm{JSD} = 0$ and $V(D^*, G) = -\log 4 \approx -1.386$.
   With `p_g = p_data`, `metrics.optimal_discriminator` returns 0.5 on the whole grid and
   `metrics.value_function` returns $-1.3863$.
2. $|\partial \mathcal{L}/\partial s|$ is $D$ for minimax and $1 - D$ for non-saturating, so
   they cross at $D(G(z)) = \tfrac12$: where the discriminator cannot tell, both losses push
   equally; they differ most at the extremes.
3. The hidden cell below runs both settings. Over the first 100 steps the discriminator wins
   in both runs (mean $D(x)$ near 0.8, $D(G(z))$ near 0.2). With seed 0 the
   **non-saturating** generator then collapses onto a single mode, while the minimax one
   keeps all three. A confident discriminator gives the non-saturating generator a strong,
   nearly uniform push, which can carry the whole cloud onto one mode at once; the minimax
   push is weak exactly when $D$ is confident, so its generator moves more cautiously.
   Saturation slows learning; it does not by itself cause collapse, and the fix for one
   failure can expose another. One seed is an anecdote: change `seed=0` and look again.
```
""")

code(r"""
aggressive = recipe.replace(lr=1e-2, critic_steps=5)
for name in ("minimax", "nonsaturating"):
    run = train(aggressive.replace(loss=name), seed=0)
    h = run.history
    per_mode, off = metrics.mode_coverage(run.sample(2000, seed=1), centres, radius=0.75)
    print(f"{name:>14}: first 100 steps D(x) {np.mean(h.d_real[:100]):.2f}, "
          f"D(G(z)) {np.mean(h.d_fake[:100]):.2f}; mass per mode {np.round(per_mode, 2)}")
""", tags=["hide-cell"])

md(r"""
## References

```{bibliography}
:filter: docname in docnames
```
""")

nb.write("book/01_adversarial_game.ipynb")
