"""condition(..., noise="sampled"): the generator's own noise in the pCN state.

A toy generator x = z + eps (one latent, one noise draw, both standard normal) observed
with error sigma has a closed-form joint posterior, so the chains can be checked against it;
with the default noise="fixed" every chain keeps its prior draw of eps, and the ensemble is
a mixture over that prior instead.
"""

import numpy as np
import pytest
import torch
from torch import nn

from gan_utils.condition import condition


class Noisy(nn.Module):
    """x = w * z + randn_like: one output per realisation (w = 1)."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.ones(()))

    def forward(self, z):
        x = self.w * z
        return x + torch.randn_like(x)


class Quiet(Noisy):
    def forward(self, z):
        return self.w * z


D, SIGMA = 2.0, 0.5
# x = z + eps with z, eps ~ N(0, 1) and d = x + N(0, sigma^2): prior var of x is 2
POST_VAR = 2 * SIGMA**2 / (2 + SIGMA**2)
POST_MEAN = 2 * D / (2 + SIGMA**2)


def run(generator, noise, n=400, seed=0, steps=400):
    return condition(generator, 1, [0], [D], SIGMA, n=n, steps=steps, seed=seed, noise=noise)


def test_sampled_noise_targets_the_joint_posterior():
    c = run(Noisy(), "sampled")
    x = c.samples[:, 0]
    assert c.noise.shape == (400, 1) and c.z.shape == (400, 1)
    assert np.allclose(x, c.z[:, 0] + c.noise[:, 0], atol=1e-5)  # the noise the chain kept
    se_mean = np.sqrt(POST_VAR / len(x))
    assert abs(x.mean() - POST_MEAN) < 4 * se_mean
    assert 0.75 * POST_VAR < x.var() < 1.3 * POST_VAR
    # the noise is conditioned too: E[eps | d] = d / (2 + sigma^2) = 0.89, not 0
    assert abs(c.noise[:, 0].mean() - D / (2 + SIGMA**2)) < 0.15


def test_fixed_noise_is_the_default_and_a_mixture_over_the_noise_prior():
    fixed = run(Noisy(), "fixed")
    default = condition(Noisy(), 1, [0], [D], SIGMA, n=400, steps=400, seed=0)
    assert np.array_equal(fixed.samples, default.samples) and default.noise is None
    # each chain's eps stays a prior draw, so the chains do not share one target: the
    # fixed-noise ensemble's mean is pulled away from the joint posterior's
    eps = fixed.samples[:, 0] - fixed.z[:, 0]
    assert abs(eps.mean()) < 0.2  # still centred on the prior's 0, not on 0.89
    sampled = run(Noisy(), "sampled")
    assert abs(fixed.samples[:, 0].mean() - POST_MEAN) > abs(sampled.samples[:, 0].mean() - POST_MEAN)


def test_a_generator_without_noise_is_unaffected():
    a, b = run(Quiet(), "fixed", n=20, steps=50), run(Quiet(), "sampled", n=20, steps=50)
    assert np.array_equal(a.samples, b.samples) and b.noise.shape == (20, 0)


def test_sampled_noise_is_reproducible_and_leaves_the_global_stream_alone():
    torch.manual_seed(1)
    before = torch.rand(2)
    torch.manual_seed(1)
    a = run(Noisy(), "sampled", n=10, steps=50, seed=3)
    assert torch.equal(torch.rand(2), before)
    b = run(Noisy(), "sampled", n=10, steps=50, seed=3)
    assert np.array_equal(a.samples, b.samples) and np.array_equal(a.noise, b.noise)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(noise="free"), "noise"),
        (dict(noise="sampled", method="map"), "method 'pcn'"),
    ],
)
def test_bad_noise_settings_are_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        condition(Noisy(), 1, [0], [D], SIGMA, n=4, steps=10, **kwargs)
