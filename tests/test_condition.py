import numpy as np
import pytest
import torch

from gan_utils.condition import (
    away_from_data,
    band_coverage,
    condition,
    conditional_scores,
    effective_sample_size,
    observation_indices,
    split_rhat,
)
from gan_utils.data import make_well_logs
from gan_utils.kriging import empirical_variogram, fit_variogram, krige
from gan_utils.markov import FaciesMarkovChain, fit_facies_chain, simulate_facies_chain
from gan_utils.models import ModelSpec, build
from gan_utils.train import setup


@pytest.fixture(scope="module")
def generator():
    setup(0)
    return build(ModelSpec((8, 64, 128, 128), "leaky_relu", "sigmoid"))


@pytest.fixture(scope="module")
def truth(generator):
    with torch.no_grad():
        return generator(torch.randn(1, 8, generator=torch.Generator().manual_seed(5))).numpy()[0]


DEPTHS = [5, 30, 60, 90, 120]


def test_map_recovers_noise_free_observations_of_a_generated_log(generator, truth):
    c = condition(generator, 8, DEPTHS, truth[DEPTHS], sigma=0.005, n=10, method="map", steps=400)
    assert c.samples.shape == (10, 128) and c.z.shape == (10, 8) and c.acceptance is None
    assert np.abs(c.samples[:, DEPTHS] - truth[DEPTHS]).max() < 0.02
    again = condition(generator, 8, DEPTHS, truth[DEPTHS], sigma=0.005, n=10, method="map", steps=400)
    assert np.array_equal(c.samples, again.samples)  # reproducible


def test_pcn_honours_the_data_keeps_the_prior_and_leaves_global_rng_alone(generator, truth):
    torch.manual_seed(123)
    before = torch.rand(3)
    torch.manual_seed(123)
    c = condition(generator, 8, DEPTHS, truth[DEPTHS], sigma=0.005, n=40, steps=800, seed=3)
    assert torch.equal(torch.rand(3), before)  # private random stream
    assert 0.05 < c.acceptance < 0.9
    rms = np.sqrt(((c.samples[:, DEPTHS] - truth[DEPTHS]) ** 2).mean()) / 0.005
    assert rms < 2.0
    # prior-preserving moves: the codes keep a typical norm (MAP would shrink them)
    assert 0.6 * np.sqrt(8) < np.linalg.norm(c.z, axis=1).mean() < 1.4 * np.sqrt(8)
    # unconditioned draws from the same prior honour the data far worse
    with torch.no_grad():
        prior = generator(torch.randn(40, 8, generator=torch.Generator().manual_seed(0))).numpy()
    assert np.sqrt(((prior[:, DEPTHS] - truth[DEPTHS]) ** 2).mean()) / 0.005 > 2 * rms
    again = condition(generator, 8, DEPTHS, truth[DEPTHS], sigma=0.005, n=40, steps=800, seed=3)
    assert np.array_equal(c.samples, again.samples)


def test_band_coverage_and_masks():
    ens = np.tile(np.arange(101.0)[:, None], (1, 4))  # every depth: values 0..100
    assert band_coverage(ens, np.array([50.0, 5.0, 95.0, 10.0])) == 0.5
    assert band_coverage(ens, np.array([50.0, 5.0, 95.0, 10.0]), mask=np.array([1, 0, 0, 1], bool)) == 1.0
    assert away_from_data(10, [0, 9], halo=2).tolist() == [False] * 3 + [True] * 4 + [False] * 3
    d = observation_indices(128, 6, np.random.default_rng(0))
    edges = np.linspace(0, 128, 7)
    assert len(d) == 6 and np.all(np.diff(d) > 0)
    assert np.all((edges[:-1] <= d) & (d < edges[1:]))
    with pytest.raises(ValueError, match="k must be an integer"):
        observation_indices(128, 0, np.random.default_rng(0))


