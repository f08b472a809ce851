import math

import numpy as np
import pytest
from scipy import stats

from gan_utils import metrics
from gan_utils.data import make_well_logs
from gan_utils.evaluation import real_vs_real


def test_optimal_discriminator_formula():
    assert np.allclose(metrics.optimal_discriminator([1.0, 0.0, 2.0], [1.0, 1.0, 0.0]), [0.5, 0.0, 1.0])
    assert metrics.optimal_discriminator([0.0], [0.0])[0] == 0.5
    with pytest.raises(ValueError):
        metrics.optimal_discriminator([1.0, 2.0], [1.0])


def test_value_at_optimum_is_minus_log4_plus_2jsd():
    x = np.linspace(-10, 10, 20001)
    p, q = stats.norm.pdf(x, 0, 1), stats.norm.pdf(x, 1.5, 0.7)
    d_star = metrics.optimal_discriminator(p, q)
    jsd = metrics.jensen_shannon(p, q, x)
    assert 0 < jsd < math.log(2)
    assert metrics.value_function(d_star, p, q, x) == pytest.approx(-math.log(4) + 2 * jsd, abs=1e-6)
    assert metrics.jensen_shannon(p, p, x) == pytest.approx(0, abs=1e-9)
    far = stats.norm.pdf(x, 8, 0.3)
    assert metrics.jensen_shannon(stats.norm.pdf(x, -8, 0.3), far, x) == pytest.approx(math.log(2), abs=1e-6)


def test_energy_distance_matches_scipy_in_1d_and_separates_in_2d():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=300), rng.normal(0.3, 1.2, size=200)
    assert metrics.energy_distance(a, b) == pytest.approx(stats.energy_distance(a, b), rel=1e-9)
    x = rng.normal(size=(400, 2))
    same = metrics.energy_distance(x, rng.normal(size=(400, 2)))
    shifted = metrics.energy_distance(x, rng.normal(size=(400, 2)) + [1.0, 0.0])
    assert same < 0.15 < shifted
    with pytest.raises(ValueError, match="NaN"):
        metrics.energy_distance(x, np.full((5, 2), np.nan))
    with pytest.raises(ValueError, match="dimension"):
        metrics.energy_distance(x, np.zeros((5, 3)))


def test_real_vs_real_baseline():
    spread = real_vs_real(
        metrics.energy_distance, lambda s: np.random.default_rng(s).normal(size=(200, 2)), n_pairs=4
    )
    assert spread.shape == (4,) and (spread > 0).all() and spread.max() < 0.3


def test_mode_coverage_flags_a_dropped_mode():
    centres = np.array([[0.0, 2.0], [-2.0, -1.0], [2.0, -1.0]])
    rng = np.random.default_rng(1)
    good = centres[rng.integers(0, 3, 900)] + 0.1 * rng.normal(size=(900, 2))
    per_mode, off = metrics.mode_coverage(good, centres, 0.5)
    assert np.all(np.abs(per_mode - 1 / 3) < 0.05) and off < 0.01
    collapsed = centres[[0] * 900] + 0.1 * rng.normal(size=(900, 2))
    per_mode, _ = metrics.mode_coverage(collapsed, centres, 0.5)
    assert per_mode[1] == 0 and per_mode[2] == 0


def test_well_log_structure_metrics_separate_real_from_noise():
    real, _ = make_well_logs(300, seed=0)
    rng = np.random.default_rng(0)
    noise = np.clip(rng.normal(real.mean(), real.std(), real.shape), 0, 1)
    assert metrics.transitions_per_log(real).mean() < 8 < metrics.transitions_per_log(noise).mean()
    assert metrics.lag_autocorrelation(real) > 0.9 > 0.2 > metrics.lag_autocorrelation(noise)
    assert metrics.fraction_between(real) < 0.1 < 0.2 < metrics.fraction_between(noise)
    step = np.zeros((1, 10))
    step[0, 5:] = 1
    assert metrics.transitions_per_log(step)[0] == 1
    with pytest.raises(ValueError):
        metrics.lag_autocorrelation(real, lag=0)
    with pytest.raises(ValueError):
        metrics.transitions_per_log(np.zeros(5))


def test_markdown_table_formats_columns():
    from gan_utils.plots import table

    md = table([{"a": "x", "b": 1.23456}, {"a": "y", "b": 2.0}], {"b": ".2f"}).data
    assert md.splitlines() == ["| a | b |", "|---|---|", "| x | 1.23 |", "| y | 2.00 |"]
    with pytest.raises(ValueError):
        table([])


def test_transposed_table_has_one_column_per_row():
    from gan_utils.plots import transposed_table

    md = transposed_table([{"name": "a", "x": 1.0}, {"name": "b", "x": 2.5}], "name", {"x": ".1f"}).data
    assert md.splitlines() == ["|  | a | b |", "|---|---|---|", "| x | 1.0 | 2.5 |"]


def test_nearest_distances_match_a_brute_force_search():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(40, 3)), rng.normal(size=(30, 3))
    cross = np.sqrt(((a[:, None] - b[None]) ** 2).sum(-1))
    within = np.sqrt(((a[:, None] - a[None]) ** 2).sum(-1))
    np.fill_diagonal(within, np.inf)
    assert np.allclose(metrics.nearest_distances(a, b), cross.min(axis=1))
    assert np.allclose(metrics.nearest_distances(a, b, k=4), np.sort(cross, axis=1)[:, 3])
    assert np.allclose(metrics.nearest_distances(a, k=2), np.sort(within, axis=1)[:, 1])  # never itself
    assert metrics.nearest_neighbour_distance(a) == pytest.approx(within.min(axis=1).mean())


def test_diversity_rule_is_a_share_of_the_real_distance():
    assert metrics.is_diverse(0.9, 1.0) and metrics.is_diverse(2.0, 1.0)
    assert not metrics.is_diverse(0.89, 1.0)
