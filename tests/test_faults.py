"""A trained run is never lost and never silently wrong: atomic saves, early checks, and
every fault one clear line (issue 12). Most cases call the command line in-process
(``cli.main``) to keep the suite fast; signals are sent to a real subprocess."""

import contextlib
import copy
import errno
import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from gan_utils import cli, generate, get_recipe, load_dataset, train
from gan_utils.checks import RunFailed
from gan_utils.condition import condition
from gan_utils.runs import load_run, save_run
from gan_utils.train import TrainingDiverged


def run_cli(capsys, *args):
    """``main(args)``: (exit status, stderr)."""
    code = cli.main([str(a) for a in args])
    return code, capsys.readouterr().err


def one_line_error(err):
    lines = [line for line in err.splitlines() if line.strip()]
    return len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err


def leftovers(folder):
    """Temporary files or folders left beside the targets."""
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


@pytest.fixture(scope="module")
def toy_result():
    return train(get_recipe("toy-2d-gan"), 0, steps=3, progress=False)


@pytest.fixture(scope="module")
def log_run(tmp_path_factory):
    result = train(get_recipe("well-logs-lsgan"), 0, steps=20, progress=False)
    return save_run(result, tmp_path_factory.mktemp("logs") / "run", figure=False)


def failing_write(fail_on):
    """A Path.write_bytes that writes half of the file named ``fail_on``, then finds the disk full."""
    real_write = Path.write_bytes

    def write_bytes(path, data):
        if path.name == fail_on:
            real_write(path, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_write(path, data)

    return write_bytes


# ----------------------------------------------------------------------------- 1. data loss


def test_a_failed_weights_write_keeps_the_earlier_run(tmp_path, toy_result, monkeypatch, capsys):
    out = tmp_path / "keep"
    save_run(toy_result, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setattr(Path, "write_bytes", failing_write("generator.pt"))
    with pytest.raises(OSError):
        save_run(toy_result, out, overwrite=True)
    code, err = run_cli(capsys, "train", "toy-2d-gan", "--steps", "2", "--out", out, "--force", "--quiet")
    assert code == 1 and one_line_error(err), err
    assert "No space left on device" in err and "earlier run there is intact" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # old run byte for byte
    assert leftovers(tmp_path) == []
    monkeypatch.undo()
    assert load_run(out).seed == 0


@contextlib.contextmanager
def small_tmpfs(path: Path, *options: str):
    """A 100 KB tmpfs mounted at ``path`` (with extra mount ``options``, e.g. "ro") for the
    duration of the block; the test is skipped, with the reason, where mounting is refused."""
    path.mkdir()
    opts = ",".join(("size=100k", *options))
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(path)], capture_output=True)
    if mount.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mount.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)


def test_a_full_disk_keeps_the_earlier_run(tmp_path, toy_result, capsys):
    """The issue's case: a 100 KB tmpfs holding an earlier run, then a bigger run."""
    with small_tmpfs(tmp_path / "small") as disk:
        save_run(toy_result, disk / "run")
        before = {p.name: p.read_bytes() for p in (disk / "run").iterdir()}
        code, err = run_cli(
            capsys, "train", "well-logs-lsgan", "--steps", "2", "--out", disk / "run", "--force", "--quiet"
        )
        assert code == 1 and one_line_error(err) and "No space left on device" in err, err
        assert {p.name: p.read_bytes() for p in (disk / "run").iterdir()} == before
        assert leftovers(disk) == []
        assert load_run(disk / "run").recipe.name == "toy-2d-gan"


def test_an_existing_run_is_replaced_only_with_force(tmp_path, toy_result, capsys):
    out = tmp_path / "keep"
    save_run(toy_result, out)
    code, err = run_cli(capsys, "train", "toy-2d-gan", "--steps", "2", "--out", out, "--quiet")
    assert code == 2 and one_line_error(err) and "--force" in err
    assert json.loads((out / "run.json").read_text())["steps_done"] == 3
    (out / "stray.txt").write_text("from the earlier run")
    code, err = run_cli(capsys, "train", "toy-2d-gan", "--steps", "2", "--out", out, "--quiet", "--force")
    assert code == 2 and one_line_error(err) and "stray.txt" in err  # not a run's file: kept
    assert (out / "stray.txt").read_text() == "from the earlier run"
    (out / "stray.txt").unlink()
    code, err = run_cli(capsys, "train", "toy-2d-gan", "--steps", "2", "--out", out, "--quiet", "--force")
    assert code == 0, err
    assert json.loads((out / "run.json").read_text())["steps_done"] == 2
    assert leftovers(tmp_path) == []
    other = tmp_path / "notes"
    other.mkdir()
    (other / "thesis.tex").write_text("precious")
    code, err = run_cli(capsys, "train", "toy-2d-gan", "--steps", "2", "--out", other, "--force")
    assert code == 2 and "not a run" in err and (other / "thesis.tex").read_text() == "precious"
    with pytest.raises(FileExistsError):
        save_run(toy_result, out)


