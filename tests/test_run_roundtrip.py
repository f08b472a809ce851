"""One trained-model type, :class:`gan_utils.Run`: :func:`save_run` writes a run just trained
or loaded (with or without its training data), and save -> load -> save -> load gives the
same weights, ``run.json`` and history."""

import json

import torch

from gan_utils import Run, get_recipe, train
from gan_utils.runs import CRITIC_FILE, FIGURE_FILE, STORED_RUNS_DIR, load_run, load_stored_run, save_run


def _state(path):
    return torch.load(path, weights_only=True)


def assert_same_run_files(a, b):
    assert json.loads((a / "run.json").read_text()) == json.loads((b / "run.json").read_text())
    assert (a / "history.csv").read_text() == (b / "history.csv").read_text()
    for name in ("generator.pt", CRITIC_FILE):
        left, right = _state(a / name), _state(b / name)
        assert left.keys() == right.keys() and all(torch.equal(left[k], right[k]) for k in left)


def test_a_trained_run_and_its_loaded_copy_save_the_same_files(tmp_path):
    trained = train(get_recipe("toy-2d-gan"), seed=3, steps=5, progress=False)
    trained.history.interrupted = True  # kept through the round trip too
    first = save_run(trained, tmp_path / "first", figure=False)
    loaded = load_run(first)
    assert isinstance(trained, Run) and isinstance(loaded, Run) and loaded.data is None
    second = save_run(loaded, tmp_path / "second")  # the figure re-makes the data from the recipe
    assert (second / FIGURE_FILE).is_file()
    third = save_run(load_run(second), tmp_path / "third", figure=False)
    assert_same_run_files(first, second)
    assert_same_run_files(second, third)
    assert json.loads((third / "run.json").read_text())["interrupted"] is True


def test_a_stored_run_loaded_without_its_data_saves_as_it_is_stored(tmp_path):
    run = load_stored_run("crossplot-gan-r1", data=False)
    assert run.data is None and run.dataset == "crossplot"
    out = save_run(run, tmp_path / "copy")
    assert (out / FIGURE_FILE).is_file()
    assert_same_run_files(STORED_RUNS_DIR / "crossplot-gan-r1", out)


def test_a_run_without_a_discriminator_saves_and_loads_without_one(tmp_path):
    run = train(get_recipe("toy-2d-gan"), seed=0, steps=2, progress=False)
    run.discriminator = None
    out = save_run(run, tmp_path / "run", figure=False)
    assert not (out / CRITIC_FILE).exists()
    back = load_run(out)
    assert back.discriminator is None and torch.equal(
        torch.cat([p.flatten() for p in back.generator.parameters()]),
        torch.cat([p.flatten() for p in run.generator.parameters()]),
    )
