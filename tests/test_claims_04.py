"""Chapter 4's claims about its stored tables (gan_utils/results/condition*.json).

The chapter and its evidence page print these tables; the prose quotes numbers from them.
These checks fail when a table is re-made and the prose no longer matches it.
"""

import numpy as np
import pytest

from gan_utils.bench.experiments import condition_summary, load_results

IDEAL = 0.8 * 49 / 51  # a calibrated 50-member P10-P90 band
KS = (3, 6, 12)


@pytest.fixture(scope="module")
def bench():
    return load_results("condition")


@pytest.fixture(scope="module")
def line(bench):
    return {(s["method"], s["observations"]): s for s in condition_summary(bench)}


def by_k(line, method):
    return [line[method, k] for k in KS]


def n_se(s):  # standard errors between a coverage and the calibrated 0.77
    return (s["coverage (mean)"] - IDEAL) / s["coverage (s.e.)"]


def paired(rows, a, b, column, k):  # mean and s.e. over wells of (a - b), well by well
    value = {(r["truth"], r["method"]): r[column] for r in rows if r["k"] == k}
    diff = np.array([value[t, a] - value[t, b] for t in sorted({t for t, _ in value})])
    return diff.mean(), diff.std(ddof=1) / np.sqrt(len(diff))


def test_pcn_honours_the_data_and_covers_0_74_a_little_below_calibrated(line):
    pcn = by_k(line, "gan-pcn")
    assert all(s["misfit/sigma (median)"] < 1 and s["misfit/sigma <= 1.5"] < 20 for s in pcn)
    assert all(abs(s["coverage (mean)"] - 0.74) < 0.005 for s in pcn)  # "0.74 at every number"
    assert all(-2.4 < n_se(s) < -1.3 for s in pcn)  # "1.4 to 2.3 s.e. below"


def test_map_misses_the_readings_and_covers_least(line):
    assert all(3 <= s["misfit/sigma (median)"] < 4.1 for s in by_k(line, "gan-map"))  # "about 3-4"
    for k in KS:
        p, m, kr, c = (line[x, k] for x in ("gan-pcn", "gan-map", "kriging", "markov"))
        assert m["coverage (mean)"] < min(x["coverage (mean)"] for x in (p, kr, c))
        assert p["P50 error (mean)"] < min(x["P50 error (mean)"] for x in (m, kr, c))  # smallest P50


def test_kriging_calibrated_with_3_over_covers_with_12_a_quarter_in_between(line):
    kri = by_k(line, "kriging")
    assert abs(kri[0]["coverage (mean)"] - 0.78) < 0.005 and abs(n_se(kri[0])) < 0.5
    assert 1.5 < n_se(kri[1]) < 2 and n_se(kri[2]) > 2.5
    assert kri[2]["coverage (mean)"] < 0.835  # "0.78 to 0.83"
    assert all(0.2 < s["fraction between 0.4 and 0.6 (mean)"] < 0.3 for s in kri)  # "a quarter"


def test_markov_chain_as_sharp_as_calibrated_as_the_gan_fits_less_well(line):
    mkv, pcn = by_k(line, "markov"), by_k(line, "gan-pcn")
    assert all(0.735 < s["coverage (mean)"] < 0.76 and -1.6 < n_se(s) < 0 for s in mkv)
    assert all(1.1 < s["misfit/sigma (median)"] < 1.3 for s in mkv)  # "1.1 to 1.3"
    for c, p in zip(mkv, pcn, strict=True):
        assert abs(c["band width (mean)"] - p["band width (mean)"]) < 0.025  # "as sharp"
    assert all(s["fraction between 0.4 and 0.6 (mean)"] < 0.06 for s in mkv + pcn)  # two levels
    assert all(0.05 < s["seconds (median)"] < 0.07 for s in mkv)  # "about 60 ms"
    assert all(1.5 < s["seconds (median)"] < 2.5 for s in pcn)  # "about 2 s"


def test_coverage_standard_errors_are_0_01_to_0_03(line):
    assert all(0.01 <= s["coverage (s.e.)"] <= 0.035 for s in line.values())


def test_paired_p50_differences(bench):
    rows = bench["rows"]
    (g3, e3), (g6, e6), (g12, e12) = (paired(rows, "markov", "gan-pcn", "P50 error", k) for k in KS)
    assert abs(g3) < e3 and 1.65 < g6 / e6 < 1.75 and 2.75 < g12 / e12 < 2.85  # tied, 1.7, 2.8
    for m in ("kriging", "gan-map"):  # behind pCN by more than 2 paired s.e. everywhere
        assert all(g / e > 2 for g, e in (paired(rows, m, "gan-pcn", "P50 error", k) for k in KS))


def test_thin_beds_every_method_covers_less_the_gan_least(bench, line):
    mis = load_results("condition-misspecified")
    thin = {s["method"]: s for s in condition_summary(mis)}
    same = {m: line[m, mis["k"]] for m in thin}
    drop = {m: same[m]["coverage (mean)"] - t["coverage (mean)"] for m, t in thin.items()}
    assert all(d > 0.05 for d in drop.values())  # every method covers less
    widen = {m: t["band width (mean)"] - same[m]["band width (mean)"] for m, t in thin.items()}
    assert 0.004 < widen["gan-pcn"] < 0.006  # "the GAN's is 0.005 wider"
    assert abs(widen["kriging"]) < 0.0005 and widen["markov"] < -0.01  # "the same", "narrower"
    assert drop["gan-pcn"] == min(drop.values()) and max(drop.values()) > 0.15
    for m, low, high in (("markov", 2.5, 2.7), ("kriging", 3.8, 4.2)):  # "2.6 and 4 s.e."
        sets = (bench["rows"], mis["rows"])
        (a, ea), (b, eb) = (paired(r, m, "gan-pcn", "coverage", mis["k"]) for r in sets)
        assert low < (a - b) / np.hypot(ea, eb) < high
    assert IDEAL - thin["gan-pcn"]["coverage (mean)"] > 4 * thin["gan-pcn"]["coverage (s.e.)"]
