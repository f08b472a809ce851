"""Flow matching, diffusion and a VAE as recipe objectives (issue 28): the networks and their
samplers, one training step, the loop, save and load, sampling, conditioning and the
command line, on tiny data; and a recipe that mixes a flow with GAN parts is a one-line
error."""

import json

import numpy as np
import pytest
import torch

from gan_utils import cli, get_recipe, train
from gan_utils.alternatives import FlowSampler, diffusion_loss, flow_matching_loss, vae_loss
from gan_utils.condition import condition
from gan_utils.models import BASELINE_CROSSPLOT_CRITIC, ModelSpec, build
from gan_utils.recipes import register_recipe
from gan_utils.runs import CRITIC_FILE, load_run, save_run
from gan_utils.train import OneNetworkSteps

TINY = ModelSpec((2, 16, 2), "silu", kind="flow-mlp", options={"steps": 4})


def tiny_recipe(**changes):
    base = get_recipe("crossplot-flow")
    return base.replace(
        **{"name": "tiny-flow", "generator": TINY, "steps": 5, "batch_size": 16, "n_real": 64, **changes}
    )


TINY_RECIPE = register_recipe(tiny_recipe(), replace=True)  # a run's networks must be a registered recipe's


def test_the_sampler_maps_noise_to_samples_of_the_same_size_deterministically():
    torch.manual_seed(0)
    flow = build(TINY)
    z = torch.randn(7, 2)
    x = flow(z)
    assert isinstance(flow, FlowSampler) and x.shape == (7, 2) and torch.isfinite(x).all()
    assert torch.equal(flow(z), x) and flow.evaluations() == 8  # Heun: two per step
    assert not torch.equal(flow(z, steps=1), x)


def test_a_zero_velocity_leaves_the_noise_where_it_is():
    flow = build(TINY)
    for p in flow.parameters():
        torch.nn.init.zeros_(p)
    z = torch.randn(5, 2)
    assert torch.equal(flow(z), z)


def test_ddim_with_the_perfect_denoiser_of_a_point_mass_returns_the_point():
    """For data that is always ``c``, the noise in ``x`` at level ``k`` is exactly
    ``(x - sqrt(a_k) c) / sqrt(1 - a_k)``; DDIM with that denoiser must land on ``c``."""
    model = build(ModelSpec((2, 8, 2), "silu", kind="diffusion-mlp", options={"steps": 7}))
    c = torch.tensor([[0.3, -1.2]])

    class Perfect(torch.nn.Module):
        def forward(self, xk):
            x, k = xk[:, :2], (xk[:, 2:] * model.T).round().long()
            a = model.alpha_bar[k]
            return (x - a.sqrt() * c) / (1 - a).sqrt()

    model.eps = Perfect()
    x = model(torch.randn(5, 2))
    assert torch.allclose(x, c.expand(5, 2), atol=1e-4), x


def test_the_diffusion_loss_is_small_for_the_perfect_denoiser_and_not_for_zero():
    torch.manual_seed(0)
    model = build(ModelSpec((2, 8, 2), "silu", kind="diffusion-mlp"))
    for p in model.parameters():
        torch.nn.init.zeros_(p)
    assert diffusion_loss(model, torch.randn(4096, 2)).item() == pytest.approx(1.0, abs=0.05)  # E[noise^2]


def test_one_training_step_lowers_the_loss_on_a_fixed_batch():
    torch.manual_seed(0)
    recipe = tiny_recipe(lr=1e-2)
    flow, data = build(TINY), torch.randn(64, 2) * 0.1 + 3.0
    steps = OneNetworkSteps(recipe, flow, None, data, torch.device("cpu"))
    torch.manual_seed(1)
    before = flow_matching_loss(flow, data).item()
    for _ in range(20):
        steps.step()
    torch.manual_seed(1)
    assert flow_matching_loss(flow, data).item() < before


