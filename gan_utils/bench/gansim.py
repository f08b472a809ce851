"""Chapter 5's GANSim table (``python -m gan_utils bench channels-gansim``): trains the
conditional generator of :mod:`gan_utils.gansim` and scores it on the hidden truths of
``bench channels-condition`` (:mod:`gan_utils.bench.channels`).
"""

from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

from ..gansim import GANSIM_DIR, GANSim, gansim_realisations, save_gansim, train_gansim


def gansim_condition_rows(model: GANSim, truth: np.ndarray, index: int, k: int, n: int = 50) -> dict:
    """Hide ``truth``, observe it in ``k`` evenly spread wells, draw ``n`` GANSim
    realisations (seed ``index``): one row scored exactly as ``bench channels-condition``
    scores pCN (:func:`gan_utils.bench.channels.ensemble_scores`), with the wall time."""
    from ..facies import spread_wells
    from .channels import ensemble_scores
    from .experiments import _rounded

    wells = spread_wells(k, truth.shape[1])
    start = time.perf_counter()
    ensemble = gansim_realisations(model, truth, wells, n, seed=index)
    seconds = time.perf_counter() - start
    row = {"truth": index, "k": k, "method": "gansim", "seconds": round(seconds, 4)}
    return {**row, **_rounded(ensemble_scores(ensemble.astype(float), truth, wells))}


def run_gansim_bench(
    truths: int = 20,
    ks: tuple[int, ...] = (2, 3),
    n: int = 50,
    out: str | Path | None = None,
    steps: int = 1000,
) -> dict:
    """Train GANSim from seed 0 (always; its weights go to the folder named like ``out``
    without ``.json``, by default :data:`GANSIM_DIR`, overwriting them), then score it on
    the hidden truths of ``bench channels-condition``
    (:func:`~gan_utils.bench.channels.hidden_channel_truths`, wells ``spread_wells(k)``,
    ``n`` realisations, seed = the truth's index); written as JSON to ``out`` (default
    gan_utils/results/channels-gansim.json) in the rows format of channels-condition.json."""
    from .channels import channels_condition_table_rows, hidden_channel_truths, print_condition_summary
    from .experiments import write_results

    weights = Path(out).with_suffix("") if out else GANSIM_DIR
    model = train_gansim(0, steps, progress=True)
    save_gansim(model, weights)
    print(f"trained in {model.seconds:.1f} s; weights in {weights}", flush=True)

    def rows_for(truth, index, k):
        return [gansim_condition_rows(model, truth, index, k, n)]

    rows = channels_condition_table_rows(hidden_channel_truths(truths), ks, rows_for)
    results = {
        "truths": truths,
        "n": n,
        "method": "gansim",
        "train seconds": model.seconds,
        "settings": asdict(model.settings),
        "weights": weights.name,
        "rows": rows,
    }
    print_condition_summary(results)
    return write_results(results, out, "channels-gansim")


__all__ = ["gansim_condition_rows", "run_gansim_bench"]