def test_conditional_scores_of_a_perfect_and_a_useless_ensemble():
    rng = np.random.default_rng(0)
    truth = rng.random(50)
    depths = [10, 30]
    sharp = truth + 0.01 * rng.standard_normal((200, 50))  # the right distribution
    hidden = truth + 0.01 * rng.standard_normal(50)  # one draw from it
    s = conditional_scores(sharp, hidden, depths, hidden[depths], sigma=0.01)
    assert 0.6 < s["coverage"] < 0.95 and s["misfit/sigma"] < 2 and s["P50 error"] < 0.015
    far = sharp + 1.0
    s = conditional_scores(far, truth, depths, truth[depths], sigma=0.01)
    assert s["coverage"] == 0.0 and s["misfit/sigma"] > 50


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"where": [0, 200], "values": [0.5, 0.5]}, "observed indices must lie in 0..127"),
        ({"where": [-1], "values": [0.5]}, "observed indices must lie in"),
        ({"where": [1, 2], "values": [0.5]}, "same length"),
        ({"where": [1.5], "values": [0.5]}, "integer"),
        ({"where": [4, 4], "values": [0.5, 0.5]}, "must not repeat"),
        ({"sigma": 0.0}, "sigma must be a positive number"),
        ({"sigma": -1.0}, "sigma must be a positive number"),
        ({"values": [float("nan")]}, "NaN"),
        ({"n": 0}, "n must be a positive integer"),
        ({"steps": -3}, "steps must be a positive integer"),
        ({"method": "hmc"}, "unknown method 'hmc'"),
        ({"beta": 1.5}, "beta"),
        ({"beta": 0.0}, "beta"),
        ({"method": "map", "lr": -0.1}, "lr must be positive"),
        ({"realism": 1.0}, "needs the discriminator"),
        ({"realism": -1.0}, "realism must be a number >= 0"),
    ],
)
def test_bad_input_is_a_clear_error(generator, kwargs, message):
    args = {"where": [3], "values": [0.5], "sigma": 0.05, "n": 2, "steps": 1, **kwargs}
    with pytest.raises(ValueError, match=message):
        condition(generator, 8, **args)


def test_a_wrong_latent_size_is_a_clear_error(generator):
    with pytest.raises(ValueError, match="does not take latent codes of size 9"):
        condition(generator, 9, [3], [0.5], sigma=0.05, n=2, steps=1)


