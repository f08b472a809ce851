"""Chapter 6's table, "GAN or not?": a data set's recommended GAN against flow matching,
diffusion and a VAE (:mod:`gan_utils.alternatives`) trained on the same data, over seeds,
scored by the data set's own protocol. Each row adds what a model costs to use: seconds
per 1,000 samples and network evaluations per sample. The table resumes
(:func:`~gan_utils.bench.experiments.run_steps`): run the command again to finish it.
"""

from __future__ import annotations

from pathlib import Path

from ..recipes import get_recipe
from .experiments import protocol_of, results_path, run_steps, train_and_score

#: data set -> the recipes its table compares (the recommended GAN first)
WHICH_MODEL = {
    "crossplot": ("crossplot-gan-r1", "crossplot-flow", "crossplot-diffusion", "crossplot-vae"),
    "well-logs": ("well-logs-physics-gan", "well-logs-flow", "well-logs-vae"),
}


def which_model_row(which: str, label: str, recipe, seed: int) -> dict:
    """Train ``recipe`` from ``seed`` and score it by its data set's protocol (as
    :func:`~gan_utils.bench.experiments.ablation_row`), with what sampling costs: seconds
    per 1,000 samples and network evaluations per sample (1 for a GAN or a VAE)."""
    run, record, drawing = train_and_score(recipe, seed)
    n = protocol_of(recipe.dataset).n_samples
    net = getattr(run.generator, "shadow", run.generator)  # the averaged network, if any
    evaluations = net.evaluations() if hasattr(net, "evaluations") else 1
    return {
        "step": label,
        "seed": seed,
        "seconds": round(run.seconds, 2),
        "seconds per 1000 samples": round(1000 * drawing / n, 4),
        "network evaluations per sample": evaluations,
        **record,
    }


def run_which_model(dataset: str, seeds: int = 5, out: str | Path | None = None) -> dict:
    """The table of ``dataset`` (a key of :data:`WHICH_MODEL`) over ``seeds`` seeds, written
    to ``out`` (default gan_utils/results/which-model-<dataset>.json)."""
    if dataset not in WHICH_MODEL:
        raise ValueError(f"no which-model table for {dataset!r}; choose one of {sorted(WHICH_MODEL)}")
    name = f"which-model-{dataset}"
    path = Path(out) if out else results_path(name)
    ladder = [(r, get_recipe(r)) for r in WHICH_MODEL[dataset]]
    return run_steps(name, ladder, list(range(seeds)), path, seeds, make_row=which_model_row)
