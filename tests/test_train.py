import numpy as np
import pytest
import torch

from gan_utils import get_recipe, load_dataset, train
from gan_utils.metrics import energy_distance
from gan_utils.train import TrainingDiverged, generate, setup


def params(model):
    return torch.cat([p.detach().flatten() for p in model.parameters()])


def test_same_seed_same_tensors_other_seed_other_tensors():
    r = get_recipe("crossplot-wgan")
    a, b = train(r, seed=3, steps=30, progress=False), train(r, seed=3, steps=30, progress=False)
    c = train(r, seed=4, steps=30, progress=False)
    assert torch.equal(params(a.generator), params(b.generator))
    assert a.history.d_loss == b.history.d_loss
    assert not torch.equal(params(a.generator), params(c.generator))
    assert np.array_equal(a.sample(10, seed=1), b.sample(10, seed=1))


def test_lsgan_discriminator_loss_falls_and_toy_generator_moves_toward_the_data():
    h = train(get_recipe("well-logs-lsgan"), seed=0, steps=200, progress=False).history
    assert np.mean(h.d_loss[-20:]) < 0.7 * np.mean(h.d_loss[:5])
    r = get_recipe("toy-2d-gan")
    data = load_dataset("toy-2d", 512, seed=0)
    before = train(r, seed=0, steps=1, progress=False).sample(400, seed=1)
    after = train(r, seed=0, steps=400, progress=False).sample(400, seed=1)
    assert energy_distance(after, data.physical) < 0.5 * energy_distance(before, data.physical)


def test_clipping_keeps_every_critic_weight_in_range():
    result = train(get_recipe("crossplot-wgan"), seed=0, steps=20, progress=False)
    assert params(result.discriminator).abs().max().item() <= 0.03 + 1e-7


def test_gradient_penalty_recipe_runs_and_records():
    result = train(get_recipe("crossplot-wgan-gp"), seed=0, steps=10, progress=False)
    assert len(result.history) == 10 and np.isfinite(result.history.d_loss).all()


def test_snapshots_and_probes():
    seen = []
    result = train(
        get_recipe("toy-2d-gan"),
        seed=0,
        steps=25,
        snapshot_every=10,
        progress=False,
        probe=lambda step, g, d: seen.append(step) or {"ok": step},
        probe_every=10,
    )
    assert [s["step"] for s in result.snapshots] == [0, 10, 20, 25]
    assert [p["step"] for p in result.history.probes] == [1, 10, 20, 25] == seen
    g0 = result.generator_at(0)
    assert not torch.equal(params(g0), params(result.generator))


def test_divergence_stops_with_a_clear_error_naming_the_step():
    recipe = get_recipe("crossplot-wgan").replace(clip=None, optimizer="sgd", lr=1e30)
    with pytest.raises(TrainingDiverged, match=r"diverged at generator step \d+ .*Lower the learning rate"):
        train(recipe, seed=0, steps=50, progress=False)


def test_ctrl_c_returns_the_partial_history():
    def interrupt(step, g, d):
        if step == 5:
            raise KeyboardInterrupt
        return {}

    result = train(
        get_recipe("toy-2d-gan"), seed=0, steps=100, progress=False, probe=interrupt, probe_every=1
    )
    assert result.history.interrupted and len(result.history) == 5


def test_bad_arguments_are_clear_errors():
    r = get_recipe("toy-2d-gan")
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        train(r, steps=0, progress=False)
    with pytest.raises(ValueError, match="has 2"):
        train(get_recipe("well-logs-lsgan"), data=load_dataset("toy-2d", 64), progress=False)
    with pytest.raises(ValueError, match="snapshot_every"):
        train(r, snapshot_every=-1, progress=False)
    with pytest.raises(ValueError, match="seed"):
        setup(-1)
    with pytest.raises(ValueError, match="n must be a positive integer"):
        generate(torch.nn.Linear(2, 2), 0, 2)