def ar1(n_logs: int, length: int, rho: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = np.zeros((n_logs, length))
    x[:, 0] = rng.standard_normal(n_logs)
    for t in range(1, length):
        x[:, t] = rho * x[:, t - 1] + np.sqrt(1 - rho**2) * rng.standard_normal(n_logs)
    return 0.5 + 0.1 * x


def test_variogram_of_an_exponential_process_is_recovered():
    logs = ar1(400, 128, rho=np.exp(-1 / 6))  # exponential covariance, range 6, sill 0.01
    lags, gamma = empirical_variogram(logs, 30)
    assert lags.tolist() == list(range(1, 31)) and np.all(np.diff(gamma[:10]) > 0)
    v = fit_variogram(logs, 30)
    assert abs(v.range - 6) < 0.6 and abs(v.nugget + v.sill - 0.01) < 0.001 and abs(v.mean - 0.5) < 0.01
    with pytest.raises(ValueError, match="max_lag"):
        empirical_variogram(logs, 128)


def test_kriging_honours_data_and_reverts_to_the_prior_far_away():
    v = fit_variogram(ar1(400, 128, rho=np.exp(-1 / 6)), 30)
    mean, std, sims = krige(v, [20, 100], [0.8, 0.2], sigma=0.005, n=30, seed=1)
    assert sims.shape == (30, 128)
    assert abs(mean[20] - 0.8) < 0.01 and abs(mean[100] - 0.2) < 0.01 and std[20] < 0.02
    assert abs(mean[60] - v.mean) < 0.01 and abs(std[60] - np.sqrt(v.sill + v.nugget)) < 0.005
    assert np.array_equal(sims, krige(v, [20, 100], [0.8, 0.2], sigma=0.005, n=30, seed=1)[2])
    with pytest.raises(ValueError, match="observed indices must lie"):
        krige(v, [200], [0.5], sigma=0.05)
    with pytest.raises(ValueError, match="sigma must be a positive number"):
        krige(v, [20], [0.5], sigma=0)
    with pytest.raises(ValueError, match="NaN"):
        krige(v, [20], [float("nan")], sigma=0.05)


# ----------------------------------------------------------------------------- MCMC diagnostics


def test_rhat_and_ess_of_independent_correlated_and_disagreeing_chains():
    rng = np.random.default_rng(0)
    iid = rng.standard_normal((1000, 4))
    assert abs(split_rhat(iid) - 1) < 0.01 and 3000 < effective_sample_size(iid) < 4400
    ar = np.zeros((4000, 4))  # AR(1), rho 0.9: ESS = N (1 - rho) / (1 + rho) = 842
    for t in range(1, 4000):
        ar[t] = 0.9 * ar[t - 1] + rng.standard_normal(4)
    assert split_rhat(ar) < 1.01 and 650 < effective_sample_size(ar) < 1050
    shifted = iid + np.array([0, 0, 0, 1.0])  # one chain elsewhere
    assert split_rhat(shifted) > 1.05
    wider = iid * np.array([1, 1, 1, 3.0])  # same centre, one chain wider: the folded part sees it
    assert split_rhat(wider) > 1.05
    trend = np.linspace(0, 3, 1000)[:, None] + iid  # every chain drifts: the split sees it
    assert split_rhat(trend) > 1.1


@pytest.mark.parametrize(
    ("draws", "message"),
    [(np.ones((10, 3)), "constant"), (np.zeros(10), "2-D"), (np.full((10, 2), np.nan), "NaN")],
)
def test_diagnostics_of_bad_draws_are_clear_errors(draws, message):
    with pytest.raises(ValueError, match=message):
        split_rhat(draws)


def test_pcn_trace_records_every_step_and_changes_nothing(generator, truth):
    kw = dict(sigma=0.05, n=8, steps=60, seed=2)
    plain = condition(generator, 8, DEPTHS, truth[DEPTHS], **kw)
    traced = condition(generator, 8, DEPTHS, truth[DEPTHS], trace=lambda x: x.mean(dim=1), **kw)
    assert np.array_equal(plain.samples, traced.samples) and plain.trace is None
    assert traced.trace.shape == (60, 8, 2)
    assert np.allclose(traced.trace[-1, :, 1], traced.samples.mean(axis=1), atol=1e-6)
    rms = ((traced.samples[:, DEPTHS] - truth[DEPTHS]) ** 2).sum(axis=1) / (2 * 0.05**2)
    assert np.allclose(traced.trace[-1, :, 0], rms, rtol=1e-4)  # Phi of the last states
    assert [set(d) for d in traced.diagnostics()] == [{"R-hat", "ESS"}] * 2
    with pytest.raises(ValueError, match="no trace recorded"):
        plain.diagnostics()
    with pytest.raises(ValueError, match="for method 'pcn' only"):
        condition(generator, 8, DEPTHS, truth[DEPTHS], method="map", trace=len, **kw)


# ----------------------------------------------------------------------------- facies Markov chain


def test_facies_chain_is_fitted_from_logs():
    logs, _ = make_well_logs(200, seed=1)
    chain = fit_facies_chain(logs)
    assert np.allclose(chain.transition.sum(axis=1), 1) and abs(chain.initial.sum() - 1) < 1e-12
    assert np.allclose(chain.levels, (0.25, 0.75), atol=0.01) and abs(chain.noise - 0.04) < 0.004
    assert np.all((25 < chain.mean_bed()) & (chain.mean_bed() < 45))  # beds of 8-25, merging
    with pytest.raises(ValueError, match="only one facies"):
        fit_facies_chain(np.full((3, 20), 0.2))


def test_forward_filtering_backward_sampling_is_the_exact_posterior():
    """On 6 samples, the sampled facies sequences have the frequencies that enumerating all
    64 sequences with their prior and likelihood gives."""
    import itertools

    chain = FaciesMarkovChain(np.array([[0.8, 0.2], [0.3, 0.7]]), np.array([0.6, 0.4]), (0.25, 0.75), 0.04)
    depths, values, sigma = [1, 4], [0.6, 0.3], 0.2
    seqs = np.array(list(itertools.product((0, 1), repeat=6)))
    prior = chain.initial[seqs[:, 0]] * np.prod(chain.transition[seqs[:, :-1], seqs[:, 1:]], axis=1)
    residual = (np.array(values) - np.array(chain.levels)[seqs[:, depths]]) / sigma
    like = np.prod(np.exp(-0.5 * residual**2), axis=1)
    exact = prior * like / (prior * like).sum()
    logs, facies = simulate_facies_chain(chain, depths, values, sigma, length=6, n=40_000, seed=0)
    codes = facies @ (2 ** np.arange(5, -1, -1))
    freq = np.bincount(codes, minlength=64) / len(codes)
    assert np.abs(freq - exact).max() < 0.01 and logs.shape == (40_000, 6)
    again = simulate_facies_chain(chain, depths, values, sigma, length=6, n=40_000, seed=0)[0]
    assert np.array_equal(logs, again)
    with pytest.raises(ValueError, match="observed indices must lie"):
        simulate_facies_chain(chain, [9], [0.5], 0.05, length=6)


@pytest.mark.parametrize("method", ["pcn", "map"])
def test_condition_is_setup_then_potential_then_sampler(generator, truth, method):
    """The one-call entry point is its three parts run in a row: the same arrays, bit for bit."""
    from gan_utils.condition import latent_potential, map_search, pcn_chains, starting_states
    from gan_utils.models import evaluating

    c = condition(generator, 8, DEPTHS, truth[DEPTHS], 0.05, n=6, method=method, steps=40, seed=2)
    where, values = np.asarray(DEPTHS), truth[DEPTHS].astype(np.float64)
    with evaluating(2, generator):
        state, shapes = starting_states(generator, 8, 6, "fixed", where, values, 0.05)
        potential = latent_potential(generator, 8, where, values, 0.05, shapes=shapes)
        if method == "pcn":
            parts = pcn_chains(potential, state, 40, 0.25, seed=2)
        else:
            parts = map_search(potential, state, 40, 0.05)
    assert np.array_equal(c.samples, parts.samples) and np.array_equal(c.z, parts.z)
    assert (c.acceptance, c.stuck) == (parts.acceptance, parts.stuck)
    assert generator.training  # the evaluation mode is undone on exit
