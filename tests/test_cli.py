"""The command line end to end: in a subprocess, as a user runs it, where the process
matters (start-up, exit status, output streams); in this process where only the command's
logic does, which saves a torch import (seconds) per call."""

import contextlib
import io
import json
import os
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "gan_utils", *args], capture_output=True, text=True, cwd=cwd)


def run_cli(*args):
    """``python -m gan_utils ARGS`` run by ``cli.main`` in this process: the same exit status
    and output streams; an uncaught exception (a stack trace for a user) fails the test."""
    from gan_utils.cli import main

    out, err, environ = io.StringIO(), io.StringIO(), dict(os.environ)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:  # argparse: --help, usage errors
                code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    finally:
        os.environ.clear()
        os.environ.update(environ)  # --quiet sets a variable for the process
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


def test_help_everywhere():
    res = cli("--help")  # once as a user runs it, then every command in-process
    assert res.returncode == 0 and "usage" in res.stdout
    for cmd in (["list"], ["train"], ["sample"], ["execute"], ["bench"], ["condition"]):
        res = run_cli(*cmd, "--help")
        assert res.returncode == 0 and "usage" in res.stdout


def test_list_plain_and_json():
    res = run_cli("list")
    assert res.returncode == 0 and "well-logs-lsgan" in res.stdout and "crossplot-wgan" in res.stdout
    rows = json.loads(run_cli("list", "--json").stdout)
    names = {r["name"]: r for r in rows}
    assert names["well-logs-lsgan"]["dataset"] == "well-logs"
    assert all(set(r) >= {"name", "dataset", "recommended", "description"} for r in rows)


@pytest.mark.parametrize("recipe, dim", [("well-logs-lsgan", 128), ("crossplot-wgan", 2)])
def test_train_then_sample_in_physical_units(tmp_path, recipe, dim):
    run = tmp_path / "run"
    res = cli("train", recipe, "--steps", "20", "--seed", "1", "--out", str(run), "--quiet")
    assert res.returncode == 0, res.stderr
    for name in ("run.json", "generator.pt", "discriminator.pt", "history.csv", "real_vs_generated.png"):
        assert (run / name).is_file()
    assert len((run / "history.csv").read_text().splitlines()) == 21
    out = tmp_path / "s.npy"
    res = cli("sample", str(run), "--n", "50", "--seed", "2", "--out", str(out))
    assert res.returncode == 0, res.stderr
    x = np.load(out)
    assert x.shape == (50, dim) and np.isfinite(x).all()
    if dim == 128:
        assert x.min() >= 0 and x.max() <= 1  # normalised gamma ray
    else:
        assert 1.0 < np.median(x[:, 1]) < 7.0  # Vp in km/s, not standardised
    again = tmp_path / "t.npy"
    run_cli("sample", str(run), "--n", "50", "--seed", "2", "--out", str(again))
    assert np.array_equal(np.load(again), x)


def test_bad_input_gives_one_clear_line(tmp_path):
    res = cli("train", "no-such-recipe", "--out", str(tmp_path / "r"))
    assert res.returncode == 2 and "unknown recipe 'no-such-recipe'" in res.stderr
    assert "Traceback" not in res.stderr
    res = run_cli("sample", str(tmp_path / "missing"), "--n", "5", "--out", str(tmp_path / "x.npy"))
    assert res.returncode == 2 and "does not exist" in res.stderr
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "run.json").write_text("{not json")
    (broken / "generator.pt").write_bytes(b"garbage")
    res = run_cli("sample", str(broken), "--n", "5", "--out", str(tmp_path / "x.npy"))
    assert res.returncode == 2 and "corrupt" in res.stderr and "Traceback" not in res.stderr
    res = run_cli("train", "crossplot-wgan", "--steps", "0")
    assert res.returncode == 2 and "positive integer" in res.stderr
    res = run_cli("sample", str(broken), "--n", "-4", "--out", "x.npy")
    assert res.returncode == 2 and "positive integer" in res.stderr


