"""The evaluation protocols flag what they should: real data pass, broken data fail."""

import numpy as np
import pytest

from gan_utils import metrics as M
from gan_utils.data import make_crossplot, make_well_logs
from gan_utils.evaluation import (
    WELL_LOG_TARGETS,
    crossplot_baseline,
    crossplot_evaluation,
    crossplot_passes,
    well_log_evaluation,
)


@pytest.fixture(scope="module")
def ed_limit():
    return M.distance_limit([b["energy distance"] for b in crossplot_baseline(5)])


def test_real_crossplot_passes_every_target(ed_limit):
    ev = crossplot_evaluation(make_crossplot(4096, 123)[0])
    passes = crossplot_passes(ev, ed_limit)
    assert passes["masses"] and passes["off-manifold"] and passes["distance"]
    assert ev["off-manifold rate"] < 0.02


def _split(n, porous_share, seed=5):
    pts, labels = make_crossplot(3 * n, seed)
    porous, tight = pts[labels == 0], pts[labels == 1]
    k = int(round(porous_share * n))
    return np.concatenate([porous[:k], tight[: n - k]])


def test_crossplot_failures_are_flagged(ed_limit):
    one_population = _split(4096, 1.0)
    ev = crossplot_evaluation(one_population)
    assert ev["tight mass"] == 0 and not crossplot_passes(ev, ed_limit)["masses"]

    ev = crossplot_evaluation(_split(4096, 0.7))
    assert abs(ev["porous mass"] - 0.7) < 0.01 and not crossplot_passes(ev, ed_limit)["masses"]

    pts, labels = make_crossplot(4096, 6)
    centres = np.stack([pts[labels == k].mean(axis=0) for k in (0, 1)])[labels]
    blurred = centres + 2 * (pts - centres)  # each cloud twice as wide
    ev = crossplot_evaluation(blurred)
    assert not crossplot_passes(ev, ed_limit)["shape"]
    assert ev["off-manifold rate"] > 0.05

    gauss = np.random.default_rng(0).multivariate_normal(pts.mean(0), np.cov(pts.T), 4096)
    ev = crossplot_evaluation(gauss)
    passes = crossplot_passes(ev, ed_limit)
    assert not passes["off-manifold"] and not passes["distance"]


def test_crossplot_evaluation_bad_input():
    with pytest.raises(ValueError, match="shape"):
        crossplot_evaluation(np.zeros((100, 2)))
    with pytest.raises(ValueError, match="NaN"):
        crossplot_evaluation(np.full((4096, 2), np.nan))


def _targets(rows):
    return {r["statistic"]: r["ok"] for r in rows if r["statistic"] in WELL_LOG_TARGETS}


def test_real_well_logs_pass_and_broken_logs_fail():
    real, _ = make_well_logs(1024, 4242)
    assert all(_targets(well_log_evaluation(real)).values())

    rng = np.random.default_rng(0)
    broken = {
        "constant": np.full_like(real, 0.5),
        "white noise": np.clip(rng.normal(real.mean(), real.std(), real.shape), 0, 1),
        "single facies": make_well_logs(1024, 7)[0] * 0 + 0.25 + 0.02 * rng.standard_normal(real.shape),
        "one log repeated": np.repeat(real[:1], 1024, axis=0),
    }
    for name, logs in broken.items():
        rows = well_log_evaluation(logs.astype(np.float32))
        failed = [k for k, ok in _targets(rows).items() if not ok]
        assert len(failed) >= 2, (name, failed)
    repeated = {r["statistic"]: r for r in well_log_evaluation(broken["one log repeated"])}
    assert repeated["nearest-neighbour distance"]["value"] < 1e-3


def test_fresh_real_logs_pass_every_target_on_every_seed():
    """The oracle check: the data generator itself must pass the targets it sets."""
    for seed in range(50_000, 50_005):
        rows = well_log_evaluation(make_well_logs(1024, seed)[0])
        assert all(_targets(rows).values()), seed