def test_r1_and_cosine_schedule_run_and_decay_the_learning_rate():
    from gan_utils.losses import r1_penalty

    critic = torch.nn.Linear(2, 1)
    with torch.no_grad():
        critic.weight.copy_(torch.tensor([[3.0, 4.0]]))
    assert r1_penalty(critic, torch.randn(8, 2)).item() == pytest.approx(25.0)
    recipe = get_recipe("crossplot-gan-r1").replace(steps=20, n_real=2048)
    result = train(recipe, seed=0, progress=False)
    assert len(result.history) == 20 and np.isfinite(result.history.d_loss).all()
    with pytest.raises(ValueError, match="lr_schedule"):
        recipe.replace(lr_schedule="step")
    with pytest.raises(ValueError, match="r1_weight"):
        recipe.replace(r1_weight=-1.0)


def test_coin_latent_makes_two_separate_groups():
    from gan_utils.models import ModelSpec, build

    setup(0)
    g = build(ModelSpec((4, 16, 2), "relu", kind="mlp-coin"))
    z = torch.randn(200, 4)
    flipped = z.clone()
    flipped[:, 0] = z[:, 0] * 0.5  # same sign: same output
    assert torch.equal(g(z), g(flipped))


def test_score_filtering_drops_the_lowest_scored_samples():
    g = torch.nn.Identity()
    g.register_parameter("dummy", torch.nn.Parameter(torch.zeros(1)))  # generate() reads a device
    d = torch.nn.Linear(2, 1)
    with torch.no_grad():
        d.weight.copy_(torch.tensor([[1.0, 0.0]]))
        d.bias.zero_()
    everything = generate(g, 1000, 2, seed=3)
    kept = generate(g, 800, 2, seed=3, discriminator=d, reject=0.2)
    assert kept.shape == (800, 2)
    assert kept[:, 0].min() >= np.quantile(everything[:, 0], 0.2) - 1e-6
    with pytest.raises(ValueError, match="needs the discriminator"):
        generate(g, 10, 2, reject=0.1)
    with pytest.raises(ValueError, match="reject"):
        get_recipe("crossplot-gan-r1").replace(reject=0.7)


@pytest.mark.parametrize("name", sorted(__import__("gan_utils").RECIPES))
def test_every_recipe_trains_and_samples_in_physical_units(name, tmp_path):
    from gan_utils.data import get_dataset
    from gan_utils.runs import load_run, sample_run, save_run

    recipe = get_recipe(name)
    result = train(recipe.replace(n_real=min(recipe.n_real or 512, 2048)), seed=0, steps=3, progress=False)
    run = load_run(save_run(result, tmp_path / "run", figure=False))
    x = sample_run(run, 16, seed=2)
    assert x.shape == (16, *get_dataset(recipe.dataset).shape) and np.isfinite(x).all()
    assert np.array_equal(x, sample_run(run, 16, seed=2))  # same seed, same samples
    assert np.array_equal(x, result.sample(16, seed=2))  # the run on disk is the trained one


def test_same_seed_same_numbers_when_a_device_is_given():
    """The command line always passes --device: training must still be seeded by ``seed``."""
    recipe = get_recipe("toy-2d-gan")
    runs = [train(recipe, seed=3, steps=20, progress=False, device="cpu") for _ in range(2)]
    torch.manual_seed(999)  # a global RNG state that must not matter
    third = train(recipe, seed=3, steps=20, progress=False, device="cpu")
    samples = [r.sample(64, seed=1) for r in (*runs, third)]
    assert np.array_equal(samples[0], samples[1]) and np.array_equal(samples[0], samples[2])


def test_evaluating_restores_the_modes_and_the_global_random_state_even_on_error():
    from gan_utils.models import evaluating

    g, d = torch.nn.Linear(2, 2), torch.nn.Dropout(0.5).eval()
    torch.manual_seed(11)
    before = torch.rand(3)
    torch.manual_seed(11)
    with evaluating(5, g, None, d):
        assert not g.training and not d.training
        first = torch.rand(2)
    with pytest.raises(RuntimeError, match="inside"), evaluating(5, g):
        assert torch.equal(torch.rand(2), first)  # seeded: the same private stream
        raise RuntimeError("inside")
    assert g.training and not d.training  # each module's own mode is back
    assert torch.equal(torch.rand(3), before)  # the global stream never moved
