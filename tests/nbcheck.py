"""pytest plugin: re-execute every chapter notebook, cell by cell, and compare each cell's
stored outputs with the new ones by the course's rule (README, "What the tests compare").

- **Figures, animations, HTML and widgets** are never compared: the cell must run.
- **Text** (printed output, ``text/plain`` results, Markdown tables) is compared
  *exactly* by default: it must be deterministic on every machine (theory checks, closed
  forms, data statistics, stored tables, configuration).
- A cell whose text comes out of training carries one of two marks in its metadata:
  - ``"tolerance": {"rtol": r, "atol": a, "why": "..."}``: words must match exactly and
    every number within ``a + r * |stored|``; ``why`` says which measured spread justifies it;
  - the tag ``output-varies``: the text is not compared (execution only); the claims the
    prose draws from it are ``assert``-ed in the cell itself.
- Standard error (warnings) is never compared. A cell that raises fails.

A failure is one line naming the notebook, the cell, the line, the stored and the new
value; nothing is diffed, so a megabyte-sized output cannot stall the run.
"""

from __future__ import annotations

import queue
import re
import time
from pathlib import Path

import nbformat
import pytest

VARIES_TAG = "output-varies"
TEXT_MIMES = ("text/markdown", "text/plain")
#: what is truly nondeterministic (never results): memory addresses, random element ids,
#: kernel temporary paths
SANITIZE = (
    (re.compile(r"0x[0-9a-fA-F]{6,16}"), "0xADDRESS"),
    (re.compile(r"[0-9a-f]{32}"), "ID"),
    (re.compile(r"/tmp/[A-Za-z0-9_./-]+"), "/tmp/PATH"),
)
NUMBER = re.compile(r"[-+\u2212]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
CELL_TIMEOUT = 900


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix == ".ipynb" and ".ipynb_checkpoints" not in file_path.parts:
        return NotebookFile.from_parent(parent, path=file_path)
    return None


class NotebookFile(pytest.File):
    """One notebook: one kernel, started before its first cell, stopped after its last."""

    def collect(self):
        self.nb = nbformat.read(self.path, as_version=4)
        for index, cell in enumerate(self.nb.cells):
            if cell.cell_type == "code":
                yield CellItem.from_parent(self, name=f"cell {index}", index=index)

    def setup(self) -> None:
        from jupyter_client.manager import start_new_kernel

        self.km, self.kc = start_new_kernel(kernel_name="python3", cwd=str(self.path.parent))

    def teardown(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


class CellMismatch(Exception):
    """A cell's output differs from the stored one (message: one line)."""


class CellItem(pytest.Item):
    def __init__(self, *, index: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.index = index

    def runtest(self) -> None:
        stored = self.parent.nb.cells[self.index]
        outputs = run_cell(self.parent.kc, stored.source, CELL_TIMEOUT)
        for out in outputs:
            if out.output_type == "error":
                raise CellMismatch(f"raised {out.ename}: {_first_line(out.evalue)}")
        check_outputs(stored, nbformat.v4.new_code_cell(outputs=outputs))

    def repr_failure(self, excinfo, style=None) -> str:
        if isinstance(excinfo.value, CellMismatch):
            return f"{self.path.name} cell {self.index}: {excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"{self.path.name}::cell {self.index}"


def run_cell(kc, source: str, timeout: float) -> list:
    """Execute ``source`` with the blocking client ``kc`` and return the cell's outputs as
    a notebook would store them: what an Output widget captures (an ``interact`` panel's
    plots) belongs to the widget, not to the cell. (A blocking client, as nbval used:
    nbclient's asyncio client has been seen to wait forever for a reply after a widget
    cell on a loaded machine.)"""
    msg_id = kc.execute(source, store_history=True, allow_stdin=False)
    deadline = time.monotonic() + timeout
    outputs, captured = [], False
    while True:
        try:
            msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            raise CellMismatch(f"no answer from the kernel in {timeout:.0f} s") from None
        kind, content = msg["msg_type"], msg["content"]
        if kind == "comm_msg":  # an Output widget starts or stops capturing
            state = content.get("data", {}).get("state", {})
            if "msg_id" in state:
                captured = bool(state["msg_id"])
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if kind == "status" and content["execution_state"] == "idle":
            return outputs
        if kind == "clear_output" and not captured:
            outputs = []
        elif kind in ("stream", "display_data", "execute_result", "error") and not captured:
            outputs.append(nbformat.v4.output_from_msg(msg))


def _first_line(text: str, width: int = 160) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def text_outputs(cell) -> list[str]:
    """The comparable text of a cell: stdout, and results that are only text (a result
    with an image, HTML or a widget is a figure: its ``text/plain`` is not compared)."""
    texts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            if out.name == "stdout":
                texts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            data = out.get("data", {})
            if set(data) <= set(TEXT_MIMES):
                mime = next(m for m in TEXT_MIMES if m in data)
                texts.append(data[mime])
    # streams may be split differently between runs: join consecutive text
    return ["".join(texts)] if texts else []


def sanitize(text: str) -> str:
    for pattern, replacement in SANITIZE:
        text = pattern.sub(replacement, text)
    return text


def check_outputs(stored, new) -> None:
    """Raise :class:`CellMismatch` when ``new``'s outputs break the rule for ``stored``."""
    if VARIES_TAG in stored.metadata.get("tags", []):
        return
    old_text, new_text = (sanitize("".join(text_outputs(c))) for c in (stored, new))
    tolerance = stored.metadata.get("tolerance")
    if tolerance is None:
        compare_exact(old_text, new_text)
    else:
        compare_numbers(old_text, new_text, tolerance.get("rtol", 0.0), tolerance.get("atol", 0.0))


def _lines(old: str, new: str):
    old_lines, new_lines = old.splitlines(), new.splitlines()
    if len(old_lines) != len(new_lines):
        raise CellMismatch(f"stored {len(old_lines)} lines of text, got {len(new_lines)}")
    return enumerate(zip(old_lines, new_lines, strict=True), start=1)


def compare_exact(old: str, new: str) -> None:
    for number, (a, b) in _lines(old, new):
        if a != b:
            start = next(i for i, (x, y) in enumerate(zip(a + "\0", b + "\1", strict=False)) if x != y)
            lo, hi = max(0, start - 40), start + 40
            raise CellMismatch(f"line {number}, column {start + 1}: stored {a[lo:hi]!r}, got {b[lo:hi]!r}")


def _number(token: str) -> float:
    return float(token.replace("\u2212", "-"))


def _words(line: str) -> list[str]:
    """The text between the numbers, blanks collapsed (a column may widen by a sign)."""
    return [" ".join(w.split()) for w in NUMBER.split(line)]


def compare_numbers(old: str, new: str, rtol: float, atol: float) -> None:
    for number, (a, b) in _lines(old, new):
        if _words(a) != _words(b):
            raise CellMismatch(f"line {number}: stored {a[:120]!r}, got {b[:120]!r}")
        for x, y in zip(NUMBER.findall(a), NUMBER.findall(b), strict=True):
            limit = atol + rtol * abs(_number(x))
            if abs(_number(y) - _number(x)) > limit:
                raise CellMismatch(
                    f"line {number}: stored {x}, got {y} (tolerance {limit:.3g}) in {a[:100]!r}"
                )
