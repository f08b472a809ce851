"""``crossplot``: porosity / P-velocity pairs from two rock populations (chapter 3), scored
by the crossplot protocol (:func:`gan_utils.evaluation.crossplot_protocol`)."""

from __future__ import annotations

import numpy as np

from ...data import DatasetSpec, Protocol, make_crossplot, register_dataset
from ...evaluation import N_EVAL, crossplot_evaluation, crossplot_protocol, crossplot_rows


def plot(data, generated: np.ndarray, n: int = 4):
    """Real beside generated points (:func:`gan_utils.plots.plot_real_vs_generated_crossplot`)."""
    from ...plots import plot_real_vs_generated_crossplot

    return plot_real_vs_generated_crossplot(data, generated, n)


def statistics_ok(real: np.ndarray, fake: np.ndarray) -> bool:
    """Column means within 5 % and standard deviations within 15 % of real."""
    mean_ratio = fake.mean(0) / real.mean(0)
    std_ratio = fake.std(0, ddof=1) / real.std(0, ddof=1)
    return bool(np.all(np.abs(mean_ratio - 1) < 0.05) and np.all(np.abs(std_ratio - 1) < 0.15))


def record(points: np.ndarray) -> dict:
    """A crossplot table's row: every number of :func:`crossplot_evaluation`, to 6 decimals."""
    return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in crossplot_evaluation(points).items()}


def verdicts(row: dict) -> dict[str, bool]:
    """The four targets' verdicts for a stored row (:func:`crossplot_rows`)."""
    return {r["statistic"]: r["ok"] for r in crossplot_rows(row)}


PROTOCOL = Protocol(
    crossplot_protocol,
    N_EVAL,
    record=record,
    verdicts=verdicts,
    targets=("masses", "off-manifold", "distance", "shape"),
    key_numbers=("energy distance", "tight Vp std error", "tight slope error"),
    column="{} ok",
)

SPEC = register_dataset(
    DatasetSpec(
        "crossplot",
        make_crossplot,
        shape=(2,),
        columns=("porosity (fraction)", "Vp (km/s)"),
        default_n=512,
        standardize=True,
        plot=plot,
        protocol=PROTOCOL,
        statistics_ok=statistics_ok,
        description="porosity / P-velocity pairs from two rock populations",
    )
)