def test_train_save_load_and_sample(tmp_path):
    run = train(TINY_RECIPE, 0, progress=False)
    assert run.discriminator is None and len(run.history) == 5
    assert np.isfinite(run.history.array("g_loss")).all() and np.isnan(run.history.array("d_loss")).all()
    x = run.sample(10, seed=2)
    assert x.shape == (10, 2) and np.isfinite(x).all()
    folder = save_run(run, tmp_path / "run", figure=False)
    assert not (folder / CRITIC_FILE).exists()
    assert json.loads((folder / "run.json").read_text())["recipe"]["objective"] == "flow-matching"
    loaded = load_run(folder)
    assert loaded.discriminator is None and np.array_equal(loaded.sample(10, seed=2), x)


def test_a_gan_runs_json_does_not_name_its_objective(tmp_path):
    run = train(get_recipe("toy-2d-gan"), 0, steps=2, progress=False)
    meta = json.loads((save_run(run, tmp_path / "gan", figure=False) / "run.json").read_text())
    assert "objective" not in meta["recipe"]


def test_pcn_conditioning_works_on_a_flow_prior():
    run = train(TINY_RECIPE, 0, progress=False)
    result = condition(run.generator, 2, [0], [0.5], 0.1, n=4, steps=20, seed=0)
    assert result.samples.shape == (4, 2) and np.isfinite(result.samples).all()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"discriminator": BASELINE_CROSSPLOT_CRITIC}, "has no discriminator and no GAN loss"),
        ({"loss": "nonsaturating"}, "has no discriminator and no GAN loss"),
        ({"r1_weight": 1.0}, "has no critic"),
        ({"generator": ModelSpec((2, 8, 2))}, "needs a generator of kind flow-mlp"),
        ({"objective": "diffusionz"}, "unknown objective"),
        ({"objective": "diffusion"}, "needs a generator of kind diffusion-mlp"),
    ],
)
def test_a_flow_recipe_with_gan_parts_is_a_one_line_error(changes, message):
    with pytest.raises(ValueError, match=message) as info:
        tiny_recipe(**changes)
    assert "\n" not in str(info.value)


def test_a_gan_without_a_discriminator_is_a_one_line_error():
    with pytest.raises(ValueError, match="a GAN needs a discriminator"):
        get_recipe("crossplot-wgan").replace(discriminator=None)


def test_the_command_line_trains_and_samples_a_flow(tmp_path, capsys):
    out = tmp_path / "flow"
    assert cli.main(["train", "tiny-flow", "--out", str(out)]) == 0  # registered above
    assert cli.main(["sample", str(out), "--n", "5", "--out", str(tmp_path / "s.npy")]) == 0
    samples = np.load(tmp_path / "s.npy")
    assert samples.shape == (5, 2) and np.isfinite(samples).all()
    listed = capsys.readouterr().out if cli.main(["list"]) == 0 else ""
    for name in ("crossplot-flow", "crossplot-diffusion", "well-logs-flow"):
        assert f"{name} " in listed and "flow-matching" in listed and "diffusion" in listed
    condition = ["condition", str(out), "--where", "0", "--values", "0.1", "--sigma", "0.1", "--n", "3"]
    assert cli.main([*condition, "--steps", "5", "--out", str(tmp_path / "c.npy")]) == 0
    assert cli.main([*condition, "--realism", "1", "--out", str(tmp_path / "r.npy")]) == 2
    assert "--realism needs the discriminator" in capsys.readouterr().err


def test_a_diffusion_recipe_trains_saves_loads_and_samples(tmp_path):
    spec = ModelSpec((2, 16, 2), "silu", kind="diffusion-mlp", options={"steps": 5})
    recipe = register_recipe(
        tiny_recipe(name="tiny-diffusion", objective="diffusion", generator=spec), replace=True
    )
    run = train(recipe, 0, progress=False)
    x = run.sample(6, seed=1)
    assert x.shape == (6, 2) and np.isfinite(x).all()
    loaded = load_run(save_run(run, tmp_path / "d", figure=False))
    assert np.array_equal(loaded.sample(6, seed=1), x)


