"""``channels``: 64 x 64 maps of sinuous sand channels in mud, facies codes 0 / 1 (chapter
5; the object-based model is :mod:`gan_utils.facies`), scored by the facies protocol
(:func:`gan_utils.evaluation.channels_evaluation`)."""

from __future__ import annotations

import numpy as np

from ...data import DatasetSpec, Protocol, register_dataset
from ...evaluation import N_IMAGES, channels_evaluation
from ...facies import make_channels, to_facies_codes


def plot(data, generated: np.ndarray, n: int = 6):
    """Real beside generated maps (:func:`gan_utils.plots.plot_real_vs_generated_facies`)."""
    from ...plots import plot_real_vs_generated_facies

    return plot_real_vs_generated_facies(data, generated, n)


def statistics_ok(real: np.ndarray, fake: np.ndarray) -> bool:
    """Mean sand proportion within 0.05 of real, and sand (code 1) and mud (0) both present."""
    return bool(abs((fake == 1).mean() - (real == 1).mean()) < 0.05 and (fake == 0).any())


PROTOCOL = Protocol(channels_evaluation, N_IMAGES)

SPEC = register_dataset(
    DatasetSpec(
        "channels",
        make_channels,
        shape=(64, 64),
        columns=("facies code (0 mud, 1 sand)",),
        default_n=4096,
        plot=plot,
        protocol=PROTOCOL,
        statistics_ok=statistics_ok,
        decode=to_facies_codes,
        description="64 x 64 maps of sinuous sand channels in mud (facies codes 0 / 1)",
    )
)
