"""The ``foundation`` bench: wall times on this machine, printed as a table (numbers, not a
timed test). ``python -m gan_utils bench`` trains each baseline recipe over several seeds
(and checks the baseline's mean-and-std check on each), executes every notebook without
writing it, builds the book into a temporary folder, and optionally runs the whole test
command.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from ..data import get_dataset
from ..recipes import get_recipe
from ..train import train
from .experiments import find_checkout

BASELINE_RECIPES = ("well-logs-lsgan", "crossplot-wgan")


def mean_std_ok(name: str, real: np.ndarray, fake: np.ndarray) -> bool:
    """The quick reproduction check of recipe ``name``'s data set (its registered
    ``statistics_ok``; e.g. well logs: generated mean and std within 0.05 of real)."""
    spec = get_dataset(get_recipe(name).dataset)
    if spec.statistics_ok is None:
        raise ValueError(f"data set {spec.name!r} has no statistics check")
    return spec.statistics_ok(real, fake)


def _timed(cmd: list[str], cwd: Path) -> tuple[float, int]:
    start = time.perf_counter()
    code = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    return time.perf_counter() - start, code


def run_bench(
    seeds: int = 5,
    notebooks: bool = True,
    book: bool = True,
    tests: bool = False,
    out: str | None = None,
    root: str | Path | None = None,
) -> dict:
    """Wall times of the baseline recipes, and (in the checkout ``root``, see
    :func:`find_checkout`) of the notebooks, the book build and the test command."""
    if notebooks or book or tests:
        root = find_checkout(root)
    results: dict = {"recipes": {}, "notebooks": {}, "book_build_s": None, "tests_s": None}
    print(f"{'recipe':<18} {'seed':>4} {'train s':>8}  seed statistics", flush=True)
    for name in BASELINE_RECIPES:
        rows = []
        for seed in range(seeds):
            result = train(get_recipe(name), seed, progress=False)
            fake = result.sample(2048, seed=1)
            ok = mean_std_ok(name, result.data.physical, fake)
            rows.append({"seed": seed, "seconds": round(result.seconds, 2), "stats_ok": ok})
            print(f"{name:<18} {seed:>4} {result.seconds:>8.2f}  {'ok' if ok else 'off'}", flush=True)
        times = [r["seconds"] for r in rows]
        results["recipes"][name] = {
            "runs": rows,
            "median_s": float(np.median(times)),
            "stats_ok": sum(r["stats_ok"] for r in rows),
        }
        print(
            f"{name:<18} median {np.median(times):.2f} s; seed statistics reproduced on "
            f"{results['recipes'][name]['stats_ok']}/{seeds} seeds",
            flush=True,
        )
    if notebooks:
        from ..notebooks import execute_notebook, find_notebooks

        for nb in find_notebooks([root / "book"]):
            seconds = execute_notebook(nb, write=False)
            results["notebooks"][nb.name] = round(seconds, 1)
            print(f"notebook {nb.name}: {seconds:.1f} s", flush=True)
    if book:
        with tempfile.TemporaryDirectory() as tmp:
            jupyter_book = str(Path(sys.executable).parent / "jupyter-book")
            cmd = [jupyter_book, "build", ".", "-W", "-n", "--keep-going", "--path-output", tmp]
            seconds, code = _timed(cmd, root)
        results["book_build_s"] = round(seconds, 1)
        print(f"book build: {seconds:.1f} s (exit {code})", flush=True)
    if tests:
        seconds, code = _timed(["bash", ".ci/run"], root)
        results["tests_s"] = round(seconds, 1)
        print(f"whole test command: {seconds:.1f} s (exit {code})", flush=True)
    if out:
        Path(out).write_text(json.dumps(results, indent=2) + "\n")
    return results


__all__ = ["BASELINE_RECIPES", "mean_std_ok", "run_bench"]