def test_force_never_replaces_another_tools_run_json(tmp_path, capsys):
    """Issue 30, item 3: a file named run.json is not enough to make a folder a run."""
    other = tmp_path / "fake"
    other.mkdir()
    (other / "run.json").write_text('{"tool": "someone else"}')
    (other / "thesis_data.csv").write_text("1,2,3")
    code, err = run_cli(capsys, "train", "toy-2d-gan", "--steps", "2", "--out", other, "--force", "--quiet")
    assert code == 2 and one_line_error(err) and "not a run" in err, err
    assert sorted(p.name for p in other.iterdir()) == ["run.json", "thesis_data.csv"]
    (other / "thesis_data.csv").unlink()
    code, err = run_cli(capsys, "train", "toy-2d-gan", "--steps", "2", "--out", other, "--force", "--quiet")
    assert code == 2 and "not written by gan_utils" in err and (other / "run.json").is_file()


def test_a_run_written_meanwhile_is_not_replaced(tmp_path, toy_result, monkeypatch, capsys):
    """Issue 30, item 4: two trainings into one --out; the second finds the first's run at
    save time and saves beside it, never over it."""
    out = tmp_path / "conc" / "run"
    loop = importlib.import_module("gan_utils.train")  # the module (gan_utils.train is the function)
    real_train = loop.train

    def train_while_another_finishes(*args, **kwargs):
        result = real_train(*args, **kwargs)
        save_run(toy_result, out)  # the other process's run lands first
        return result

    monkeypatch.setattr(loop, "train", train_while_another_finishes)
    code, err = run_cli(capsys, "train", "toy-2d-gan", "--steps", "2", "--out", out, "--quiet")
    assert code == 0, err
    assert json.loads((out / "run.json").read_text())["steps_done"] == 3  # the first one's, intact
    assert json.loads((out.parent / "run.new" / "run.json").read_text())["steps_done"] == 2
    assert "run.new" in err and leftovers(out.parent) == []


def test_an_interrupted_retrain_keeps_the_finished_run(tmp_path, toy_result, monkeypatch, capsys):
    """Issue 30, item 5: Ctrl-C during a --force retrain saves the partial run beside the
    finished one, which stays."""
    out = tmp_path / "run"
    save_run(toy_result, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    loop = importlib.import_module("gan_utils.train")  # the module (gan_utils.train is the function)
    real_train = loop.train

    def interrupted(*args, **kwargs):
        result = real_train(*args, **kwargs)
        result.history.interrupted = True
        return result

    monkeypatch.setattr(loop, "train", interrupted)
    code, err = run_cli(capsys, "train", "toy-2d-gan", "--steps", "2", "--out", out, "--force", "--quiet")
    assert code == 130, err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert json.loads((tmp_path / "run.partial" / "run.json").read_text())["interrupted"] is True
    assert "run.partial" in err


def test_out_is_checked_before_any_work(tmp_path, log_run, capsys, monkeypatch):
    """Issue 30, item 7: --out that cannot be written fails at once, in one line, before
    training, sampling or a benchmark (each would otherwise run its full time first)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("mine")
    long_name = "r" * 250
    for args in (
        ("train", "toy-2d-gan", "--out", "."),
        ("train", "toy-2d-gan", "--out", ""),
        ("train", "toy-2d-gan", "--out", long_name),
        ("sample", log_run, "--n", "2", "--out", long_name[:-4] + ".npy"),
        ("bench", "real-pass", "--sets", "2", "--out", tmp_path),
    ):
        start = time.perf_counter()
        code, err = run_cli(capsys, *args)
        assert code == 2 and one_line_error(err), (args, err)
        assert time.perf_counter() - start < 10, args  # refused before the work
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_what_a_killed_writer_left_is_cleaned_up(tmp_path, toy_result):
    """Issue 30, item 7: SIGKILL leaves .<name>.tmp-* (and, mid-replace, .<name>.old-*)
    beside the target. The next write removes those of dead processes only, and puts back a
    run that was being replaced; other hidden files and a live writer's stay."""
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    pid = int(dead.stdout)  # a process that has ended
    out = tmp_path / "run"
    stale_tmp = tmp_path / f".run.tmp-{pid}-abc123"
    stale_old = tmp_path / f".run.old-{pid}-def456"
    live = tmp_path / f".run.tmp-{os.getpid()}-ghi789"
    other = tmp_path / ".run.tmp-notes"
    for folder in (stale_tmp, stale_old, live, other):
        folder.mkdir()
    save_run(toy_result, stale_old / "run")  # killed between the two renames of a replace
    code = cli.main(["train", "toy-2d-gan", "--steps", "2", "--out", str(out), "--quiet"])
    assert code == 2  # the run being replaced is back in place: --force is needed again
    assert not stale_tmp.exists() and not stale_old.exists() and live.is_dir() and other.is_dir()
    assert load_run(out).history.step == list(range(1, 4))
    (tmp_path / f".s.tmp-{pid}-x1y2.npy").write_bytes(b"half")
    code = cli.main(["sample", str(out), "--n", "2", "--out", str(tmp_path / "s.npy")])
    assert code == 0 and not (tmp_path / f".s.tmp-{pid}-x1y2.npy").exists()


def test_a_failed_npy_write_leaves_no_partial_file(tmp_path, toy_result, monkeypatch, capsys):
    run = save_run(toy_result, tmp_path / "run", figure=False)
    out = tmp_path / "s.npy"
    np.save(out, np.zeros(3))
    real_save = np.save

    def half_save(path, array, *args, **kwargs):
        with open(path, "wb") as f:
            f.write(b"\x93NUMPY half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(np, "save", half_save)
    code, err = run_cli(capsys, "sample", run, "--n", "5", "--out", out)
    assert code == 1 and one_line_error(err) and "No space left" in err and "nothing was written" in err

    def short_save(path, array, *args, **kwargs):  # numpy's own words on a full disk
        raise OSError("64000 requested and 10208 written")

    monkeypatch.setattr(np, "save", short_save)
    code, err = run_cli(capsys, "sample", run, "--n", "5", "--out", out)
    assert code == 1 and one_line_error(err) and "is it full?" in err and "requested" not in err
    monkeypatch.setattr(np, "save", real_save)
    assert np.array_equal(np.load(out), np.zeros(3))  # the earlier file is untouched
    assert leftovers(tmp_path) == []


# ----------------------------------------------------------------------------- 2. signals


def _cli_child(*args):
    """The command line in a subprocess with the default Ctrl-C handler (background jobs of
    a non-interactive shell start with SIGINT ignored)."""
    code = (
        "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
        "from gan_utils.cli import main; sys.argv[0] = 'gan-utils'; sys.exit(main(sys.argv[1:]))"
    )
    env = {**os.environ, "GAN_UTILS_PROGRESS": "1"}
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)], stderr=subprocess.PIPE, text=True, env=env
    )