def test_a_vae_trains_saves_loads_and_samples_from_its_decoder(tmp_path):
    spec = ModelSpec((2, 16, 2), "silu", kind="vae-mlp")
    recipe = register_recipe(tiny_recipe(name="tiny-vae", objective="vae", generator=spec), replace=True)
    run = train(recipe, 0, progress=False)
    x = run.sample(6, seed=1)
    assert x.shape == (6, 2) and np.isfinite(x).all()
    vae = run.generator.shadow if hasattr(run.generator, "shadow") else run.generator
    z = torch.randn(3, 2)
    assert torch.equal(vae(z), vae.decoder(z)) and vae.evaluations() == 1
    loaded = load_run(save_run(run, tmp_path / "v", figure=False))
    assert np.array_equal(loaded.sample(6, seed=1), x)


def test_the_vae_loss_is_the_gaussian_bound_for_a_perfect_encoder_and_decoder():
    """Decoder = identity, encoder = exact (mean x, variance e^-20), decoder noise 1: the
    reconstruction term (Gaussian NLL without its constant) is ~0, and the loss is the KL
    divergence of q(z | x) from N(0, I), per value."""
    torch.manual_seed(0)
    vae = build(ModelSpec((2, 4, 2), "silu", kind="vae-mlp"))
    x = torch.randn(2048, 2)

    class Identity(torch.nn.Module):
        def forward(self, h):
            return h

    class Exact(torch.nn.Module):
        def forward(self, h):
            return torch.cat([h, torch.full_like(h, -20.0)], dim=1)  # log-variance -20

    vae.decoder, vae.encoder = Identity(), Exact()
    kl = 0.5 * (x**2 + torch.exp(torch.tensor(-20.0)) - 1 + 20.0).sum(1).mean() / 2
    assert vae_loss(vae, x).item() == pytest.approx(kl.item(), rel=1e-4)


def test_the_which_model_table_records_sampling_cost_and_resumes(tmp_path, monkeypatch):
    from gan_utils.bench import experiments, which_model

    vae = register_recipe(
        tiny_recipe(
            name="tiny-vae-table", objective="vae", generator=ModelSpec((2, 8, 2), "silu", kind="vae-mlp")
        ),
        replace=True,
    )
    monkeypatch.setitem(which_model.WHICH_MODEL, "crossplot", (TINY_RECIPE.name, vae.name))
    out = tmp_path / "table.json"
    table = which_model.run_which_model("crossplot", seeds=1, out=out)
    rows = {r["step"]: r for r in table["rows"]}
    assert set(rows) == {"tiny-flow", "tiny-vae-table"} and table["seeds"] == 1
    assert rows["tiny-flow"]["network evaluations per sample"] == 8  # 4 Heun steps
    assert rows["tiny-vae-table"]["network evaluations per sample"] == 1
    assert all(r["seconds per 1000 samples"] > 0 and "off-manifold rate" in r for r in rows.values())

    def no_training(*args, **kwargs):
        raise AssertionError("trained a row the table already holds")

    monkeypatch.setattr(experiments, "train", no_training)
    assert which_model.run_which_model("crossplot", seeds=1, out=out)["rows"] == table["rows"]
    with pytest.raises(ValueError, match="no which-model table"):
        which_model.run_which_model("channels", seeds=1, out=out)


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("flow-mlp", {"steps": 0}, "flow-mlp option steps must be an integer in 1..10000, got 0"),
        ("flow-mlp", {"steps": "x"}, "got 'x'"),
        ("flow-mlp", {"solver": "rk9"}, "solver must be one of"),
        ("diffusion-mlp", {"steps": 1001}, "diffusion-mlp option steps must be an integer in 1..1000"),
    ],
)
def test_bad_sampler_options_are_one_line_errors(kind, options, message):
    with pytest.raises(ValueError, match=message) as info:
        build(ModelSpec((2, 8, 2), "silu", kind=kind, options=options))
    assert "\n" not in str(info.value)


def test_samples_of_the_wrong_size_and_a_diverging_flow_are_clear_errors():
    from gan_utils.train import TrainingDiverged, generate

    run = train(TINY_RECIPE, 0, progress=False)
    with pytest.raises(ValueError, match="does not take latent codes of size 3"):
        generate(run.generator, 4, 3)
    with pytest.raises(TrainingDiverged, match="diverged"):
        train(TINY_RECIPE.replace(lr=1e30), 0, progress=False)
