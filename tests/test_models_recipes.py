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


# ------------------------------------------------------------------ issue 16: options and ablations


def test_coin_affine_generator_starts_as_the_coin_generator():
    from gan_utils.models import CoinAffineMLP, CoinLatentMLP

    spec = ModelSpec((4, 48, 48, 2), "relu", kind="mlp-coin-affine")
    torch.manual_seed(0)
    affine = build(spec)
    torch.manual_seed(0)
    coin = CoinLatentMLP(ModelSpec((4, 48, 48, 2), "relu", kind="mlp-coin"))
    assert isinstance(affine, CoinAffineMLP) and affine.maps.shape == (2, 3, 2)
    z = torch.randn(9, 4)
    assert torch.equal(affine(z), coin(z))  # the per-population maps start at zero
    with torch.no_grad():
        affine.maps[1] = 1.0
    heads = z[:, 0] > 0
    moved = (affine(z) - coin(z)).abs().sum(dim=1) > 0
    assert torch.equal(moved, heads)  # each map acts on its own side of the coin only


def test_well_log_physics_options():
    from gan_utils.models import WellLogConvCritic, WellLogPhysicsGenerator

    torch.manual_seed(0)
    z = torch.randn(4, 128)
    hard = WellLogPhysicsGenerator(facies="straight-through", latent_length=8, latent_channels=16)
    hard.p_noise.data.fill_(-10.0)  # no noise: a hard facies gives two levels and tool ramps
    x = hard(z)
    assert x.shape == (4, 128)
    levels = {round(v, 4) for v in x[:, 1:-1].flatten().tolist()}
    assert levels <= {0.4, 0.6, round(0.4 + 0.2 / 3, 4), round(0.4 + 0.4 / 3, 4)}
    x.sum().backward()  # the straight-through facies passes the sigmoid's gradient
    assert hard.net[0].weight.grad.abs().sum() > 0
    plain = WellLogPhysicsGenerator(measurement=False)(z)
    assert plain.min() > 0 and plain.max() < 1
    with pytest.raises(ValueError, match="latent_length"):
        WellLogPhysicsGenerator(latent_length=12)
    with pytest.raises(ValueError, match="facies"):
        WellLogPhysicsGenerator(facies="gumbel")
    for spectral in (True, False):
        for mbstd in (True, False):
            assert WellLogConvCritic(spectral=spectral, minibatch_std=mbstd)(x.detach()).shape == (4, 1)


def test_granulometry_shows_beds_thinner_than_each_length():
    from gan_utils.models import WellLogConvCritic

    critic = WellLogConvCritic(kernel=15, granulometry=(3, 5, 9, 17))
    x = torch.full((3, 1, 128), 0.25)
    x[0, 0, 40:45] = 0.75  # a 5-sample shale bed
    x[1, 0, 40:60] = 0.75  # a 20-sample shale bed
    x[2] = 1.0 - x[0]  # a 5-sample sand bed in shale
    hats = critic._top_hats(x)  # per length: white top-hat, black top-hat
    peaks = [[round(h[i].max().item(), 4) for h in hats] for i in range(3)]
    assert peaks[0] == [0, 0, 0, 0, 0.5, 0, 0.5, 0]  # seen from length 9 on, as a peak
    assert peaks[1] == [0] * 8  # thicker than every length: invisible
    assert peaks[2] == [0, 0, 0, 0, 0, 0.5, 0, 0.5]  # a trough: the black top-hat
    assert critic(x.squeeze(1)).shape == (3, 1)
    with pytest.raises(ValueError, match="odd and at least 3"):
        WellLogConvCritic(granulometry=(4,))


@pytest.mark.parametrize("which", ["ablation-crossplot", "ablation-well-logs"])
def test_ablation_ladders_add_one_ingredient_per_step(which):
    import dataclasses

    from gan_utils.bench.experiments import ablation_ladder

    ladder = ablation_ladder(which)
    assert len({label for label, _ in ladder}) == len(ladder)
    main = ladder[:6] if which == "ablation-crossplot" else ladder[1:7]  # 0 -> 1: both networks
    for (_, before), (label, after) in zip(main[:-1], main[1:], strict=True):
        changed = [
            f.name
            for f in dataclasses.fields(before)
            if f.name != "name" and getattr(before, f.name) != getattr(after, f.name)
        ]
        assert 1 <= len(changed) <= 5, (label, changed)  # one ingredient (batch/lr/steps go together)


