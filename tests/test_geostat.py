"""The truncated-Gaussian baseline (gan_utils.geostat): the bigaussian link against
scipy's bivariate normal, the fit on stand-in band images, unconditional proportions and
directions, and conditioning that honours every observed pixel."""

import time

import gstools as gs
import numpy as np
import pytest
from scipy.stats import multivariate_normal, norm
from test_image_metrics import bands
from threadpoolctl import threadpool_limits

from gan_utils import geostat as G
from gan_utils import image_metrics as im


@pytest.fixture(autouse=True)
def one_thread():
    with threadpool_limits(limits=1):
        yield


@pytest.fixture(scope="module")
def fitted():
    return G.fit_truncated_gaussian(bands(400, 0), angle=0.0)


def test_indicator_covariance_matches_the_bivariate_normal():
    for t, rho in [(0.0, 0.3), (0.6, 0.5), (-1.0, 0.9), (0.6, -0.4)]:
        both_above = multivariate_normal([0, 0], [[1, rho], [rho, 1]]).cdf([-t, -t])
        expected = both_above - norm.sf(t) ** 2
        assert G.indicator_covariance(rho, t) == pytest.approx(expected, abs=1e-6)
    p = norm.sf(0.6)
    assert G.indicator_covariance(1.0, 0.6) == pytest.approx(p * (1 - p), abs=1e-6)
    rho = np.linspace(-0.9, 0.99, 7)
    np.testing.assert_allclose(G.gaussian_correlation(G.indicator_covariance(rho, 0.6), 0.6), rho, atol=2e-3)


def test_truncated_normal_stays_inside_and_has_the_right_mean():
    rng = np.random.default_rng(0)
    lo = np.array([-np.inf, 0.5, 40.0, -1.0, -np.inf])
    hi = np.array([0.0, np.inf, np.inf, 1.0, -45.0])
    x = G.truncated_normal(np.tile(lo, (4000, 1)), np.tile(hi, (4000, 1)), rng)
    assert np.all((x >= lo) & (x <= hi)) and np.isfinite(x).all()
    assert x[:, 0].mean() == pytest.approx(-norm.pdf(0) / 0.5, abs=0.05)  # half-normal
    assert x[:, 1].mean() == pytest.approx(norm.pdf(0.5) / norm.sf(0.5), abs=0.05)


def test_hmc_matches_rejection_sampling_where_gibbs_does_not():
    """Six pixels of one well under a smooth covariance: the truncated multivariate normal
    by brute force (keep the unconditional draws that honour every facies) against the
    two samplers' chains."""
    model = gs.Gaussian(dim=2, var=1.0, len_scale=3.0)
    m = G.TGModel(model, (0, 1), (0.0,), (16, 16), 0.0)
    where, values = np.arange(6) * 16 + 5, np.array([1, 1, 0, 0, 1, 1])
    lo, hi = m._intervals(values)
    cov = m._cov(where, where) + m.jitter * np.eye(6)
    draws = np.random.default_rng(0).multivariate_normal(np.zeros(6), cov, size=1_000_000)
    exact = draws[((draws > lo) & (draws < hi)).all(axis=1)]
    assert len(exact) > 2000
    hmc = m.hmc(where, values, n=1000, iterations=10, seed=1)
    assert np.all((hmc >= lo) & (hmc <= hi))
    np.testing.assert_allclose(hmc.mean(axis=0), exact.mean(axis=0), atol=0.06)
    np.testing.assert_allclose(hmc.std(axis=0), exact.std(axis=0), atol=0.06)
    gibbs = m.gibbs(where, values, n=1000, sweeps=50, seed=1)
    assert np.abs(gibbs.mean(axis=0) - exact.mean(axis=0)).max() > 0.2  # stuck near its start


def test_fit_recovers_proportion_and_direction(fitted):
    m = fitted
    assert m.facies == (0, 1) and len(m.thresholds) == 1
    p = im.sand_proportion(bands(400, 0)).mean()
    assert m.thresholds[0] == pytest.approx(norm.ppf(1 - p))
    assert m.fit["r2"] > 0.8
    along = np.array([[0.0], [5.0]])  # (row, column) offsets: 5 pixels along a row
    across = np.array([[5.0], [0.0]])
    assert m.model.cov_spatial(along)[0] > m.model.cov_spatial(across)[0] + 0.2
    assert m.embedding_loss <= G.EMBEDDING_TOLERANCE


