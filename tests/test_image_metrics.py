"""Facies-image statistics (gan_utils.image_metrics) on stand-in images whose answers are
known: straight sand bands of known width and direction, hand-drawn pixels, copies."""

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from gan_utils import image_metrics as im


@pytest.fixture(autouse=True)
def one_thread():
    with threadpool_limits(limits=1):
        yield


def bands(n, seed, size=64, angle=0.0, spread=15.0, widths=(4.0, 9.0), n_ch=3, wiggle=0.0):
    """Stand-in channel images: ``n_ch`` straight sand bands (code 1) in mud (0) per image,
    each through a random point, at ``angle`` +- ``spread`` degrees (image_metrics'
    convention), of a width drawn from ``widths``; ``wiggle`` > 0 makes them sinuous."""
    rng = np.random.default_rng(seed)
    r, c = np.mgrid[0:size, 0:size].astype(float)
    out = np.zeros((n, size, size), dtype=np.int64)
    for i in range(n):
        for _ in range(n_ch):
            t = np.deg2rad(angle + rng.uniform(-spread, spread))
            r0, c0 = rng.uniform(0, size, 2)
            d = (r - r0) * np.cos(t) - (c - c0) * np.sin(t)  # distance across the band
            along = (r - r0) * np.sin(t) + (c - c0) * np.cos(t)
            d = d - wiggle * np.sin(2 * np.pi * along / 32 + rng.uniform(0, 2 * np.pi))
            out[i][np.abs(d) < rng.uniform(*widths) / 2] = 1
    return out


def one_band(width=6, size=32, row=10, n=1):
    """Horizontal band(s) of exactly ``width`` rows starting at ``row``."""
    x = np.zeros((n, size, size), dtype=np.int64)
    x[:, row : row + width, :] = 1
    return x


# ----------------------------------------------------------------------------- checks


@pytest.mark.parametrize(
    "bad, match",
    [
        (np.zeros((8, 8)), "shape"),
        (np.full((2, 8, 8), 0.5), "fractions"),
        (np.full((2, 8, 8), np.nan), "NaN"),
        (-np.ones((2, 8, 8)), "non-negative"),
        (np.array([[["a"]]]), "dtype"),
    ],
)
def test_bad_images_give_one_line_errors(bad, match):
    with pytest.raises(ValueError, match=match):
        im.sand_proportion(bad)


def test_float_and_bool_images_with_whole_numbers_are_accepted():
    x = one_band()
    assert im.sand_proportion(x.astype(float))[0] == im.sand_proportion(x.astype(bool))[0] == 6 / 32


def test_bad_arguments():
    x = one_band()
    with pytest.raises(ValueError, match="max_lag"):
        im.indicator_variogram(x, 0, 32)
    with pytest.raises(ValueError, match="angle"):
        im.indicator_variogram(x, float("nan"))
    with pytest.raises(ValueError, match="connectivity"):
        im.sand_bodies(x, connectivity=6)
    with pytest.raises(ValueError, match="span"):
        im.spanning_fraction(x, "z")
    with pytest.raises(ValueError, match="sand"):
        im.sand_proportion(x, sand=-1)
    with pytest.raises(ValueError, match="image size"):
        im.nearest_hamming(x, np.zeros((2, 16, 16), dtype=int))


# ----------------------------------------------------------------------------- statistics


def test_sand_proportion_per_image():
    x = np.zeros((2, 4, 4), dtype=int)
    x[0, 0, :2] = 1
    x[1] = 1
    x[1, 0, 0] = 2  # levee is not sand
    np.testing.assert_allclose(im.sand_proportion(x), [2 / 16, 15 / 16])
    assert im.sand_proportion(x, sand=2)[1] == 1 / 16


def test_direction_offsets():
    np.testing.assert_array_equal(im.direction_offsets(0, 3), [[0, 1], [0, 2], [0, 3]])
    np.testing.assert_array_equal(im.direction_offsets(90, 2), [[1, 0], [2, 0]])
    np.testing.assert_array_equal(im.direction_offsets(45, 2), [[1, 1], [1, 1]])


def test_variogram_of_a_horizontal_band():
    """Along the band nothing changes; across it the semivariance is known by counting."""
    x = one_band(width=6, size=32)
    v = im.indicator_variogram(x, angle=0, max_lag=4)
    np.testing.assert_array_equal(v["along"], 0)
    # across, lag h: pairs (r, r + h) inside the image differ when exactly one is in the band
    for h, gamma in zip(v["lags"], v["across"], strict=True):
        ind = np.zeros(32)
        ind[10:16] = 1
        expected = 0.5 * np.mean(ind[h:] != ind[:-h])
        assert gamma == pytest.approx(expected)


