"""Execute the course's notebooks so their stored outputs are reproducible.

The book does not execute notebooks (``execute_notebooks: 'off'``): the outputs
committed with each notebook are what readers see, and what nbval re-checks. This
module is the one way to produce them: a fresh kernel per notebook, progress bars
off (:data:`gan_utils.train.PROGRESS_ENV` = 0, as under the tests), widget state
stored so the website can show the widgets, no timing metadata.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from .train import PROGRESS_ENV


def find_notebooks(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Every ``.ipynb`` named or found (recursively, skipping build folders) under ``paths``."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(
                q for q in p.rglob("*.ipynb") if not {"_build", ".ipynb_checkpoints"} & set(q.parts)
            )
        elif p.suffix == ".ipynb" and p.is_file():
            found.append(p)
        else:
            raise ValueError(f"{str(p)!r} is neither a notebook nor a folder")
    return found


def execute_notebook(path: str | os.PathLike, timeout: int = 900, write: bool = True) -> float:
    """Run ``path`` top to bottom in a fresh kernel; store outputs unless ``write=False``.
    Returns the wall time in seconds."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    os.environ[PROGRESS_ENV] = "0"
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent.resolve())}},
        store_widget_state=True,
        record_timing=False,
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    if write:
        nbformat.write(nb, path)
    return seconds