@pytest.mark.parametrize("sig, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_sigterm_and_ctrl_c_save_the_partial_run(tmp_path, sig, status):
    out = tmp_path / "run"
    child = _cli_child("train", "well-logs-lsgan", "--steps", "1000000", "--out", out)
    child.stderr.read(1)  # the progress bar: training has started
    time.sleep(1.0)
    child.send_signal(sig)
    err = child.stderr.read()
    assert child.wait(timeout=120) == status, err
    assert "saved the partial run" in err and "Traceback" not in err
    meta = json.loads((out / "run.json").read_text())
    assert meta["interrupted"] is True and meta["steps_done"] >= 1
    assert load_run(out).recipe.name == "well-logs-lsgan"


@pytest.mark.parametrize("sig, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_two_quick_signals_still_save_the_partial_run(tmp_path, toy_result, monkeypatch, capsys, sig, status):
    """Issue 30, item 6: a second signal while the partial run is checked (after the loop
    caught the first) waits for the save instead of losing the run, and double SIGTERM
    exits 143. The loop is stood in for, so the second signal lands there every time."""
    loop = importlib.import_module("gan_utils.train")

    def train_stopped_twice(*args, **kwargs):
        try:
            os.kill(os.getpid(), sig)  # the first signal, caught by the loop
            time.sleep(1)
        except KeyboardInterrupt:
            pass
        os.kill(os.getpid(), sig)  # the second, during the final weight check
        result = copy.deepcopy(toy_result)
        result.history.interrupted = True
        return result

    monkeypatch.setattr(signal, "getsignal", lambda s: signal.default_int_handler)  # as in a terminal
    monkeypatch.setattr(loop, "train", train_stopped_twice)
    out = tmp_path / "run"
    code, err = run_cli(capsys, "train", "toy-2d-gan", "--steps", "2", "--out", out, "--quiet")
    assert code == status and "saved the partial run" in err and "please wait" in err, err
    assert load_run(out).history.interrupted


def test_a_second_ctrl_c_waits_for_the_save(tmp_path, monkeypatch, capsys):
    import gan_utils.runs

    real_save_run = gan_utils.runs.save_run

    def save_run_interrupted(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while saving
        time.sleep(0.1)
        return real_save_run(*args, **kwargs)

    monkeypatch.setattr(gan_utils.runs, "save_run", save_run_interrupted)
    out = tmp_path / "run"
    code, err = run_cli(capsys, "train", "toy-2d-gan", "--steps", "2", "--out", out, "--quiet")
    assert code == 0 and "SIGINT received: saving the run" in err and "please wait" in err
    assert load_run(out).recipe.name == "toy-2d-gan"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored


# ----------------------------------------------------------------------------- 3, 4. early checks


@pytest.fixture
def no_training(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("trained before checking --out")

    monkeypatch.setattr(importlib.import_module("gan_utils.train"), "train", fail)


def test_out_is_checked_before_training(tmp_path, capsys, no_training, monkeypatch):
    afile = tmp_path / "afile.txt"
    afile.write_text("x")
    code, err = run_cli(capsys, "train", "toy-2d-gan", "--out", afile)
    assert code == 2 and one_line_error(err) and "is a file" in err
    code, err = run_cli(capsys, "train", "toy-2d-gan", "--out", afile / "run")
    assert code == 2 and one_line_error(err) and "cannot write --out" in err

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr("tempfile.mkdtemp", read_only)
    code, err = run_cli(capsys, "train", "toy-2d-gan", "--out", tmp_path / "run")
    assert code == 2 and one_line_error(err) and "Read-only file system" in err


def as_user_nobody(fn):
    """``fn()`` in a forked child running as user ``nobody`` (the caller is root): its
    result (made of JSON types); what it raised fails the test."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child)
        try:
            os.close(read)
            os.setgid(65534)
            os.setuid(65534)
            text = json.dumps(fn())
        except BaseException as exc:  # noqa: BLE001 (reported to the parent)
            text = json.dumps(f"raised {exc!r}")
        os.write(write, text.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        text = pipe.read().decode()
    os.waitpid(pid, 0)
    result = json.loads(text)
    if isinstance(result, str) and result.startswith("raised "):
        pytest.fail(f"as user nobody: {result}")
    return result


def test_force_onto_another_users_run_is_refused_before_any_work(capsys, no_training, toy_result):
    """Probe 7: ``train --force`` onto a run another user owns (root's run in a shared
    folder, sticky as /tmp is) trained for its full time, then failed at save. Run as root,
    the test retrains as ``nobody``; otherwise the run is made read-only to the user."""
    shared = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        run = save_run(toy_result, shared / "run", figure=False)
        before = sorted(p.name for p in run.iterdir())
        if os.geteuid() == 0:
            shared.chmod(0o1777)
            retrain = ("train", "toy-2d-gan", "--out", run, "--force")
            code, err = as_user_nobody(lambda: run_cli(capsys, *retrain))
        else:
            run.chmod(0o555)
            code, err = run_cli(capsys, "train", "toy-2d-gan", "--out", run, "--force")
            run.chmod(0o755)
        assert code == 2 and one_line_error(err) and "cannot replace --out" in err, err
        assert sorted(p.name for p in run.iterdir()) == before and not leftovers(shared)
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_a_read_only_filesystem_is_refused_before_any_work(tmp_path, capsys, no_training, log_run):
    with small_tmpfs(tmp_path / "ro", "ro") as ro:
        for args in (
            ("train", "toy-2d-gan", "--out", ro / "run"),
            ("sample", log_run, "--n", "3", "--out", ro / "s.npy"),
            (
                "condition",
                log_run,
                "--where",
                "3",
                "--values",
                "0.5",
                "--sigma",
                "0.1",
                "--out",
                ro / "c.npy",
            ),  # fmt: skip
        ):
            code, err = run_cli(capsys, *args)
            assert code == 2 and one_line_error(err) and "Read-only file system" in err, args


def test_a_huge_n_is_refused_with_a_clear_message(tmp_path, log_run, capsys):
    start = time.perf_counter()
    code, err = run_cli(capsys, "sample", log_run, "--n", "1000000000", "--out", tmp_path / "s.npy")
    assert code == 2 and one_line_error(err) and "GB of memory" in err
    code, err = run_cli(capsys, "condition", log_run, "--where", "3", "--values", "0.5", "--sigma", "0.1",
                        "--n", "1000000000", "--out", tmp_path / "c.npy")  # fmt: skip
    assert code == 2 and one_line_error(err) and "GB of memory" in err
    assert time.perf_counter() - start < 10 and not (tmp_path / "s.npy").exists()


# ----------------------------------------------------------------------------- 5-7. silently wrong


def test_a_blow_up_on_the_last_update_is_a_divergence(monkeypatch, capsys, tmp_path):
    """Finite losses before the update, samples of +-inf after it (the issue's case)."""
    wild = get_recipe("crossplot-wgan").replace(optimizer="sgd", lr=1e36)
    with pytest.raises(TrainingDiverged, match="makes NaN or infinite samples after 1 step"):
        train(wild, 0, steps=1, progress=False)
    monkeypatch.setitem(importlib.import_module("gan_utils.recipes").RECIPES, "crossplot-wgan", wild)
    code, err = run_cli(capsys, "train", "crossplot-wgan", "--steps", "1", "--out", tmp_path / "r", "--quiet")
    assert code == 1 and one_line_error(err) and "diverged" in err and not (tmp_path / "r").exists()


def _edit_run(run, tmp_path, edit):
    copy = tmp_path / "edited"
    shutil.copytree(run, copy)
    meta = json.loads((copy / "run.json").read_text())
    edit(meta)
    (copy / "run.json").write_text(json.dumps(meta))
    return copy


def test_non_finite_samples_and_scalers_are_refused(tmp_path, toy_result, capsys):
    run = save_run(toy_result, tmp_path / "run", figure=False)
    huge = _edit_run(run, tmp_path, lambda m: m["scaler"].update(mean=[3.4e38, -3.4e38], std=[3e38, 3e38]))
    code, err = run_cli(capsys, "sample", huge, "--n", "50", "--out", tmp_path / "s.npy")
    assert code == 1 and one_line_error(err) and "NaN or infinite" in err
    assert not (tmp_path / "s.npy").exists()
    shutil.rmtree(huge)
    nan = _edit_run(run, tmp_path, lambda m: m["scaler"].update(mean=[float("nan"), 0.0]))
    code, err = run_cli(capsys, "sample", nan, "--n", "5", "--out", tmp_path / "s.npy")
    assert code == 2 and one_line_error(err) and "scaler.mean" in err


def test_non_finite_weights_and_figures_are_refused(tmp_path, capsys):
    result = train(get_recipe("toy-2d-gan"), 0, steps=2, progress=False)
    with torch.no_grad():
        for p in result.generator.parameters():
            p.mul_(1e30)
    from gan_utils.checks import RunFailed

    with pytest.raises(RunFailed, match="NaN or infinite"):  # the final figure's samples
        save_run(result, tmp_path / "run")
    assert not (tmp_path / "run").exists() and leftovers(tmp_path) == []
    finite = train(get_recipe("toy-2d-gan"), 0, steps=2, progress=False)
    run = save_run(finite, tmp_path / "run", figure=False)
    with torch.no_grad():
        next(result.generator.parameters()).fill_(float("inf"))
    with pytest.raises(RunFailed, match="NaN or infinite weights; not saved"):  # issue 30, item 10
        save_run(result, tmp_path / "inf", figure=False)
    torch.save(result.generator.state_dict(), run / "generator.pt")  # written by something else
    code, err = run_cli(capsys, "sample", run, "--n", "5", "--out", tmp_path / "s.npy")
    assert code == 2 and one_line_error(err) and "NaN or infinite weights" in err


def test_realism_without_a_discriminator_is_an_error(tmp_path, log_run, capsys):
    run = tmp_path / "no-critic"
    shutil.copytree(log_run, run)
    (run / "discriminator.pt").unlink()
    code, err = run_cli(capsys, "condition", run, "--where", "3", "--values", "0.5", "--sigma", "0.1",
                        "--realism", "1", "--out", tmp_path / "c.npy")  # fmt: skip
    assert code == 2 and one_line_error(err) and "discriminator.pt" in err
    assert not (tmp_path / "c.npy").exists()


def test_stuck_pcn_chains_fail_instead_of_returning_prior_draws(tmp_path, log_run, capsys):
    code, err = run_cli(capsys, "condition", log_run, "--where", "10", "60", "--values", "0.2", "0.8",
                        "--sigma", "1e-25", "--n", "4", "--steps", "60",
                        "--out", tmp_path / "c.npy")  # fmt: skip
    assert code == 1 and one_line_error(err) and "hardly moved" in err and "acceptance 0.000" in err
    assert not (tmp_path / "c.npy").exists()


# ----------------------------------------------------------------------------- 8. run.json


@pytest.mark.parametrize(
    "edit, field",
    [
        (lambda m: m.pop("seed"), "'seed' is a required property"),
        (lambda m: m.update(seed=None), "seed: None is not of type 'integer'"),
        (lambda m: m.update(seed=1.7), "seed: 1.7 is not of type 'integer'"),
        (lambda m: m.update(columns="gamma"), "columns: 'gamma' is not of type 'array'"),
        (lambda m: m.update(columns=["x"]), "columns: ['x']"),
        (lambda m: m["scaler"].update(mean="zero"), "scaler.mean"),
        (lambda m: m["scaler"].update(std=[1.0, 2.0]), "scaler.std"),
        (lambda m: m["recipe"].update(name="my-renamed-recipe"), "recipe.name: 'my-renamed-recipe'"),
        (lambda m: m["recipe"].update(betas=[0.5]), "recipe.betas"),
        (lambda m: m["recipe"].update(colour="red"), "'colour' was unexpected"),
        (lambda m: m.update(dataset="crossplot"), "dataset: 'crossplot', but recipe"),
        (lambda m: m["recipe"].update(lr=-1), "lr must be a positive number"),
        # issue 30, item 8: a run that contradicts its recipe's networks is refused before
        # anything is built (a hidden size of 1e9 tried to allocate 32 GB)
        (lambda m: m["recipe"]["generator"]["sizes"].__setitem__(1, 10**9), "recipe.generator.sizes"),
        (lambda m: m["recipe"]["generator"].update(output="identity"), "recipe.generator.output: 'identity'"),
    ],
)
def test_a_malformed_run_json_is_one_line_naming_the_field(tmp_path, log_run, edit, field):
    bad = _edit_run(log_run, tmp_path, edit)
    with pytest.raises(ValueError) as info:
        load_run(bad)
    message = str(info.value)
    assert field in message and "corrupt" in message and "\n" not in message, message


def test_a_deeply_nested_run_json_and_a_garbage_history_are_one_line(tmp_path, log_run, capsys):
    bad = tmp_path / "nested"
    shutil.copytree(log_run, bad)
    (bad / "run.json").write_text("[" * 100_000)
    with pytest.raises(ValueError, match="run.json is nested too deeply"):
        load_run(bad)
    garbage = tmp_path / "history"
    shutil.copytree(log_run, garbage)
    (garbage / "history.csv").write_text("step,d_loss\nnot,a number\n")
    with pytest.raises(ValueError, match="history.csv' is not a loss history"):
        load_run(garbage)
    code, err = run_cli(capsys, "sample", garbage, "--n", "2", "--out", tmp_path / "s.npy")
    assert code == 0 and np.load(tmp_path / "s.npy").shape == (2, 128), err  # sample needs no history


def test_non_finite_critic_scores_fail_score_filtering(tmp_path, capsys):
    """Issue 30, item 9: a discriminator scaled by 1e30 (finite weights, NaN scores) must not
    let the top-k filter pick arbitrary samples."""
    from gan_utils.runs import STORED_RUNS_DIR

    run = tmp_path / "r1"
    shutil.copytree(STORED_RUNS_DIR / "crossplot-gan-r1", run)
    state = torch.load(run / "discriminator.pt", weights_only=True)
    scaled = {k: v * 1e30 if v.is_floating_point() else v for k, v in state.items()}
    torch.save(scaled, run / "discriminator.pt")
    code, err = run_cli(capsys, "sample", run, "--n", "10", "--out", tmp_path / "s.npy")
    assert code == 1 and one_line_error(err) and "scores are not all finite" in err, err
    assert not (tmp_path / "s.npy").exists()


def test_the_last_messages_of_issue_30(tmp_path, log_run, toy_result, capsys):
    """Issue 30, item 10: each message names the real problem, in one line."""
    afile = tmp_path / "afile"
    afile.write_text("x")
    code, err = run_cli(capsys, "sample", afile, "--n", "2", "--out", tmp_path / "s.npy")
    assert code == 2 and one_line_error(err) and "is a file, not a run directory" in err, err
    code, err = run_cli(capsys, "condition", log_run, "--where", "3", "--values", "0.5", "--sigma", "1e-300",
                        "--method", "map", "--out", tmp_path / "c.npy")  # fmt: skip
    assert code == 2 and one_line_error(err) and "too small" in err and "beta" not in err, err
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [}')
    code, err = run_cli(capsys, "execute", broken)
    assert code == 2 and one_line_error(err) and "not a readable notebook" in err, err
    nan = copy.deepcopy(toy_result)
    with torch.no_grad():
        next(nan.generator.parameters()).fill_(float("nan"))
    with pytest.raises(RunFailed, match="NaN or infinite weights; not saved"):
        save_run(nan, tmp_path / "nan-run")
    assert not (tmp_path / "nan-run").exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda r, g: train(r, steps=1, data=np.zeros((10, 2)), progress=False), "data must be a Dataset"),
        (
            lambda r, g: train(r, steps=1, data=load_dataset("toy-2d", 0, 0)),
            "n must be a positive integer, got 0",
        ),
        (lambda r, g: generate(g, 5, -1), "latent_dim must be a positive integer, got -1"),
        (lambda r, g: generate(g, 5, 2.0), "latent_dim must be a positive integer, got 2.0"),
        (lambda r, g: load_dataset("toy-2d", 10, seed="x"), "seed must be a non-negative integer, got 'x'"),
        (lambda r, g: load_dataset("toy-2d", 10, seed=-1), "seed must be a non-negative integer, got -1"),
        (lambda r, g: condition(g, 2, [[0]], [[0.1]], 0.1), "must be flat lists, got shapes (1, 1)"),
        (
            lambda r, g: train(r.replace(batch_size=10**9), steps=1, progress=False),
            "batch_size 1000000000 needs",
        ),
    ],
)
def test_public_api_errors_name_the_argument(toy_result, call, message):
    """Issue 30, item 11: one line naming the argument, not an error from deep inside."""
    with pytest.raises(ValueError) as info:
        call(get_recipe("toy-2d-gan"), toy_result.generator)
    assert message in str(info.value) and "\n" not in str(info.value), str(info.value)


def test_train_takes_a_recipe_name():
    assert train("toy-2d-gan", steps=1, progress=False).recipe.name == "toy-2d-gan"


def test_a_run_without_a_critic_loads_with_none(tmp_path, log_run):
    run = tmp_path / "no-critic"
    shutil.copytree(log_run, run)
    (run / "discriminator.pt").unlink()
    assert load_run(run).discriminator is None


# ----------------------------------------------------------------------------- smaller items


def test_recipe_rejects_bad_betas_and_overflowing_learning_rates():
    r = get_recipe("toy-2d-gan")
    for changes, message in (
        ({"betas": (0.5, 0.9, 0.99)}, "betas must be two numbers"),
        ({"betas": (0.5,)}, "betas must be two numbers"),
        ({"lr": 1e39}, "lr must be a positive number below"),
        ({"lr_d": float("inf")}, "lr_d must be a positive number below"),
    ):
        with pytest.raises(ValueError, match=message):
            r.replace(**changes)


def test_generate_with_the_wrong_latent_size_is_a_clear_error(toy_result):
    with pytest.raises(ValueError, match="does not take latent codes of size 7"):
        generate(toy_result.generator, 5, 7)
    assert toy_result.generator.training  # mode restored


def test_a_float32_sigma_is_accepted(toy_result):
    from gan_utils.condition import check_observations

    depths, values = check_observations([1], [0.5], np.float32(0.05))
    assert depths.tolist() == [1] and values.tolist() == [0.5]


def test_an_overflowing_seed_names_the_option(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["train", "toy-2d-gan", "--seed", str(2**70)])
    err = capsys.readouterr().err
    assert info.value.code == 2 and "argument --seed: expected an integer in 0.." in err


def test_corrupt_weights_are_not_a_run_and_not_to_be_loaded_unsafely(tmp_path, log_run):
    bad = tmp_path / "bad"
    shutil.copytree(log_run, bad)
    torch.save({"x": np.arange(3)}, bad / "generator.pt")  # a pickle that is not plain tensors
    with pytest.raises(ValueError) as info:
        load_run(bad)
    message = str(info.value)
    assert "is not the weights file of a run" in message and "unless you trust its source" in message
    assert "will likely succeed" not in message and "\n" not in message


def _notebook(path, *cells):
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_execute_needs_notebooks_and_reports_a_failing_cell_in_one_line(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, err = run_cli(capsys, "execute", empty)
    assert code == 2 and one_line_error(err) and "no notebooks found" in err
    nb = _notebook(tmp_path / "broken.ipynb", "x = 1", "y = 2\n1 / 0")
    code, err = run_cli(capsys, "execute", nb, "--timeout", "60")
    assert code == 1 and one_line_error(err), err
    assert "broken.ipynb: code cell 2 ('y = 2') raised ZeroDivisionError: division by zero" in err


def test_execute_stores_outputs_and_a_slow_cell_times_out_in_one_line(tmp_path, capfd):
    """The kernel's own log reached the terminal: a timed-out cell printed a 20-line ZMQ
    traceback before the error (issue 30, item 10); ``capfd`` sees what child processes print."""
    import nbformat

    nb = _notebook(tmp_path / "ok.ipynb", "print('hello')", "import time\ntime.sleep(1.5)\n6 * 7")
    code, err = run_cli(capfd, "execute", nb, "--timeout", "60")
    assert code == 0, err
    cells = nbformat.read(nb, as_version=4).cells
    assert cells[0].outputs[0]["text"] == "hello\n" and cells[1].outputs[0]["data"]["text/plain"] == "42"
    slow = _notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(30)")
    code, err = run_cli(capfd, "execute", slow, "--timeout", "2")
    assert code == 1 and one_line_error(err) and "timed out" in err, err
    dies = _notebook(tmp_path / "dies.ipynb", "import os\nos._exit(1)")
    code, err = run_cli(capfd, "execute", dies, "--timeout", "30")
    assert code == 1 and one_line_error(err) and "Kernel died" in err, err


def test_execute_on_a_full_disk_keeps_the_notebook(tmp_path, capsys, monkeypatch):
    """Issue 30, item 2: the notebook was rewritten in place and cut to invalid JSON."""
    import nbformat

    nb = _notebook(tmp_path / "precious.ipynb", "print('hello')")
    before = nb.read_bytes()
    real_write = nbformat.write

    def half_write(notebook, path, *args, **kwargs):
        Path(path).write_text('{"cells": [')
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(nbformat, "write", half_write)
    code, err = run_cli(capsys, "execute", nb, "--timeout", "60")
    assert code == 1 and one_line_error(err) and "No space left on device" in err, err
    assert nb.read_bytes() == before and leftovers(tmp_path) == []
    synced = []
    monkeypatch.setattr(nbformat, "write", real_write)
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd))
    assert run_cli(capsys, "execute", nb, "--timeout", "60")[0] == 0
    assert synced and nbformat.read(nb, as_version=4).cells[0].outputs  # flushed, then renamed


def test_execute_without_nbclient_says_what_to_install(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "nbclient", None)
    nb = _notebook(tmp_path / "a.ipynb", "x = 1")
    code, err = run_cli(capsys, "execute", nb)
    assert code == 2 and one_line_error(err) and "pip install 'gan_utils[execute]'" in err
    import tomllib

    from gan_utils.notebooks import EXECUTE_PACKAGES

    meta = tomllib.loads(open(os.path.join(os.path.dirname(__file__), "..", "pyproject.toml")).read())
    assert set(EXECUTE_PACKAGES) <= set(meta["project"]["optional-dependencies"]["execute"])


def test_progress_env_and_quiet_silence_the_bar(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GAN_UTILS_PROGRESS", "1")
    code, err = run_cli(capsys, "train", "toy-2d-gan", "--steps", "30", "--out", tmp_path / "a")
    assert code == 0 and "toy-2d-gan:" in err  # the bar is there by default
    monkeypatch.setenv("GAN_UTILS_PROGRESS", "0")
    code, err = run_cli(capsys, "train", "toy-2d-gan", "--steps", "30", "--out", tmp_path / "b")
    assert code == 0 and "toy-2d-gan:" not in err
    monkeypatch.setenv("GAN_UTILS_PROGRESS", "1")
    for verb in ("list", "sample", "condition", "execute", "bench"):
        assert "--quiet" in cli.build_parser()._subparsers._group_actions[0].choices[verb].format_help()
    code, err = run_cli(capsys, "train", "toy-2d-gan", "--steps", "30", "--out", tmp_path / "c", "--quiet")
    assert code == 0 and "toy-2d-gan:" not in err


def test_bench_and_execute_need_a_checkout_and_never_write_into_the_package(tmp_path, capsys, monkeypatch):
    from dataclasses import replace

    from gan_utils.bench import BENCHES

    monkeypatch.chdir(tmp_path)
    for args in (("bench", "crossplot", "--seeds", "1"), ("bench",), ("execute",)):
        code, err = run_cli(capsys, *args)
        assert code == 2 and one_line_error(err) and "needs one" in err and "--root" in err, args
    checkout = tmp_path / "repo"
    (checkout / "book").mkdir(parents=True)
    (checkout / "gan_utils").mkdir()
    (checkout / "gan_utils" / "__init__.py").write_text("")
    written = {}
    fake = replace(BENCHES["crossplot"], run=lambda options, out: written.update(out=out))
    monkeypatch.setitem(BENCHES, "crossplot", fake)
    code, err = run_cli(capsys, "bench", "crossplot", "--seeds", "1", "--root", checkout)
    assert code == 0 and written["out"] == checkout / "gan_utils" / "results" / "crossplot.json"
    code, err = run_cli(capsys, "bench", "crossplot", "--out", tmp_path / "x.json")
    assert code == 0 and written["out"] == tmp_path / "x.json"


# ----------------------------------------------------------------------------- sibling issue


def test_version_and_prog(capsys, monkeypatch):
    import gan_utils

    monkeypatch.setattr(sys, "argv", ["/usr/local/bin/gan-utils"])
    with pytest.raises(SystemExit) as info:
        cli.main(["--version"])
    assert info.value.code == 0 and capsys.readouterr().out.strip() == f"gan-utils {gan_utils.__version__}"
    from importlib.metadata import version

    assert gan_utils.__version__ == version("gan_utils")
    monkeypatch.setattr(sys, "argv", ["/x/gan_utils/__main__.py"])
    assert cli.build_parser().prog == "python -m gan_utils"


def test_device_is_checked_and_passed_through(tmp_path, capsys, monkeypatch, no_training):
    code, err = run_cli(capsys, "train", "toy-2d-gan", "--device", "cuda", "--out", tmp_path / "r")
    if not torch.cuda.is_available():
        assert code == 2 and one_line_error(err) and "CUDA is not available" in err
    with pytest.raises(SystemExit):
        cli.main(["train", "toy-2d-gan", "--device", "tpu"])
    assert "expected cpu, cuda or cuda:N" in capsys.readouterr().err
    seen = {}
    spy = lambda *args, **kwargs: seen.update(kwargs) or 1 / 0  # noqa: E731
    monkeypatch.setattr(importlib.import_module("gan_utils.train"), "train", spy)
    with pytest.raises(ZeroDivisionError):
        cli.main(["train", "toy-2d-gan", "--out", str(tmp_path / "r")])
    assert seen["device"] == torch.device("cpu")


@pytest.mark.parametrize(
    ("value", "rule", "message"),
    [
        (0, {"minimum": 1}, "n must be a positive integer, got 0"),
        (True, {"minimum": 1}, "n must be a positive integer, got True"),
        (2.0, {"minimum": 0}, "n must be a non-negative integer, got 2.0"),
        (1, {"minimum": 2}, "n must be an integer >= 2, got 1"),
        (0.0, {"integer": False, "minimum": 0, "strict": True}, "n must be a positive number, got 0.0"),
        (
            float("nan"),
            {"integer": False, "detail": "of degrees"},
            "n must be a finite number of degrees, got nan",
        ),
    ],
)
def test_scalar_checks_say_what_is_wanted_in_one_line(value, rule, message):
    from gan_utils.checks import check_scalar

    with pytest.raises(ValueError) as err:
        check_scalar(value, "n", **rule)
    assert str(err.value) == message


def test_scalar_checks_pass_good_values_through():
    from gan_utils.checks import check_scalar

    assert check_scalar(np.int64(3), "n", minimum=1) == 3 and type(check_scalar(np.int64(3), "n")) is int
    assert check_scalar(np.float32(0.5), "s", integer=False, minimum=0, strict=True) == 0.5
