import numpy as np
import pytest

from gan_utils.data import (
    POPULATIONS,
    Standardizer,
    WellLogSpec,
    load_dataset,
    make_crossplot,
    make_toy_2d,
    make_well_logs,
)


def run_lengths(labels: np.ndarray) -> list[int]:
    edges = np.flatnonzero(np.diff(labels)) + 1
    bounds = np.concatenate([[0], edges, [len(labels)]])
    return list(np.diff(bounds))


def test_well_logs_match_the_seed_specification():
    logs, facies = make_well_logs(1024, seed=42)
    assert logs.shape == (1024, 128) and logs.dtype == np.float32
    assert logs.min() >= 0 and logs.max() <= 1
    # the source textbook's printed real statistics: mean / std 0.498 / 0.245
    assert abs(logs.mean() - 0.5) < 0.02 and abs(logs.std() - 0.245) < 0.01
    # away from bed boundaries the values sit at the two facies levels with small noise
    interior = np.zeros_like(facies, dtype=bool)
    interior[:, 1:-1] = (facies[:, :-2] == facies[:, 1:-1]) & (facies[:, 1:-1] == facies[:, 2:])
    for level, f in ((0.25, 0), (0.75, 1)):
        vals = logs[interior & (facies == f)]
        assert abs(vals.mean() - level) < 0.005
        # white noise 0.04 averaged over 3 samples: std 0.04 / sqrt(3)
        assert abs(vals.std() - 0.04 / np.sqrt(3)) < 0.003


def test_bed_thickness_is_8_to_25_samples():
    _, facies = make_well_logs(200, seed=1)
    # beds are drawn independently, so two adjacent beds may share a facies;
    # a run of one facies is then 8..50 long, and the last run may be cut short
    for row in facies:
        runs = run_lengths(row)
        assert all(r >= 8 for r in runs[:-1])
    # with every bed exactly 10 samples thick, every full run of one facies is a multiple of 10
    _, facies = make_well_logs(100, seed=2, spec=WellLogSpec(min_bed=10, max_bed=10))
    for row in facies:
        assert all(r % 10 == 0 for r in run_lengths(row)[:-1])
    assert run_lengths(facies[0])[-1] % 10 == 128 % 10 or run_lengths(facies[0])[-1] % 10 == 0


def test_smoothing_is_a_three_point_average():
    spec = WellLogSpec(noise=0.0)
    logs, facies = make_well_logs(50, seed=3, spec=spec)
    raw = np.where(facies == 1, 0.75, 0.25)
    expected = raw.copy()
    expected[:, 1:-1] = (raw[:, :-2] + raw[:, 1:-1] + raw[:, 2:]) / 3
    np.testing.assert_allclose(logs, expected, atol=1e-6)


def test_same_seed_same_data_other_seed_other_data():
    a, _ = make_well_logs(10, seed=7)
    b, _ = make_well_logs(10, seed=7)
    c, _ = make_well_logs(10, seed=8)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    p, _ = make_crossplot(20, seed=7)
    q, _ = make_crossplot(20, seed=7)
    assert np.array_equal(p, q)


def test_crossplot_populations_as_the_seed_gives_them():
    pts, labels = make_crossplot(20000, seed=0)
    assert pts.shape == (20000, 2)
    assert abs(labels.mean() - 0.5) < 0.02
    for k, pop in enumerate(POPULATIONS):
        phi, vp = pts[labels == k, 0], pts[labels == k, 1]
        assert phi.min() >= pop.phi_range[0] - 1e-6 and phi.max() <= pop.phi_range[1] + 1e-6
        assert abs(np.median(phi) - pop.phi_mean) < 0.002
        resid = vp - (pop.vp_at_mean + pop.slope * (phi - pop.phi_mean))
        assert abs(resid.mean()) < 0.003 and abs(resid.std() - pop.vp_noise) < 0.003
    # the source textbook's printed real statistics (512 points): phi 0.181 / 0.101, Vp 3.866 / 0.700
    small, _ = make_crossplot(512, seed=42)
    assert abs(small[:, 0].mean() - 0.18) < 0.02 and abs(small[:, 1].std(ddof=1) - 0.70) < 0.05


def test_standardisation_round_trip():
    data = load_dataset("crossplot", 512, seed=42)
    z = data.train
    np.testing.assert_allclose(z.mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(z.std(0, ddof=1), 1, atol=1e-5)
    np.testing.assert_allclose(data.to_physical(z), data.physical, rtol=1e-5)
    ident = Standardizer.identity(3)
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    assert np.array_equal(ident.to_standard(x), x)


def test_toy_mixture_has_its_modes():
    pts, labels = make_toy_2d(3000, seed=0, n_modes=3)
    assert set(np.unique(labels)) == {0, 1, 2}
    radii = np.linalg.norm(pts, axis=1)
    assert abs(np.median(radii) - 2.0) < 0.1


@pytest.mark.parametrize(
    "call",
    [
        lambda: make_well_logs(0),
        lambda: make_well_logs(2.5),
        lambda: make_crossplot(-1),
        lambda: WellLogSpec(min_bed=10, max_bed=5),
        lambda: WellLogSpec(noise=-0.1),
        lambda: load_dataset("seismic"),
    ],
)
def test_bad_input_is_a_clear_value_error(call):
    with pytest.raises(ValueError):
        call()
