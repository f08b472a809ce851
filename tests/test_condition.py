import numpy as np
import pytest
import torch

from gan_utils.condition import band_coverage, condition
from gan_utils.models import ModelSpec, build
from gan_utils.train import setup


@pytest.fixture(scope="module")
def generator():
    setup(0)
    return build(ModelSpec((8, 64, 128, 128), "leaky_relu", "sigmoid"))


def test_noise_free_observations_of_a_generated_log_are_honoured(generator):
    with torch.no_grad():
        truth = generator(torch.randn(1, 8, generator=torch.Generator().manual_seed(5))).numpy()[0]
    depths = [5, 30, 60, 90, 120]
    logs, z = condition(generator, 8, depths, truth[depths], sigma=0.005, n=10, steps=400)
    assert logs.shape == (10, 128) and z.shape == (10, 8)
    assert np.abs(logs[:, depths] - truth[depths]).max() < 0.02
    again, _ = condition(generator, 8, depths, truth[depths], sigma=0.005, n=10, steps=400)
    assert np.array_equal(logs, again)  # reproducible


def test_band_coverage():
    ens = np.tile(np.arange(101.0)[:, None], (1, 4))  # every depth: values 0..100
    assert band_coverage(ens, np.array([50.0, 5.0, 95.0, 10.0])) == 0.5
    assert band_coverage(ens, np.array([50.0, 5.0, 95.0, 10.0]), mask=np.array([1, 0, 0, 1], bool)) == 1.0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"depths": [0, 200], "values": [0.5, 0.5]}, "depths must lie in 0..127"),
        ({"depths": [-1], "values": [0.5]}, "depths must lie in"),
        ({"depths": [1, 2], "values": [0.5]}, "same length"),
        ({"depths": [1.5], "values": [0.5]}, "integer"),
        ({"sigma": 0.0}, "sigma must be a positive number"),
        ({"sigma": -1.0}, "sigma must be a positive number"),
        ({"values": [float("nan")]}, "NaN"),
        ({"n": 0}, "n must be a positive integer"),
        ({"realism": 1.0}, "needs the discriminator"),
    ],
)
def test_bad_input_is_a_clear_error(generator, kwargs, message):
    args = {"depths": [3], "values": [0.5], "sigma": 0.05, "n": 2, "steps": 1, **kwargs}
    with pytest.raises(ValueError, match=message):
        condition(generator, 8, **args)
