"""Execute the course's notebooks so their stored outputs are reproducible.

The book does not execute notebooks (``execute_notebooks: 'off'``): the outputs
committed with each notebook are what readers see, and what the tests re-check (nbval). This
module is the one way to produce them: a fresh kernel per notebook, progress bars
off (:data:`gan_utils.train.PROGRESS_ENV` = 0, as under the tests), widget state
stored so the website can show the widgets, no timing metadata.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

from .atomic import staged_file
from .checks import RunFailed
from .claims import ENV as CLAIMS_ENV
from .train import PROGRESS_ENV

#: what ``execute`` needs beyond the package's own dependencies (``pip install gan_utils[execute]``)
EXECUTE_PACKAGES = ("nbclient", "nbformat")


class NotebookFailed(RunFailed):
    """A cell raised: the message names the notebook, the cell and the error, in one line."""


def _import_nbclient():
    try:
        import nbclient
        import nbformat
    except ImportError as exc:
        raise ValueError(
            f"executing notebooks needs {' and '.join(EXECUTE_PACKAGES)} ({exc.name} is missing): "
            "pip install 'gan_utils[execute]'"
        ) from None
    return nbclient, nbformat


def find_notebooks(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Every ``.ipynb`` named or found (recursively, skipping build folders) under ``paths``;
    ``ValueError`` if there are none."""
    paths = list(paths)
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
    if not found:
        raise ValueError(f"no notebooks found in {', '.join(repr(str(p)) for p in paths)}")
    return found


def execute_notebook(
    path: str | os.PathLike, timeout: int = 900, write: bool = True, cwd: str | os.PathLike | None = None
) -> float:
    """Run ``path`` top to bottom in a fresh kernel (in ``cwd``, default: the notebook's folder);
    store outputs unless ``write=False``.
    Returns the wall time in seconds; :class:`NotebookFailed` names a failing cell."""
    nbclient, nbformat = _import_nbclient()
    path = Path(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # JSON, schema or encoding errors: nbformat raises many kinds
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ValueError(f"{str(path)!r} is not a readable notebook ({first})") from None
    os.environ[PROGRESS_ENV] = "0"
    # the text's claims must hold in stored outputs: strict unless the caller chose otherwise
    os.environ.setdefault(CLAIMS_ENV, "strict")
    from .polling_client import PollingClient

    client = PollingClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(Path(cwd or path.parent).resolve())}},
        store_widget_state=True,
        record_timing=False,
    )
    start = time.perf_counter()
    try:  # the kernel's own log (its warnings; ZMQ tracebacks after a timeout) stays out of the terminal
        client.execute(stderr=subprocess.DEVNULL)
    except nbclient.exceptions.CellExecutionError as exc:
        raise NotebookFailed(_cell_failure(path, nb, exc)) from None
    except (nbclient.exceptions.CellTimeoutError, nbclient.exceptions.DeadKernelError) as exc:
        raise NotebookFailed(f"{path}: {str(exc).strip().splitlines()[0]}") from None
    seconds = time.perf_counter() - start
    if write:  # atomically: a full disk or a signal leaves the old notebook whole
        with staged_file(path) as tmp:
            nbformat.write(nb, tmp)
    return seconds


def _cell_failure(path: Path, nb, exc) -> str:
    """One line: the notebook, the failing cell (its number among the code cells and its
    first line) and the error name and value."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    failed = [i for i, c in enumerate(code, 1) if any(o.get("output_type") == "error" for o in c.outputs)]
    where = f"code cell {failed[-1]}" if failed else "a cell"
    first = code[failed[-1] - 1].source.strip().splitlines()[:1] if failed else []
    source = f" ({first[0][:60]!r})" if first else ""
    return f"{path}: {where}{source} raised {exc.ename}: {exc.evalue}"
