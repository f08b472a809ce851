"""nbval as the course runs it (pyproject.toml's options, tests/nbval_one_line.py): a changed
deterministic number fails in one line naming the cell; an ignored output passes; a claim
that does not hold fails in one line with the claim, the value and the bound; a megabyte
output that differs in one byte fails fast, without a diff."""

import subprocess
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent


def _cell(source: str, stored: str, tags=()):
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stored)] if stored else []
    cell.execution_count = 1
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def test_a_changed_notebook_fails_in_one_line_per_cell(tmp_path):
    huge = "".join(f"frame {i} " + "A" * 200 + "\n" for i in range(25_000))  # 5 MB, one byte differs
    cells = [
        _cell("print(2 + 2)", "4\n"),
        _cell("print(0.25)", "0.26\n"),
        _cell("print(3)", "99\n", tags=["nbval-ignore-output"]),
        _cell(
            "from gan_utils import expect\n"
            "expect(0.3 > 0.5, 'the run ends near one half', value=0.3, bound='> 0.5')",
            "",
        ),
        _cell("import sys; print('warned', file=sys.stderr)", ""),
        _cell(f"print({huge!r}, end='')", huge.replace("frame 24999 A", "frame 24999 B")),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "changed.ipynb"
    nbformat.write(nb, path)
    cmd = [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT)]
    cmd += ["-p", "tests.nbval_one_line", "-q", "-rf", "-p", "no:xdist", str(path)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    seconds = time.perf_counter() - start
    out = proc.stdout
    assert proc.returncode == 1, out
    assert "3 failed, 3 passed" in out, out
    assert "changed.ipynb cell 1: output line 1 differs: stored '0.26', new '0.25'" in out, out
    assert (
        "changed.ipynb cell 3: raised ClaimNotMet: claim not met: the run ends near one half; "
        "value 0.3; bound > 0.5" in out
    ), out
    assert "changed.ipynb cell 5: output line 25000 differs: stored 'frame 24999 B" in out, out
    assert len(out) < 20_000, "the report must not diff the megabyte output"
    assert seconds < 90, f"took {seconds:.0f} s"  # a kernel start plus six cells