def test_variogram_equals_gstools_along_the_axes():
    import gstools as gs

    x = bands(3, 0)
    v = im.indicator_variogram(x, 0, 8)
    for key, axis in (("along", "y"), ("across", "x")):  # gstools: x = axis 0 (rows)
        expected = np.mean([gs.vario_estimate_axis(i.astype(float), direction=axis) for i in x], axis=0)
        np.testing.assert_allclose(v[key], expected[1:9])


def test_variogram_direction_follows_the_channels():
    """Bands at 30 degrees: the variogram is lowest along 30 degrees, not along -30."""
    x = bands(60, 0, angle=30, spread=0)
    along = im.indicator_variogram(x, 30, 8)["along"]
    mirrored = im.indicator_variogram(x, -30, 8)["along"]
    assert along[-1] < 0.3 * mirrored[-1]
    sill = im.sand_proportion(x).mean() * (1 - im.sand_proportion(x).mean())
    assert im.indicator_variogram(x, 30, 8)["across"][-1] == pytest.approx(sill, rel=0.25)


def test_sand_bodies_four_and_eight_connectivity():
    x = np.zeros((2, 5, 5), dtype=int)
    x[0, 0, 0] = x[0, 1, 1] = 1  # corner contact only
    x[1, 2, :] = 1
    x[1, 4, 4] = 1
    np.testing.assert_array_equal(im.sand_bodies(x, connectivity=4), [2, 2])
    np.testing.assert_array_equal(im.sand_bodies(x, connectivity=8), [1, 2])
    assert im.sand_bodies(np.zeros((3, 4, 4), dtype=int)).tolist() == [0, 0, 0]


def test_spanning_fraction():
    x = np.zeros((3, 6, 6), dtype=int)
    x[0, 2, :] = 1  # spans left-right: 6 pixels
    x[0, 4, 1:3] = 1  # a short body: 2 pixels
    x[1, :, 3] = 1  # spans top-bottom
    np.testing.assert_allclose(im.spanning_fraction(x, "x"), [6 / 8, 0, 0])
    np.testing.assert_allclose(im.spanning_fraction(x, "y"), [0, 1, 0])
    np.testing.assert_allclose(im.spanning_fraction(x, "either"), [6 / 8, 1, 0])
    np.testing.assert_allclose(im.spanning_fraction(x, "both"), [0, 0, 0])


def test_wells_connected():
    x = np.zeros((2, 6, 10), dtype=int)
    x[0, 2, :] = 1  # one body through all wells
    x[1, 2, :5] = 1  # joins wells at columns 1 and 4 only
    x[1, 4, 8] = 1
    out = im.wells_connected(x, [1, 4, 8])
    np.testing.assert_array_equal(out, [[True, True, True], [True, False, False]])
    with pytest.raises(ValueError, match="columns"):
        im.wells_connected(x, [1])


def test_chords_measure_band_width():
    x = one_band(width=6)
    np.testing.assert_array_equal(im.chord_lengths(x, 90), [6] * 32)
    assert len(im.chord_lengths(x, 0)) == 0  # every horizontal chord touches the edges
    assert set(im.chord_lengths(x, 0, keep_edges=True)) == {32}
    # a 30-degree band of width 6, measured across it
    y = bands(20, 1, angle=30, spread=0, widths=(6.0, 6.001), n_ch=1)
    assert np.median(im.chord_lengths(y, 120)) == pytest.approx(6, abs=1)


def test_chord_distance_sees_a_width_change():
    a, b = bands(100, 2), bands(100, 3)
    narrow = bands(100, 4, widths=(2.0, 5.0))
    assert im.chord_length_distance(a, b) < 0.3 * im.chord_length_distance(a, narrow)


def test_pattern_histogram_counts_windows():
    x = np.zeros((1, 3, 3), dtype=int)
    x[0, 0, 0] = 1
    h = im.pattern_histogram(x, size=2, n_facies=2)
    assert h.shape == (16,) and h.sum() == pytest.approx(1)
    assert h[0b1000] == pytest.approx(1 / 4) and h[0] == pytest.approx(3 / 4)
    assert len(im.pattern_histogram(x, 2, n_facies=3)) == 81
    with pytest.raises(ValueError, match="n_facies"):
        im.pattern_histogram(x + 2, 2, n_facies=2)


