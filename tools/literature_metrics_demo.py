"""The literature's metrics (gan_utils.literature_metrics) beside the course's on chapter 2's contestants.

Trains the baseline LSGAN (recipe "well-logs-lsgan", seed 0, about 4 s on one thread),
samples 1024 logs, and compares them, clipped Gaussian noise with the real mean and
standard deviation (as in chapter 2) and 1024 fresh real logs with a reference set of 1024
real logs (the course's reference seed). The last column is the same metric on five
pairs of independent real sets (mean ± standard deviation): the real-vs-real baseline.

Feature-space metrics use the course's per-log features standardised by the reference
(literature_metrics.well_log_features); memorisation uses the raw logs against the LSGAN's
1024 training logs. Run: ``python tools/literature_metrics_demo.py`` (about a minute on one thread).
"""

from __future__ import annotations

import numpy as np
import torch
from threadpoolctl import threadpool_limits

import gan_utils
from gan_utils import literature_metrics as F
from gan_utils import metrics as M
from gan_utils.data import make_well_logs
from gan_utils.evaluation import real_vs_real

REF_SEED, FRESH_SEED, HOLDOUT_SEED = 10_001, 4242, 777  # reference, chapter 2's fresh logs, memorisation


def logs(seed: int) -> np.ndarray:
    return make_well_logs(1024, seed=seed)[0]


def metric_table(train: np.ndarray, holdout: np.ndarray) -> dict:
    """name -> function(reference logs, other logs) -> float."""

    def feats(ref, x):
        return F.well_log_features(x, reference=ref)

    def c2st(ref, x):
        return F.classifier_two_sample_test(feats(ref, ref), feats(ref, x), permutations=50)

    return {
        "precision (k=5)": lambda r, x: F.precision_recall(feats(r, r), feats(r, x))["precision"],
        "recall (k=5)": lambda r, x: F.precision_recall(feats(r, r), feats(r, x))["recall"],
        "density (k=5)": lambda r, x: F.density_coverage(feats(r, r), feats(r, x))["density"],
        "coverage (k=5)": lambda r, x: F.density_coverage(feats(r, r), feats(r, x))["coverage"],
        "MMD² (RBF, median)": lambda r, x: F.mmd2_unbiased(feats(r, r), feats(r, x)),
        "KID (cubic)": lambda r, x: F.kid(feats(r, r), feats(r, x), subsets=50)["kid"],
        "C2ST accuracy (logistic)": lambda r, x: c2st(r, x)["accuracy"],
        "C2ST p-value (50 perm.)": lambda r, x: c2st(r, x)["p_value"],
        "memorisation ratio": lambda r, x: F.memorisation(train, x, holdout)["ratio"],
        "copy fraction": lambda r, x: F.memorisation(train, x, holdout)["copy_fraction"],
        "course: feature energy distance": lambda r, x: M.feature_energy_distance(x, r, r),
        "course: nearest-neighbour distance": lambda r, x: M.nearest_neighbour_distance(x),
    }


def main() -> None:
    torch.set_num_threads(1)
    result = gan_utils.train(gan_utils.get_recipe("well-logs-lsgan"), 0, progress=False)
    lsgan = result.sample(1024, seed=1)
    ref = logs(REF_SEED)
    rng = np.random.default_rng(0)
    noise = np.clip(rng.normal(ref.mean(), ref.std(), ref.shape), 0, 1).astype(np.float32)
    sets = {"seed LSGAN": lsgan, "clipped noise": noise, "fresh real": logs(FRESH_SEED)}
    table = metric_table(result.data.physical, logs(HOLDOUT_SEED))
    header = f"| {'metric':36s} | " + " | ".join(f"{k:>13s}" for k in sets) + f" | {'real vs real':>15s} |"
    print(header)
    print("|" + "|".join("-" * len(c) for c in header.split("|")[1:-1]) + "|")
    for name, metric in table.items():
        values = " | ".join(f"{metric(ref, x):13.4g}" for x in sets.values())
        base = real_vs_real(metric, logs, n_pairs=5, first_seed=50_000)
        print(f"| {name:36s} | {values} | {base.mean():7.3g} ± {base.std(ddof=1):5.2g} |")


if __name__ == "__main__":
    with threadpool_limits(limits=1):
        main()