def test_condition_end_to_end(tmp_path):
    run = tmp_path / "logs"
    assert run_cli("train", "well-logs-lsgan", "--steps", "100", "--out", str(run), "--quiet").returncode == 0
    one = tmp_path / "one.npy"  # observations taken from a log the generator can make
    assert run_cli("sample", str(run), "--n", "1", "--seed", "9", "--out", str(one)).returncode == 0
    depths = [10, 60, 110]
    values = np.load(one)[0, depths]
    out = tmp_path / "cond.npy"
    res = run_cli(
        "condition",
        str(run),
        "--where",
        *map(str, depths),
        "--values",
        *map(str, values),
        "--sigma",
        "0.005",
        "--n",
        "5",
        "--method",
        "map",
        "--steps",
        "300",
        "--out",
        str(out),
    )
    assert res.returncode == 0, res.stderr
    logs = np.load(out)
    assert logs.shape == (5, 128) and np.abs(logs[:, depths] - values).max() < 0.03
    res = run_cli("condition", str(run), "--where", *map(str, depths), "--values", *map(str, values),
              "--sigma", "0.05", "--n", "4", "--steps", "50", "--out", str(out))  # fmt: skip
    assert res.returncode == 0 and "pCN acceptance" in res.stderr and np.load(out).shape == (4, 128)
    res = run_cli(
        "condition", str(run), "--where", "500", "--values", "0.5", "--sigma", "0.02", "--out", str(out)
    )
    assert (
        res.returncode == 2 and "observed indices must lie in" in res.stderr and "Traceback" not in res.stderr
    )
    res = run_cli(
        "condition", str(run), "--where", "5", "--values", "0.5", "--sigma", "-1", "--out", str(out)
    )
    assert res.returncode == 2 and "sigma must be a positive number" in res.stderr


@pytest.mark.parametrize(
    "dataset, shape", [("channels", (6, 64, 64)), ("well-logs", (6, 128)), ("crossplot", (6, 2))]
)
def test_data_writes_fresh_real_samples_in_the_units_of_sample(tmp_path, dataset, shape):
    from gan_utils.data import get_dataset

    out = tmp_path / "real.npy"
    res = cli("data", dataset, "--n", "6", "--seed", "3", "--out", str(out))
    assert res.returncode == 0, res.stderr
    x = np.load(out)
    assert x.shape == shape and np.array_equal(x, get_dataset(dataset).make(6, 3)[0])
    other = tmp_path / "other.npy"
    assert cli("data", dataset, "--n", "6", "--out", str(other)).returncode == 0  # default seed
    assert not np.array_equal(np.load(other), x)


def test_data_bad_input_gives_one_clear_line(tmp_path):
    res = cli("data", "seismic", "--n", "5", "--out", str(tmp_path / "x.npy"))
    assert (
        res.returncode == 2 and "unknown data set 'seismic'" in res.stderr and "Traceback" not in res.stderr
    )
    res = cli("data", "channels", "--n", "0", "--out", str(tmp_path / "x.npy"))
    assert res.returncode == 2 and "positive integer" in res.stderr
    res = cli("data", "channels", "--n", "5", "--out", str(tmp_path / "x.txt"))
    assert res.returncode == 2 and ".npy" in res.stderr
    assert not (tmp_path / "x.npy").exists()


def test_condition_reads_values_and_sigma_in_the_data_units(tmp_path):
    """The crossplot trains on standardised values: --values and --sigma are still read in
    the data's units (porosity fraction, Vp in km/s), as the samples are written."""
    run = tmp_path / "xplot"
    assert run_cli("train", "crossplot-wgan", "--steps", "200", "--out", str(run), "--quiet").returncode == 0
    one = tmp_path / "one.npy"  # a point the generator can make, in physical units
    assert run_cli("sample", str(run), "--n", "1", "--seed", "9", "--out", str(one)).returncode == 0
    vp = float(np.load(one)[0, 1])
    out = tmp_path / "cond.npy"
    res = run_cli("condition", str(run), "--where", "1", "--values", str(vp), "--sigma", "0.01",
                  "--n", "5", "--method", "map", "--steps", "300", "--out", str(out))  # fmt: skip
    assert res.returncode == 0, res.stderr
    points = np.load(out)
    assert points.shape == (5, 2) and np.abs(points[:, 1] - vp).max() < 0.05, (vp, points)


def test_channels_train_sample_condition_as_facies_codes(tmp_path):
    from gan_utils.facies import well_columns

    run = tmp_path / "ch"
    res = cli("train", "channels-gan", "--steps", "3", "--out", str(run), "--quiet")
    assert res.returncode == 0, res.stderr
    out = tmp_path / "s.npy"
    assert cli("sample", str(run), "--n", "5", "--seed", "1", "--out", str(out)).returncode == 0
    x = np.load(out)
    assert x.shape == (5, 64, 64) and set(np.unique(x)) <= {0.0, 1.0}
    real = tmp_path / "real.npy"
    assert cli("data", "channels", "--n", "1", "--out", str(real)).returncode == 0
    where = well_columns([10, 50])
    values = np.load(real)[0].ravel()[where]
    res = cli("condition", str(run), "--where", *map(str, where), "--values", *map(str, values),
              "--sigma", "0.5", "--n", "3", "--steps", "20", "--out", str(out))  # fmt: skip
    assert res.returncode == 0, res.stderr
    c = np.load(out)
    assert c.shape == (3, 64, 64) and set(np.unique(c)) <= {0.0, 1.0}