def test_pick_levels_recovers_the_measurement_of_two_level_logs():
    import numpy as np

    from gan_utils.data import WellLogSpec, make_well_logs
    from gan_utils.models import pick_levels

    tool = torch.full((3,), 1 / 3)
    for spec in (WellLogSpec(), WellLogSpec(levels=(0.3, 0.6), noise=0.02)):
        logs = torch.as_tensor(make_well_logs(1024, np.random.default_rng(5), spec)[0], dtype=torch.float32)
        low, high, noise = pick_levels(logs, tool)
        assert abs(low - spec.levels[0]) < 1e-3 and abs(high - spec.levels[1]) < 1e-3
        assert abs(noise / spec.noise - 1) < 0.02
    # shale on one sample in five: the split does not assume the facies equally common
    logs, facies = make_well_logs(1024, np.random.default_rng(6))
    rare = facies.astype(bool) & (np.random.default_rng(7).random(facies.shape[0]) < 0.25)[:, None]
    logs = np.where(facies.astype(bool) & ~rare, logs - 0.5, logs)  # most shale beds become sand
    assert 0.1 < rare.mean() < 0.2
    low, high, noise = pick_levels(torch.as_tensor(logs), tool)
    assert abs(low - 0.25) < 1e-3 and abs(high - 0.75) < 2e-3 and abs(noise / 0.04 - 1) < 0.03
    with pytest.raises(ValueError, match="at least 100 finite"):
        pick_levels(torch.full((4, 10), float("nan")), tool)
    with pytest.raises(ValueError, match=r"shape \(n, depth >= 3\)"):
        pick_levels(torch.rand(500), tool)
    with pytest.raises(ValueError, match="one level only"):
        pick_levels(torch.full((10, 20), 0.3), tool)
    noiseless = torch.full((10, 20), 0.25)
    noiseless[:, 10:] = 0.75
    with pytest.raises(ValueError, match="could not pick two noisy levels"):
        pick_levels(noiseless, tool)


def test_picked_levels_are_fixed_and_sampling_is_discrete():
    from gan_utils.data import load_dataset
    from gan_utils.models import WellLogPhysicsGenerator, pick_levels
    from gan_utils.train import train

    recipe = get_recipe("well-logs-physics-gan")
    spec = recipe.generator
    options = {**spec.options, "pick_levels": True, "hard_sampling": True}
    picked = recipe.replace(generator=ModelSpec(spec.sizes, kind=spec.kind, options=options))
    result = train(picked, seed=0, steps=2, progress=False)
    inner = result.generator.inner
    data = torch.as_tensor(load_dataset("well-logs", picked.n_real, 0).train, dtype=torch.float32)
    low, high, noise = pick_levels(data, inner.tool)
    for g in (inner, result.generator.shadow):  # set before training, unchanged by it
        assert [float(v) for v in g.levels] == pytest.approx([low, high], abs=1e-6)
        assert float(g.noise_std) == pytest.approx(noise, rel=1e-5)
    assert not any(p.requires_grad for p in (inner.p_low, inner.p_high, inner.p_noise))
    g = WellLogPhysicsGenerator(hard_sampling=True)
    with torch.no_grad():
        g.p_noise.fill_(-10.0)  # no noise: the values show the facies
        z = torch.randn(64, 128)
        mixes = torch.tensor([0.4, 0.4 + 0.2 / 3, 0.6 - 0.2 / 3, 0.6])  # levels and the tool's mixes
        hard = g.eval()(z)
        soft = g.train()(z)
    assert torch.isclose(hard.unsqueeze(-1), mixes).any(-1).all()
    assert not torch.isclose(soft.unsqueeze(-1), mixes).any(-1).all()
