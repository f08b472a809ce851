"""``toy-2d``: a 3-mode 2-D Gaussian mixture (chapter 1's small GAN); no benchmark protocol."""

from __future__ import annotations

import numpy as np

from ...data import DatasetSpec, make_toy_2d, register_dataset
from ..crossplot import statistics_ok


def plot(data, generated: np.ndarray, n: int = 4):
    """Real beside generated points (:func:`gan_utils.plots.plot_real_vs_generated_points`)."""
    from ...plots import plot_real_vs_generated_points

    return plot_real_vs_generated_points(data, generated, n)


SPEC = register_dataset(
    DatasetSpec(
        "toy-2d",
        make_toy_2d,
        shape=(2,),
        columns=("x1", "x2"),
        default_n=512,
        plot=plot,
        statistics_ok=statistics_ok,
        description="a 3-mode 2-D Gaussian mixture",
    )
)
