"""A pytest plugin beside nbval: each failing notebook cell is reported in one line (the
notebook, the cell, and the first differing line, stored against new, or the error the
cell raised), never a diff; and standard error (warnings) is not compared."""

import re

ANSI = re.compile(r"\x1b\[[0-9;]*m")
LINE = 160


def _texts(outputs) -> list[str]:
    """The text nbval compares, line by line: standard output (its pieces joined, as nbval
    joins them) and each result's text/markdown or text/plain."""
    chunks: list[str] = []
    stdout: list[str] | None = None
    for out in outputs:
        if out.get("output_type") == "stream":
            if out.get("name") == "stdout":
                if stdout is None:
                    stdout = []
                    chunks.append(stdout)
                stdout.append("".join(out.get("text", "")))
        elif "data" in out:
            for mime in ("text/markdown", "text/plain"):
                if mime in out["data"]:
                    chunks.append("".join(out["data"][mime]))
                    break
    return [ln for c in chunks for ln in ("".join(c) if isinstance(c, list) else c).splitlines()]


def _short(text: str) -> str:
    text = text.strip()
    return text if len(text) <= LINE else text[: LINE - 1] + "…"


def one_line_failure(item, exc) -> str:
    """One line for a failing notebook cell (see the module's docstring)."""
    where = f"{item.fspath.basename} cell {exc.cell_num}"
    if str(exc) != "Cell outputs differ":  # the cell raised, or timed out
        lines = [ln for ln in ANSI.sub("", exc.inner_traceback or "").splitlines() if ln.strip()]
        if "Timeout" in str(exc) or not lines:
            return f"{where}: {exc}"
        return f"{where}: raised {_short(lines[-1])}"
    stored, new = _texts(item.cell.outputs), _texts(getattr(item, "test_outputs", []) or [])
    sanitize = getattr(item, "sanitize", None)
    if sanitize is not None:
        stored, new = [sanitize(s) for s in stored], [sanitize(s) for s in new]
    for number, (a, b) in enumerate(zip(stored, new, strict=False), 1):
        if a != b:
            return f"{where}: output line {number} differs: stored {_short(a)!r}, new {_short(b)!r}"
    if len(stored) != len(new):
        return f"{where}: stored {len(stored)} lines of output, new {len(new)}"
    return f"{where}: {_short(str(exc))}"


def pytest_collection_modifyitems(items):
    """nbval's items report failures in one line."""
    try:
        from nbval.plugin import IPyNbCell, NbCellError
    except ImportError:  # nbval not installed: nothing to change
        return

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, NbCellError):
            return one_line_failure(self, excinfo.value)
        return f"{self.fspath.basename}: {excinfo.value}"

    IPyNbCell.repr_failure = repr_failure
    for item in items:
        if isinstance(item, IPyNbCell) and "stderr" not in item.parent.skip_compare:
            # warnings differ between machines and library versions; they are never results
            item.parent.skip_compare = (*item.parent.skip_compare, "stderr")