def test_unconditional_simulation_matches_proportion_and_variogram(fitted):
    train = bands(400, 0)
    sims = fitted.simulate(200, seed=1)
    assert sims.shape == (200, 64, 64) and set(np.unique(sims)) <= {0, 1}
    # mean proportion over 200 realisations: its sd across seeds is about 0.005 here
    assert im.sand_proportion(sims).mean() == pytest.approx(im.sand_proportion(train).mean(), abs=0.02)
    v_sim, v_train = im.indicator_variogram(sims, 0, 12), im.indicator_variogram(train, 0, 12)
    np.testing.assert_allclose(v_sim["across"], v_train["across"], atol=0.03)
    assert np.all(v_sim["along"] < v_sim["across"])
    g = fitted.gaussian(50, seed=2)
    assert abs(g.mean()) < 0.15 and g.std() == pytest.approx(1, abs=0.1)


def test_oblique_model_is_oriented_like_the_images():
    model = gs.Gaussian(dim=2, var=1.0, len_scale=[20.0, 4.0], angles=np.deg2rad(90 - 30))
    m = G.TGModel(model, (0, 1), (0.6,), (64, 64), 30.0)
    sims = m.simulate(60, seed=0)
    along = im.indicator_variogram(sims, 30, 8)["along"][-1]
    assert along < 0.5 * im.indicator_variogram(sims, -30, 8)["along"][-1]


def test_conditional_simulation_honours_wells_and_is_fast(fitted):
    truth = bands(1, 77)[0]
    where, values = G.well_observations(truth, [8, 32, 56])
    assert len(where) == 3 * 64 and np.array_equal(values, truth[:, [8, 32, 56]].T.ravel())
    start = time.perf_counter()
    sims = fitted.simulate_conditional(where, values, n=50, seed=3)
    seconds = time.perf_counter() - start
    assert sims.shape == (50, 64, 64)
    assert np.all(sims.reshape(50, -1)[:, where] == values)
    assert seconds < 60  # a few seconds on an idle machine; generous for a loaded one
    # away from the wells the realisations differ
    assert (sims[:, :, 20] != sims[0, :, 20]).any()
    again = fitted.simulate_conditional(where, values, n=50, seed=3)
    assert np.array_equal(sims, again)


def test_three_facies_with_levee_between_mud_and_sand():
    from scipy import ndimage

    x = bands(200, 5)
    levee = np.stack([ndimage.binary_dilation(i == 1, iterations=2) for i in x]) & (x == 0)
    x[levee] = 2
    m = G.fit_truncated_gaussian(x)
    assert m.facies == (0, 2, 1) and m.thresholds[0] < m.thresholds[1]
    sims = m.simulate(100, seed=0)
    for code in (0, 1, 2):
        assert np.mean(sims == code) == pytest.approx(np.mean(x == code), abs=0.03)
    where, values = G.well_observations(x[0], [5, 40])
    for sampler in G.SAMPLERS:
        cond = m.simulate_conditional(where, values, n=10, seed=1, sampler=sampler, steps=5)
        assert np.all(cond.reshape(10, -1)[:, where] == values)


def test_bad_arguments(fitted):
    where, values = G.well_observations(bands(1, 3)[0], [10])
    with pytest.raises(ValueError, match="not among"):
        fitted.simulate_conditional(where, values + 3, n=2)
    with pytest.raises(ValueError, match="one length"):
        fitted.simulate_conditional(where[:-1], values, n=2)
    with pytest.raises(ValueError, match="distinct"):
        fitted.simulate_conditional(np.r_[where, where[:1]], np.r_[values, values[:1]], n=2)
    with pytest.raises(ValueError, match="columns"):
        G.well_observations(bands(1, 3)[0], [64])
    with pytest.raises(ValueError, match="model"):
        G.fit_truncated_gaussian(bands(5, 0), model="Spline")
    with pytest.raises(ValueError, match="facies_order"):
        G.fit_truncated_gaussian(np.zeros((3, 8, 8), dtype=int))
    with pytest.raises(ValueError, match="facies_order"):
        G.fit_truncated_gaussian(bands(5, 0), facies_order=(0, 2))
    with pytest.raises(ValueError, match="n must"):
        fitted.simulate(0)
    with pytest.raises(ValueError, match="sampler"):
        fitted.simulate_conditional(where, values, n=2, sampler="metropolis")
