"""A course others can extend: a new data set (16 x 16 images of random rectangles), two
small convolutional networks and a recipe are registered here, in the test alone, and then
trained, saved, loaded, sampled, plotted and conditioned through the functions the command
line calls, benchmarked, scored by real-pass and checked by ``check_dataset``, with no edit
to any package module."""

import json
from functools import cache

import numpy as np
import pytest
import torch
from torch import nn

from gan_utils import cli, data, models, plots, recipes
from gan_utils.bench.experiments import run_dataset_bench
from gan_utils.bench.real_pass import protocol_datasets, score_sets
from gan_utils.data import DatasetSpec, Protocol, check_dataset, get_dataset, load_dataset, register_dataset
from gan_utils.metrics import difference_tolerance
from gan_utils.models import ModelSpec, register_builder
from gan_utils.recipes import Recipe, get_recipe, register_recipe
from gan_utils.runs import load_run, sample_run, save_run
from gan_utils.train import Callback, train

SIZE = 16


def make_rectangles(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` images (n, 16, 16) in [0, 1]: one bright axis-aligned rectangle each on a dark
    background; the label is the rectangle's area."""
    rng = np.random.default_rng(seed)
    images = np.zeros((n, SIZE, SIZE), dtype=np.float32)
    labels = np.zeros(n, dtype=np.int32)
    for i in range(n):
        top, left = rng.integers(0, SIZE - 4, 2)
        height, width = rng.integers(3, SIZE - max(top, left) + 1, 2)
        images[i, top : top + height, left : left + width] = 1.0
        labels[i] = height * width
    return images, labels


N_EVAL = 64  # images per evaluation


def _statistics(images: np.ndarray) -> dict[str, float]:
    return {"bright fraction": float((images > 0.5).mean()), "mean brightness": float(images.mean())}


@cache
def _reference() -> tuple[dict[str, float], dict[str, float]]:
    """Each statistic on a reference real set, and its real-vs-real tolerance (three
    root-mean-square differences over ten independent real sets)."""
    ref = _statistics(make_rectangles(N_EVAL, 1000)[0])
    others = [_statistics(make_rectangles(N_EVAL, 1001 + k)[0]) for k in range(10)]
    return ref, {k: difference_tolerance([o[k] - ref[k] for o in others]) for k in ref}


def rectangles_protocol(images: np.ndarray) -> list[dict]:
    """The toy protocol: rows in the one shape every data set's protocol returns."""
    ref, tolerance = _reference()
    return [
        {
            "statistic": k,
            "value": v,
            "real": ref[k],
            "tolerance": tolerance[k],
            "ok": abs(v - ref[k]) <= tolerance[k],
        }
        for k, v in _statistics(images).items()
    ]


class ConvGenerator(nn.Module):
    def __init__(self, spec: ModelSpec, width: int = 8):
        super().__init__()
        self.width = width
        self.stem = nn.Linear(spec.in_dim, width * 4 * 4)
        self.body = nn.Sequential(
            nn.Upsample(scale_factor=2), nn.Conv2d(width, width, 3, padding=1), nn.LeakyReLU(0.2),
            nn.Upsample(scale_factor=2), nn.Conv2d(width, 1, 3, padding=1), nn.Sigmoid(),
        )  # fmt: skip

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.body(self.stem(z).view(-1, self.width, 4, 4)).squeeze(1)  # (n, 16, 16)


class ConvCritic(nn.Module):
    def __init__(self, spec: ModelSpec, width: int = 8):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, width, 4, stride=2, padding=1), nn.LeakyReLU(0.2),
            nn.Conv2d(width, width, 4, stride=2, padding=1), nn.LeakyReLU(0.2),
            nn.Flatten(), nn.Linear(width * 4 * 4, 1),
        )  # fmt: skip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x.unsqueeze(1))


@pytest.fixture
def rectangles():
    """Register the data set, the two builders and a recipe; unregister them afterwards."""
    register_dataset(
        DatasetSpec(
            "rectangles",
            make_rectangles,
            shape=(SIZE, SIZE),
            columns=("brightness",),
            default_n=256,
            plot=plots.plot_real_vs_generated_images,
            protocol=Protocol(rectangles_protocol, N_EVAL),
            statistics_ok=lambda real, fake: abs(float(real.mean() - fake.mean())) < 0.2,
        )
    )
    register_builder("toy-conv-generator", lambda spec: ConvGenerator(spec, **spec.options))
    register_builder("toy-conv-critic", lambda spec: ConvCritic(spec, **spec.options))
    recipe = register_recipe(
        Recipe(
            name="rectangles-gan",
            dataset="rectangles",
            description="tiny conv GAN on 16 x 16 rectangles",
            generator=ModelSpec((8, SIZE * SIZE), kind="toy-conv-generator", options={"width": 8}),
            discriminator=ModelSpec((SIZE * SIZE, 1), kind="toy-conv-critic", options={"width": 8}),
            loss="nonsaturating",
            lr=1e-3,
            betas=(0.5, 0.99),
            steps=5,
            batch_size=16,
            n_real=64,
            ema_decay=0.9,
        )
    )
    yield recipe
    for registry, key in (
        (data.DATASETS, "rectangles"),
        (models.BUILDERS, "toy-conv-generator"),
        (models.BUILDERS, "toy-conv-critic"),
        (recipes.RECIPES, "rectangles-gan"),
    ):
        registry.pop(key, None)


def test_a_registered_image_data_set_has_its_shape_everywhere(rectangles):
    d = load_dataset("rectangles", 10, seed=0)
    assert d.physical.shape == (10, SIZE, SIZE) and d.shape == (SIZE, SIZE) and d.dim == SIZE * SIZE
    assert d.train.shape == (10, SIZE, SIZE)
    assert get_recipe("rectangles-gan") is rectangles


def test_train_save_load_sample_plot_and_condition_an_image_recipe(rectangles, tmp_path):
    steps_seen = []

    class Count(Callback):
        def on_step_end(self, state):
            steps_seen.append(state.step)

    result = train(rectangles, seed=0, progress=False, callbacks=[Count()])
    assert steps_seen == [1, 2, 3, 4, 5] and len(result.history) == 5
    x = result.sample(6, seed=1)
    assert x.shape == (6, SIZE, SIZE) and np.isfinite(x).all()

    run_dir = save_run(result, tmp_path / "run")  # writes the data set's own figure
    assert (run_dir / "real_vs_generated.png").stat().st_size > 0
    run = load_run(run_dir)
    assert np.array_equal(sample_run(run, 6, seed=1), x)
    assert len(run.history) == 5
    averaged = run.generator.shadow.stem.weight.detach()  # the EMA generator, as trained
    assert torch.equal(averaged, result.generator.shadow.stem.weight.detach())

    # the command line, in this process: the registrations are all it needs
    out = tmp_path / "samples.npy"
    assert cli.main(["sample", str(run_dir), "--n", "4", "--out", str(out), "--quiet"]) == 0
    assert np.load(out).shape == (4, SIZE, SIZE)
    out = tmp_path / "conditioned.npy"
    argv = ["condition", str(run_dir), "--where", "0", "17", "--values", "0", "1", "--sigma", "0.5"]
    assert cli.main([*argv, "--n", "3", "--steps", "20", "--out", str(out), "--quiet"]) == 0
    assert np.load(out).shape == (3, SIZE, SIZE)


def test_trained_from_the_command_line(rectangles, tmp_path):
    out = tmp_path / "cli-run"
    assert cli.main(["train", "rectangles-gan", "--steps", "2", "--out", str(out), "--quiet"]) == 0
    assert load_run(out).sample(2, seed=0).shape == (2, SIZE, SIZE)


def test_benchmark_table_real_pass_row_and_conformance(rectangles, tmp_path):
    check_dataset(get_dataset("rectangles"))  # the contract every registered data set keeps

    out = tmp_path / "rectangles.json"
    table = run_dataset_bench(["rectangles-gan"], seeds=2, out=out)
    assert json.loads(out.read_text()) == table and table["dataset"] == "rectangles"
    assert [(r["recipe"], r["seed"]) for r in table["rows"]] == [("rectangles-gan", 0), ("rectangles-gan", 1)]
    statistics = ["bright fraction", "mean brightness"]
    for row in table["rows"]:
        assert get_dataset("rectangles").protocol.verdicts(row) == {k: row[f"{k} ok"] for k in statistics}

    assert "rectangles" in protocol_datasets()
    entry = score_sets("rectangles", 5)
    assert entry["sets"] == 5 and list(entry["row fails"]) == statistics
    assert entry["all ok"] == 5 - len(entry["failed sets"])


def test_check_dataset_names_a_broken_contract(rectangles):
    spec = get_dataset("rectangles")
    broken = DatasetSpec("broken", lambda n, seed: make_rectangles(n, 0), shape=(SIZE, SIZE))
    with pytest.raises(AssertionError, match="another seed gave the same samples"):
        check_dataset(broken)
    wrong = Protocol(lambda images: [{"statistic": "x", "generated": 0.0}], N_EVAL)
    with pytest.raises(AssertionError, match="has keys"):
        check_dataset(DatasetSpec("wrong", spec.make, shape=(SIZE, SIZE), protocol=wrong))
