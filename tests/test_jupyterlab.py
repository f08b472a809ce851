"""Each chapter in JupyterLab, in a headless browser, as a student meets it, in student mode:
its training seed, one slider or setting and every exercise's seed changed
(tests/student_edits/NN.json), claims printing notes instead of raising. Open it, Run All,
save, reopen: no cell may end in an error, no "model not found" widget error may show (a
progress bar or widget whose model is gone), and the solutions stay collapsed.

Runs with ``make student`` (it executes every chapter once more, in a real JupyterLab).
Needs Debian's Chromium (``/usr/bin/chromium``) and Playwright from PyPI, as tests/test_site.py.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from tests.test_site import CHROMIUM, CHROMIUM_ARGS
from tests.test_student_mode import apply_edits, edits_for

pytestmark = pytest.mark.student

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(p.name for p in (ROOT / "book").glob("0*.ipynb"))
RUN_TIMEOUT = 900  # s for one chapter's Run All, on 2 busy cores
#: JupyterLab renders every cell (no windowing), so every output can be searched
SETTINGS = {"@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 over a copy of book/, with claims as in a student's
    session (notes, not errors)."""
    root = tmp_path_factory.mktemp("lab")
    skip = shutil.ignore_patterns("_build", ".ipynb_checkpoints", "*.md")  # the .ipynb only
    shutil.copytree(ROOT / "book", root / "book", ignore=skip)
    settings = root / "settings"
    for name, values in SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port = _free_port()
    # progress bars on, as in a student's session (conftest.py turns them off for nbval)
    env = {k: v for k, v in os.environ.items() if k != "GAN_UTILS_PROGRESS"}
    env |= {"GAN_UTILS_CLAIMS": "note", "JUPYTERLAB_SETTINGS_DIR": str(settings)}
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1"]
    command += ["--ServerApp.token=", "--ServerApp.password=", f"--ServerApp.root_dir={root}"]
    command += [
        "--LabApp.news_url=",
        "--ServerApp.disable_check_xsrf=True",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.workspaces_dir={root / 'workspaces'}",  # never the user's saved layout
    ]
    command += ["--allow-root"] if os.geteuid() == 0 else []  # CI runs as root
    log = open(root / "lab.log", "w")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status", timeout=5)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"JupyterLab did not start: {(root / 'lab.log').read_text()[-500:]}")
            time.sleep(1)
    yield url, root
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def _open(page, url: str, name: str, wait_idle: bool = True) -> None:
    # ?reset: a fresh layout with this notebook only, not the tabs an earlier test left open
    page.goto(f"{url}/lab/tree/book/{name}?reset", timeout=120_000)
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", state="attached", timeout=120_000)
    if not wait_idle:
        return
    # the kernel is up when the status bar says Idle
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-StatusBar-TextItem, .jp-Toolbar-kernelStatus')]"
        ".some(e => /Idle/.test(e.textContent || e.title || ''))",
        timeout=120_000,
    )


#: true once every code cell with a source has an execution count and the kernel is idle
#: (a running or queued cell has none; collapsed cells show no prompt, so the DOM cannot say)
ALL_RUN = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = panel.content.widgets.filter(c => c.model.type === 'code');
  return kernel && kernel.status === 'idle' && cells.every(
    c => c.model.executionCount !== null || !c.model.sharedModel.getSource().trim());
}"""


def _run_all_and_wait(page) -> None:
    page.keyboard.press("Escape")
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_timeout(2000)
    page.wait_for_function(ALL_RUN, timeout=RUN_TIMEOUT * 1000, polling=2000)


def _shut_down_kernels(url: str) -> None:
    with urllib.request.urlopen(f"{url}/api/kernels", timeout=30) as r:
        kernels = json.load(r)
    for kernel in kernels:
        request = urllib.request.Request(f"{url}/api/kernels/{kernel['id']}", method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()


@pytest.mark.parametrize("name", CHAPTERS)
def test_run_all_save_reopen(lab, browser, name):
    url, root = lab
    nb = nbformat.read(root / "book" / name, as_version=4)  # a student's changes: seeds, a slider
    apply_edits(nb, edits_for(ROOT / "book" / name), name)
    nbformat.write(nb, root / "book" / name)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        _open(page, url, name)
        _run_all_and_wait(page)
        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
        page.wait_for_function(
            "() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=60_000
        )
        page.reload()
        _open(page, url, name, wait_idle=False)
        page.wait_for_timeout(10_000)  # the outputs render
        page.screenshot(path=str(root / f"{name}.png"), full_page=False)
        text = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").inner_text()
    finally:
        context.close()
        _shut_down_kernels(url)  # a closed tab leaves its kernel running
    assert "model not found" not in text, f"{name}: a widget's model is gone after saving and reopening"
    saved = nbformat.read(root / "book" / name, as_version=4)
    code = [c for c in saved.cells if c.cell_type == "code"]
    errors = [
        f"code cell {i}: {o.get('ename')}: {o.get('evalue')}"
        for i, c in enumerate(code)
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors, f"{name} in student mode: {'; '.join(errors)}"
    unrun = [i for i, c in enumerate(code) if c.source.strip() and c.execution_count is None]
    assert not unrun, f"{name}: code cells {unrun} did not run"
    solutions = [
        c
        for c in code
        if c.metadata.get("jupyter", {}).get("source_hidden")
        and "remove-cell" not in c.metadata.get("tags", [])
    ]
    # JupyterLab unfolds a cell's outputs when it runs: a solution stays hidden only when
    # everything it shows is folded into gan_utils.solution's <details> block
    shown = [
        c.source.splitlines()[0]
        for c in solutions
        for o in c.outputs
        if (o.get("output_type") == "stream" and o.get("name") == "stdout")
        or ("data" in o and not "".join(o["data"].get("text/html", "")).startswith("<details>"))
    ]
    assert not shown, f"{name}: solution outputs shown after Run All: {shown}"
