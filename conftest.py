"""Shared test settings.

- Progress bars off (also inside the notebooks' kernels, which inherit the environment), so
  stored notebook outputs and test runs see the same thing.
- Claims strict: ``gan_utils.expect`` raises when a claim of the text does not hold (in a
  student's own session it prints a note instead).
- nbval re-executes every notebook under ``book/`` (pyproject.toml's options) and compares
  each cell's text outputs with the stored ones, except in cells tagged
  ``nbval-ignore-output``. A failure is reported in one line: the notebook, the cell and
  either the first differing line (stored against new) or the error the cell raised. Nothing
  is diffed, so a megabyte-sized output cannot flood the log.
"""

import os

import pytest

os.environ["GAN_UTILS_PROGRESS"] = "0"
os.environ["GAN_UTILS_CLAIMS"] = "strict"

pytest_plugins = ["tests.nbval_one_line"]

# One torch thread per test worker when the workers fill the cores (make test runs two on two
# cores): two workers' kernels each spinning two threads made some cells ten times slower.
if "PYTEST_XDIST_WORKER_COUNT" in os.environ:
    threads = max(1, (os.cpu_count() or 1) // int(os.environ["PYTEST_XDIST_WORKER_COUNT"]))
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """For ``--dist loadgroup``: a file's tests stay on one worker (a notebook's cells share one
    kernel), except the JupyterLab chapters, each its own group; the long groups go first."""

    def group(item):
        path = item.nodeid.split("::")[0]
        return f"{path}::{item.name}" if path.endswith("test_jupyterlab.py") else path

    def weight(item):
        path = item.nodeid.split("::")[0]
        return 0 if path.endswith("test_jupyterlab.py") else 1 if path.endswith(".ipynb") else 2

    items.sort(key=weight)  # stable: a notebook's cells keep their order
    for item in items:
        if not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(group(item)))


def pytest_terminal_summary(terminalreporter):
    """The slowest test files and notebooks (setup + call + teardown), to keep an eye on the
    test command's time."""
    totals: dict[str, float] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if hasattr(report, "duration") and hasattr(report, "nodeid"):
                path = report.nodeid.split("::")[0]
                totals[path] = totals.get(path, 0.0) + report.duration
    if totals:
        terminalreporter.section("time per file (s)")
        for path, seconds in sorted(totals.items(), key=lambda kv: -kv[1])[:12]:
            terminalreporter.write_line(f"{seconds:7.1f}  {path}")
