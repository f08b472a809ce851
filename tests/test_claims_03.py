"""Chapter 3 and its evidence page quote numbers from stored tables (gan_utils/results/*.json).
These tests compare the tables with the numbers the text quotes, so that a regenerated table
that changes a quoted number fails here, naming the claim."""

import numpy as np
import pytest

from gan_utils import load_dataset
from gan_utils.bench.experiments import ablation_summary, crossplot_summary, load_results
from gan_utils.bench.real_pass import perfect_generator_odds

SHAPE = ("porosity std", "Vp std", "slope")


@pytest.fixture(scope="module")
def results():
    return load_results("crossplot")


@pytest.fixture(scope="module")
def by_recipe(results):
    return {s["recipe"]: s for s in crossplot_summary(results)}


@pytest.fixture(scope="module")
def ablation():
    return ablation_summary(load_results("ablation-crossplot"), "ablation-crossplot")


def _rows(results, recipe):
    return sorted((r for r in results["rows"] if r["recipe"] == recipe), key=lambda r: r["seed"])


def test_losses_table(results, by_recipe):
    # "the least-squares one on nine seeds of ten", "never gets both masses right"
    assert by_recipe["crossplot-lsgan"]["collapsed"] == max(s["collapsed"] for s in by_recipe.values()) == 9
    assert by_recipe["crossplot-lsgan"]["masses ok"] == 0
    # the baseline WGAN never collapses but most of its points are off-manifold
    assert by_recipe["crossplot-wgan"]["collapsed"] == 0
    assert by_recipe["crossplot-wgan"]["off-manifold (median)"] > 0.5
    # "the 0 of every recipe above"
    assert max(s["all ok"] for s in by_recipe.values()) == 0
    # gan-r1: masses, off-manifold and distance on every seed, shape on none
    r1 = by_recipe["crossplot-gan-r1"]
    assert (r1["masses ok"], r1["off-manifold ok"], r1["distance ok"], r1["shape ok"]) == (10, 10, 10, 0)
    # "about a third of the WGAN-GP's time, though longer than the baseline WGAN's"
    r1_s, gp_s, wg_s = (
        by_recipe[f"crossplot-{n}"]["seconds (median)"] for n in ("gan-r1", "wgan-gp", "wgan")
    )
    assert 0.25 < r1_s / gp_s < 0.4 and r1_s > wg_s


def test_real_sets(results):
    baseline = results["baseline"]
    real_rows = [b | {"recipe": "real data", "seconds": float("nan")} for b in baseline]
    real = crossplot_summary({"baseline": baseline, "rows": real_rows})[0]
    assert real["shape ok"] == 9 and real["all ok"] == 9  # one real set fails on shape
    assert 0.15 < max(b["tight slope error"] for b in baseline) < 0.165  # "up to 16 %"


def test_perfect_generator_odds():
    ceiling = load_results("real-pass")["datasets"]["crossplot"]
    failed = {k: v for k, v in ceiling["row fails"].items() if v}
    assert (ceiling["all ok"], ceiling["sets"], failed) == (183, 200, {"shape": 9, "distance": 8})
    odds = perfect_generator_odds(ceiling)
    assert 0.35 < odds["odds"] < 0.45  # "about four times in ten"
    # "between a quarter and six in ten"
    assert 0.2 < odds["odds low"] < 0.3 and 0.55 < odds["odds high"] < 0.65
    assert 0.94 < perfect_generator_odds(ceiling, need=8)["odds"] < 0.96  # "about 19 times in 20"
    assert (10 - 1) / np.sqrt(10) < 3  # a member of ten cannot lie three sample s.d. above the mean


def test_baseline_wgan_seeds(results):
    rates = np.array([r["off-manifold rate"] for r in _rows(results, "crossplot-wgan")])
    # "between 52 % and 82 % (median 62 %), and seed 0 is the worst of the ten"
    assert 0.515 < rates.min() < 0.525 and 0.82 < rates.max() < 0.83 and 0.615 < np.median(rates) < 0.625
    assert rates.argmax() == 0


def test_training_sets_split():
    shares = [np.mean(load_dataset("crossplot", 512, seed=s).labels == 0) for s in range(10)]
    assert round(shares[0], 3) == 0.475  # "a porous share of 0.475 for the set above"
    assert 0.0245 <= max(abs(x - 0.5) for x in shares) < 0.0255  # "by up to 2.5 points"


