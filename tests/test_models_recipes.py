import pytest
import torch

from gan_utils.models import ModelSpec, build, n_parameters
from gan_utils.recipes import RECIPES, get_recipe, list_recipes


def test_seed_networks_have_the_seed_shapes():
    r = get_recipe("well-logs-lsgan")
    g, d = build(r.generator), build(r.discriminator)
    x = g(torch.randn(5, 8))
    assert x.shape == (5, 128) and x.min() >= 0 and x.max() <= 1  # sigmoid output
    assert d(x).shape == (5, 1)
    assert n_parameters(g) == 8 * 64 + 64 + 64 * 128 + 128 + 128 * 128 + 128
    c = get_recipe("crossplot-wgan")
    assert build(c.generator)(torch.randn(7, 4)).shape == (7, 2)
    assert n_parameters(build(c.discriminator)) == 2 * 48 + 48 + 48 * 48 + 48 + 48 + 1


def test_seed_recipes_carry_the_seed_numbers():
    r = get_recipe("well-logs-lsgan")
    assert (r.generator.sizes, r.discriminator.sizes) == ((8, 64, 128, 128), (128, 64, 32, 1))
    assert (r.loss, r.optimizer, r.lr, r.steps, r.batch_size, r.critic_steps) == (
        "least-squares",
        "adam",
        2e-4,
        1500,
        128,
        1,
    )
    assert r.generator.activation == "leaky_relu" and r.generator.output == "sigmoid"
    c = get_recipe("crossplot-wgan")
    assert (c.generator.sizes, c.discriminator.sizes) == ((4, 48, 48, 2), (2, 48, 48, 1))
    assert (c.generator.activation, c.discriminator.activation) == ("relu", "leaky_relu")
    assert (c.loss, c.optimizer, c.lr, c.alpha, c.clip, c.critic_steps, c.steps, c.batch_size) == (
        "wasserstein",
        "rmsprop",
        2.5e-4,
        0.9,
        0.03,
        4,
        700,
        128,
    )
    assert (r.n_real, c.n_real) == (1024, 512)


def test_list_recipes_records():
    rows = list_recipes()
    assert {r["name"] for r in rows} == set(RECIPES)
    assert all(set(r) >= {"name", "dataset", "recommended", "description"} for r in rows)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"lr": -1e-3}, "lr must be a positive number"),
        ({"lr": 0.0}, "lr must be a positive number"),
        ({"lr": float("nan")}, "lr must be a positive number"),
        ({"batch_size": 0}, "batch_size must be a positive integer"),
        ({"steps": -5}, "steps must be a positive integer"),
        ({"critic_steps": 1.5}, "critic_steps must be a positive integer"),
        ({"clip": 0.0}, "clip must be a positive number"),
        ({"clip": -0.01}, "clip must be a positive number"),
        ({"loss": "hinge"}, "unknown loss"),
        ({"optimizer": "lbfgs"}, "unknown optimizer"),
        ({"dataset": "seismic"}, "unknown dataset"),
        ({"generator": ModelSpec((8, 64, 100))}, "generator makes 100 values"),
        ({"colour": "red"}, "no field"),
    ],
)
def test_bad_recipe_changes_are_clear_errors(changes, message):
    with pytest.raises(ValueError, match=message):
        get_recipe("well-logs-lsgan").replace(**changes)


def test_unknown_recipe_lists_the_names():
    with pytest.raises(ValueError, match="crossplot-wgan"):
        get_recipe("wgan")


@pytest.mark.parametrize(
    "spec",
    [
        dict(sizes=(3,)),
        dict(sizes=(3, 0, 1)),
        dict(sizes=(2, 1), activation="swish"),
        dict(sizes=(2, 1), kind="unet"),
    ],
)
def test_bad_model_specs(spec):
    with pytest.raises(ValueError):
        ModelSpec(**spec)
