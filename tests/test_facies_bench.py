"""Chapter 5's experiment helpers: scores of a conditional ensemble, pooled reliability,
the summaries of the stored tables, and the stored run."""

import numpy as np
import pytest

from gan_utils.bench.channels import (
    RUN_DIR,
    channels_condition_summary,
    channels_summary,
    ensemble_scores,
    pooled_reliability,
)
from gan_utils.evaluation import nyquist_power
from gan_utils.facies import make_channels, spread_wells


def test_an_ensemble_of_copies_of_the_truth_scores_perfectly():
    truth = make_channels(1, seed=4)[0][0]
    wells = spread_wells(3)
    s = ensemble_scores(np.repeat(truth[None], 10, axis=0), truth, wells)
    assert s["honoured"] == 1.0 and s["ece"] == 0.0 and s["coverage"] == 1.0
    assert s["connection Brier"] == 0.0 and s["P(connected)"] == s["connected (truth)"]
    assert sum(s["bins count"]) > 0.6 * truth.size  # pixels more than 3 pixels from the wells


def test_an_ensemble_of_other_images_is_worse_and_honours_about_the_sand_share():
    truth = make_channels(1, seed=4)[0][0]
    others = make_channels(50, seed=5)[0]
    s = ensemble_scores(others, truth, spread_wells(2))
    assert 0.4 < s["honoured"] < 0.8
    # unconditional draws: P(sand) is near the sand proportion everywhere: calibrated, but
    # never sharp, and every facies keeps a probability above 0.1 (coverage 1)
    assert s["ece"] < 0.15 and s["coverage"] > 0.95


def test_pooled_reliability_weights_bins_by_pixels():
    rows = [
        {"bins predicted": [0.1, 0.9], "bins observed": [0.0, 1.0], "bins count": [10, 0]},
        {"bins predicted": [0.3, 0.9], "bins observed": [0.2, 1.0], "bins count": [30, 10]},
    ]
    pooled = pooled_reliability(rows)
    assert np.allclose(pooled["predicted"], [0.25, 0.9]) and np.allclose(pooled["observed"], [0.15, 1.0])
    assert list(pooled["count"]) == [40, 10]


def test_summaries_of_small_tables():
    reference = {"a": {"real": 0.3, "tolerance": 0.01, "kind": "difference"}}
    rows = [
        {"recipe": "r", "seed": s, "seconds": 10.0 + s, "a": 0.3, "a ok": ok, "checkerboard power": 0.01}
        for s, ok in enumerate((True, False, True))
    ]
    (line,) = channels_summary({"reference": reference, "rows": rows})
    assert line["seeds"] == 3 and line["all within tolerance"] == 2 and line["seconds (median)"] == 11.0
    bins = {"bins predicted": [0.5], "bins observed": [0.5], "bins count": [5]}
    cond = [
        {"method": m, "k": 3, "honoured": 1.0, "ece": 0.1, "coverage": 0.9, "connection Brier": 0.1,
         "seconds": 2.0, **bins}
        for m in ("gan-pcn", "truncated-gaussian")
    ]  # fmt: skip
    lines = channels_condition_summary({"rows": cond})
    assert [x["method"] for x in lines] == ["gan-pcn", "truncated-gaussian"] and lines[0][
        "ECE (pooled)"
    ] == 0.0


def test_checkerboard_share_is_small_for_real_maps_and_large_for_a_checkerboard():
    real = make_channels(8, seed=1)[0]
    assert nyquist_power(real) < 0.02
    board = real + 0.5 * (np.indices((64, 64)).sum(0) % 2)[None]
    assert nyquist_power(board) > 0.1


@pytest.mark.skipif(not (RUN_DIR / "generator.pt").is_file(), reason="no stored run")
def test_the_stored_run_loads_and_samples_facies_codes():
    from gan_utils.bench.channels import load_channels_run

    run = load_channels_run()
    assert run.recipe.name == "channels-gan" and sum(p.stat().st_size for p in RUN_DIR.iterdir()) < 2e6
    x = run.sample(4, seed=0)
    assert x.shape == (4, 64, 64) and set(np.unique(x)) <= {0.0, 1.0}


def test_resolution_is_zero_for_one_bin_and_grows_when_bins_separate_the_facies():
    import pytest

    from gan_utils.bench.channels import resolution

    assert resolution({"bins count": [0, 10, 0], "bins observed": [0, 0.3, 0]}) == 0.0
    sharp = resolution({"bins count": [5, 0, 5], "bins observed": [0.0, 0, 1.0]})
    assert sharp == pytest.approx(0.25)  # a perfect split of half sand: the uncertainty itself
    assert 0 < resolution({"bins count": [5, 5], "bins observed": [0.2, 0.4]}) < sharp
    with pytest.raises(ValueError, match="at least one pixel"):
        resolution({"bins count": [0, 0], "bins observed": [0, 0]})


def test_the_stored_channel_table_holds_ten_seeds_of_every_channel_recipe():
    from gan_utils.bench.channels import CHANNEL_RECIPES
    from gan_utils.bench.experiments import load_results

    rows = load_results("channels")["rows"]
    for name in CHANNEL_RECIPES:
        assert sorted(r["seed"] for r in rows if r["recipe"] == name) == list(range(10)), name
    assert {r["recipe"] for r in rows} == set(CHANNEL_RECIPES)


def test_pcn_diagnostics_summary_per_well_count_and_refuses_a_table_without_diagnostics():
    from gan_utils.bench.channels import pcn_diagnostics_summary

    diag = {"stuck": 0, "ESS (Phi)": 50.0, "R-hat (sand)": 1.5, "ESS (sand)": 40.0}
    rows = [
        {"method": "gan-pcn", "k": k, "acceptance": a, "R-hat (Phi)": r, **diag}
        for k, a, r in ((2, 0.25, 1.2), (2, 0.35, 3.0), (3, 0.3, 2.0))
    ] + [{"method": "truncated-gaussian", "k": 2}]
    lines = pcn_diagnostics_summary({"rows": rows})
    assert [(x["wells"], x["truths"]) for x in lines] == [(2, 2), (3, 1)]
    assert lines[0]["acceptance (median)"] == pytest.approx(0.3) and lines[0]["acceptance (min)"] == 0.25
    assert lines[0]["R-hat Phi (max)"] == 3.0 and lines[0]["R-hat Phi (median)"] == pytest.approx(2.1)
    with pytest.raises(ValueError, match="chain diagnostics"):
        pcn_diagnostics_summary({"rows": [{"method": "gan-pcn", "k": 2, "acceptance": 0.04}]})