def test_recommended_shape_by_seed(results):
    rows = _rows(results, "crossplot-gan-r1")
    tight = np.array([[r[f"tight {w} error"] for w in SHAPE] for r in rows])
    porous = np.array([[r[f"porous {w} error"] for w in SHAPE] for r in rows])
    tight_fail = np.abs(tight).max(axis=1) > 0.15
    porous_fail = np.abs(porous).max(axis=1) > 0.15
    # tight: misses on nine seeds (all but seed 8), too narrow on all nine, by 8 % to 60 % (median 22 %)
    assert np.flatnonzero(~tight_fail).tolist() == [8]
    squeeze = -tight[tight_fail, 1]
    assert (squeeze > 0).all() and 0.075 < squeeze.min() < 0.085 and 0.595 < squeeze.max() < 0.605
    assert 0.215 < np.median(squeeze) < 0.225
    assert (squeeze > 0.15).sum() == 8  # beyond 15 % on eight; seed 5's miss is the slope
    assert np.flatnonzero(tight_fail & (np.abs(tight[:, 1]) <= 0.15)).tolist() == [5] and tight[5, 2] < -1
    assert np.flatnonzero(np.abs(tight[:, 2]) > 0.15).tolist() == [0, 1, 2, 3, 4, 5, 6, 9]
    assert all(0.18 < -tight[s, 1] < 0.19 for s in (3, 7, 9))  # "18-19 %"
    assert np.abs(tight[:, 0]).max() < 0.1  # porosity spread within 10 % on every seed
    # porous: misses on five seeds; squeezed by about 20 % to 46 % on 1, 4 and 5; slope only on 8 and 9
    assert np.flatnonzero(porous_fail).tolist() == [1, 4, 5, 8, 9]
    assert np.flatnonzero(porous_fail & (porous[:, 1] < -0.15)).tolist() == [1, 4, 5]
    assert 0.19 < -porous[1, 1] < 0.2 and 0.45 < -porous[5, 1] < 0.47
    assert all(np.abs(porous[s, :2]).max() <= 0.15 < abs(porous[s, 2]) for s in (8, 9))
    # seed 0: porous within 4 %, tight Vp spread 60 % too small and slope about half
    assert np.abs(porous[0]).max() < 0.04 and -0.61 < tight[0, 1] < -0.59 and -0.55 < tight[0, 2] < -0.45


def test_ablation_counts(ablation):
    start, coin, r1, fresh, batch, rec, fixed, wide, gauss = ablation
    assert all(s["seeds"] == 10 for s in ablation)
    assert rec["step"] == "+ 2% filtering by D score (recommended)"
    assert fixed["step"] == "recommended on the baseline's 512 points"
    assert [s["masses ok"] for s in ablation] == [3, 8, 10, 10, 10, 10, 10, 10, 10]
    assert [s["distance ok"] for s in ablation] == [0, 0, 6, 4, 10, 10, 8, 9, 9]
    assert [s["off-manifold ok"] for s in ablation] == [4, 6, 6, 6, 7, 10, 9, 5, 8]
    assert [s["shape ok"] for s in ablation] == [0, 0, 1, 0, 1, 0, 0, 0, 1]
    assert [s["all ok"] for s in ablation] == [0, 0, 0, 0, 1, 0, 0, 0, 0]
    ed = [s["energy distance"][0] for s in ablation]
    assert ed[2] < ed[1] / 2  # R1 "more than halves the median energy distance"


def test_ablation_side_rows(ablation):
    rows = sorted(load_results("ablation-crossplot")["rows"], key=lambda r: r["seed"])
    steps = [s["step"] for s in ablation]

    def column(key, i):
        return np.array([r[key] for r in rows if r["step"] == steps[i]])

    rec_vp, wide_vp, gauss_vp = (column("tight Vp std error", i) for i in (5, 7, 8))
    # per-population row: median -20 % -> +10 %, from below -30 % to above +50 %, slope off on 9 seeds
    assert -0.25 < np.median(rec_vp) < -0.15 and 0.05 < np.median(wide_vp) < 0.15
    assert wide_vp.min() < -0.3 and wide_vp.max() > 0.5
    assert (np.abs(column("tight slope error", 7)) > 0.15).sum() == 9
    # Gaussian latent: median about -8 % against -21 %, closer to zero on 8 seeds; slope off on 6 vs 8
    assert -0.1 < np.median(gauss_vp) < -0.07 and -0.22 < np.median(rec_vp) < -0.2
    assert (np.abs(gauss_vp) < np.abs(rec_vp)).sum() == 8
    assert [(np.abs(column("tight slope error", i)) > 0.15).sum() for i in (8, 5)] == [6, 8]
    # the Gaussian latent's two off-manifold misses: about 3.2 % and 2.3 % (seeds 0 and 2)
    off = column("off-manifold rate", 8)
    assert np.flatnonzero(off > 0.02).tolist() == [0, 2] and off.max() < 0.035
    assert column("off-manifold rate", 5).max() <= 0.02
    # in the first two rows one seed has no tight population
    nans = [int(np.isnan(column("tight Vp std error", i)).sum()) for i in range(9)]
    assert nans == [1, 1] + [0] * 7
