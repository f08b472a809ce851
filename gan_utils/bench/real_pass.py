"""How often real data meets every target: the ceiling on "passes on 10 of 10 seeds".

Every benchmark row passes when a statistic is within its real-vs-real tolerance (three
root-mean-square differences, or the mean plus three standard deviations of a distance).
One fresh real set rarely fails one row, but with a dozen rows it fails *some* row more
often. This module scores fresh real sets, with seeds disjoint from every reference,
tolerance and baseline set, by each chapter's protocol and counts how many pass every
row. If a fraction ``p`` of real sets passes, a perfect generator (one that draws from the
data's own distribution) passes every row on ``k`` of ``n`` seeds with Binomial(n, p)
odds: that is what a target such as "every row on 10/10 seeds" asks of luck alone.

``python -m gan_utils bench real-pass`` writes ``gan_utils/results/real-pass.json``.
"""

from __future__ import annotations

from pathlib import Path

from ..data import DATASETS as REGISTERED
from ..data import get_dataset
from .experiments import write_results

FIRST_SEED = 70_000  # fresh sets: seeds FIRST_SEED, FIRST_SEED + 1, ...


def protocol_datasets() -> tuple[str, ...]:
    """The registered data sets that have an evaluation protocol."""
    return tuple(name for name, spec in REGISTERED.items() if spec.protocol is not None)


def verdicts(dataset: str, seed: int) -> dict[str, bool]:
    """Row -> passes, for the fresh real set of ``dataset`` drawn with ``seed`` (as many
    samples as its protocol scores), by the data set's own protocol: the same reference and
    tolerances as its benchmark."""
    spec = get_dataset(dataset)
    if spec.protocol is None:
        raise ValueError(
            f"data set {dataset!r} has no evaluation protocol; choose one of {protocol_datasets()}"
        )
    real = spec.make(spec.protocol.n_samples, seed)[0]
    return {r["statistic"]: r["ok"] for r in spec.protocol.evaluate(real)}


def score_sets(dataset: str, sets: int, first_seed: int = FIRST_SEED) -> dict:
    """How many of ``sets`` fresh real sets pass every row, how many fail each row, and
    which rows each failing set (by seed) fails."""
    fails: dict[str, int] = {}
    failed: dict[str, list[str]] = {}
    for seed in range(first_seed, first_seed + sets):
        v = verdicts(dataset, seed)
        for row, ok in v.items():
            fails[row] = fails.get(row, 0) + (not ok)
        if not all(v.values()):
            failed[str(seed)] = [row for row, ok in v.items() if not ok]
    return {
        "sets": sets,
        "first seed": first_seed,
        "all ok": sets - len(failed),
        "row fails": fails,
        "failed sets": failed,
    }


def run_real_pass(sets: int = 200, out: str | Path | None = None, datasets=None) -> dict:
    """:func:`score_sets` for every data set in ``datasets`` (default: every registered one
    with a protocol, :func:`protocol_datasets`); written to ``real-pass.json``."""
    datasets = protocol_datasets() if datasets is None else datasets
    table = {}
    for name in datasets:
        table[name] = score_sets(name, sets)
        print(f"{name}: {table[name]['all ok']} of {sets} real sets pass every row", flush=True)
    return write_results({"datasets": table}, out, "real-pass")


def perfect_generator_odds(entry: dict, seeds: int = 10, need: int = 10) -> dict[str, float]:
    """From one data set's entry: the fraction ``p`` of real sets passing every row, its 95 %
    (Clopper-Pearson) interval, and the probability that a perfect generator passes every
    row on at least ``need`` of ``seeds`` seeds, at ``p`` and at the interval's two ends."""
    from scipy.stats import binom, binomtest

    k, n = entry["all ok"], entry["sets"]
    ci = binomtest(k, n).proportion_ci(0.95, method="exact")

    def odds(p: float) -> float:
        return float(binom.sf(need - 1, seeds, p))

    return {
        "p": k / n,
        "p low": float(ci.low),
        "p high": float(ci.high),
        "odds": odds(k / n),
        "odds low": odds(float(ci.low)),
        "odds high": odds(float(ci.high)),
    }


__all__ = [
    "FIRST_SEED",
    "perfect_generator_odds",
    "protocol_datasets",
    "run_real_pass",
    "score_sets",
    "verdicts",
]
