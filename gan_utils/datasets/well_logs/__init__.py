"""``well-logs``: blocky gamma-ray logs of 128 depth samples (chapter 2), scored by the
well-log protocol (:func:`gan_utils.evaluation.well_log_evaluation`)."""

from __future__ import annotations

import numpy as np

from ...data import DatasetSpec, Protocol, WellLogSpec, make_well_logs, record_verdicts, register_dataset
from ...evaluation import N_LOGS, WELL_LOG_TARGETS, well_log_evaluation, well_log_reference
from ...metrics import is_diverse


def plot(data, generated: np.ndarray, n: int = 4):
    """Real beside generated logs (:func:`gan_utils.plots.plot_real_vs_generated_logs`)."""
    from ...plots import plot_real_vs_generated_logs

    return plot_real_vs_generated_logs(data, generated, n)


def statistics_ok(real: np.ndarray, fake: np.ndarray) -> bool:
    """Generated mean and std within 0.05 of real (the baseline's reproduction check)."""
    return bool(abs(fake.mean() - real.mean()) < 0.05 and abs(fake.std() - real.std()) < 0.05)


def diverse(record: dict, real_nn: float) -> bool:
    """A stored row's diversity verdict (:func:`gan_utils.metrics.is_diverse`) against the
    real logs' nearest-neighbour distance ``real_nn``."""
    return bool(is_diverse(record["nearest-neighbour distance"], real_nn))


def verdicts(record: dict) -> dict[str, bool]:
    """Each statistic's verdict in a stored row, and :func:`diverse` against the
    reference's nearest-neighbour distance (to 6 decimals, as the stored table holds it)."""
    real_nn = round(well_log_reference()[1]["nearest-neighbour distance"][0], 6)
    return {**record_verdicts(record), "diverse": diverse(record, real_nn)}


PROTOCOL = Protocol(
    well_log_evaluation,
    N_LOGS,
    verdicts=verdicts,
    targets=(*WELL_LOG_TARGETS, "diverse"),
    key_numbers=("bed thickness distribution (W1)", "total variation per log"),
)

SPEC = register_dataset(
    DatasetSpec(
        "well-logs",
        make_well_logs,
        shape=(WellLogSpec().n_depth,),
        columns=("normalised gamma ray",),
        default_n=1024,
        plot=plot,
        protocol=PROTOCOL,
        statistics_ok=statistics_ok,
        description="blocky gamma-ray logs, 128 depth samples",
    )
)