def test_pattern_distance_sees_sinuosity():
    a, b = bands(150, 5), bands(150, 6)
    sinuous = bands(150, 7, wiggle=3.0)
    assert im.pattern_distance(a, a) == 0
    assert im.pattern_distance(a, b) < 0.3 * im.pattern_distance(a, sinuous)


def test_nearest_hamming_and_memorisation():
    train = bands(300, 10)
    fresh, other = bands(100, 11), bands(100, 12)
    assert np.all(im.nearest_hamming(train[:20], train) == 0)
    d = im.nearest_hamming(fresh[:3], train)
    brute = [min(np.mean(f != t) for t in train) for f in fresh[:3]]
    np.testing.assert_allclose(d, brute)
    honest = im.memorisation(train, fresh, other)
    copies = im.memorisation(train, train[:100], other)
    assert 0.8 < honest["ratio"] < 1.25 and honest["copy_fraction"] < 0.1
    assert copies["ratio"] == 0 and copies["copy_fraction"] == 1


def test_classifier_test():
    a, b = bands(200, 20), bands(200, 21)
    narrow = bands(200, 22, widths=(2.0, 5.0))
    assert im.image_features(a).shape == (200, 13)
    assert im.classifier_test(a, b)["accuracy"] < 0.62
    assert im.classifier_test(a, narrow)["accuracy"] > 0.75


# ----------------------------------------------------------------------------- calibration


def test_reliability_of_perfect_and_overconfident_maps():
    rng = np.random.default_rng(0)
    prob = rng.uniform(0, 1, (20, 32, 32))
    truth = (rng.uniform(0, 1, prob.shape) < prob).astype(int)  # calibrated by construction
    mask = im.observed_mask((32, 32), [4, 20])
    good = im.reliability(prob, truth, mask, exclude_within=2)
    assert good["ece"] < 0.02
    assert np.allclose(good["predicted"], good["observed"], atol=0.05)
    # pixels within 2 of columns 4 and 20 (5 columns each) are left out
    assert good["n_pixels"] == 20 * 32 * (32 - 10)
    bad = im.reliability(np.clip(2 * prob - 0.5, 0, 1), truth, mask)  # overconfident
    assert bad["ece"] > 0.1


def test_reliability_checks():
    p, t = np.full((2, 8, 8), 0.5), np.zeros((2, 8, 8), dtype=int)
    mask = im.observed_mask((8, 8), [0])
    with pytest.raises(ValueError, match="probabilities"):
        im.reliability(p + 1, t, mask)
    with pytest.raises(ValueError, match="same shape"):
        im.reliability(p[:1], t, mask)
    with pytest.raises(ValueError, match="no observed pixel"):
        im.reliability(p, t, np.zeros((8, 8), dtype=bool))
    with pytest.raises(ValueError, match="no pixel lies farther"):
        im.reliability(p, t, mask, exclude_within=20)
    with pytest.raises(ValueError, match="columns"):
        im.observed_mask((8, 8), [9])


# ----------------------------------------------------------------------------- protocol


@pytest.fixture(scope="module")
def protocol_tolerances():
    ref = bands(200, 100)
    sets = [bands(200, 200 + k) for k in range(4)]
    return ref, im.facies_tolerances(ref, sets, angle=0.0)


def test_protocol_passes_real_and_fails_a_wrong_width(protocol_tolerances):
    ref, tol = protocol_tolerances
    real_rows = im.facies_report(bands(200, 300), ref, tol)
    assert {r["statistic"] for r in real_rows} == set(tol)
    assert sum(r["ok"] for r in real_rows) >= len(real_rows) - 1
    wrong = {r["statistic"]: r["ok"] for r in im.facies_report(bands(200, 301, widths=(2.0, 5.0)), ref, tol)}
    assert not wrong["chord length across (W1, px)"] and not wrong["sand proportion"]


def test_protocol_memorisation_row():
    ref, train = bands(100, 400), bands(300, 401)
    sets = [bands(100, 500 + k) for k in range(3)]
    rows = im.facies_protocol(ref, sets, train[:100], angle=0.0, train=train, fresh=bands(100, 600))
    memo = next(r for r in rows if r["statistic"] == "nearest-training distance ratio")
    assert memo["value"] == 0 and not memo["ok"]


def test_protocol_needs_three_real_sets():
    with pytest.raises(ValueError, match="at least 3"):
        im.facies_tolerances(bands(10, 0), [bands(10, 1)])
