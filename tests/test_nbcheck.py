"""The notebook checker (tests/nbcheck.py): each comparison rule passes what it should and
fails what it should, with one line, fast, however large the output."""

import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from tests.nbcheck import CellMismatch, compare_exact, compare_numbers

ROOT = Path(__file__).resolve().parent.parent


def _cell(source: str, stored: str, tags=(), tolerance=None):
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stored)]
    if tags:
        cell.metadata["tags"] = list(tags)
    if tolerance:
        cell.metadata["tolerance"] = tolerance
    return cell


def test_exact_comparison_names_line_and_values():
    compare_exact("a 0.25\nb", "a 0.25\nb")
    with pytest.raises(CellMismatch, match=r"line 2, column 11: stored 'Vp std 0.9393', got 'Vp std 0.9405'"):
        compare_exact("same\nVp std 0.9393", "same\nVp std 0.9405")
    with pytest.raises(CellMismatch, match="stored 1 lines of text, got 2"):
        compare_exact("x", "x\ny")


def test_numbers_within_tolerance_words_exact():
    compare_numbers("coverage 0.744 (7/10)", "coverage 0.779 (7/10)", rtol=0.0, atol=0.05)
    compare_numbers("error -0.01", "error  0.02", rtol=0.0, atol=0.05)  # a column widened by a sign
    with pytest.raises(CellMismatch, match=r"stored 0.744, got 0.850"):
        compare_numbers("coverage 0.744", "coverage 0.850", rtol=0.0, atol=0.05)
    with pytest.raises(CellMismatch, match="line 1: stored"):
        compare_numbers("coverage 0.744 passes", "coverage 0.744 fails", rtol=1.0, atol=1.0)


def test_a_broken_notebook_fails_fast_with_one_line_per_cell(tmp_path):
    huge = "".join(f"frame {i} " + "A" * 200 + "\n" for i in range(25_000))  # 5 MB, one byte differs
    cells = [
        _cell("print(2 + 2)", "4\n"),
        _cell("print(2 + 2)", "5\n"),
        _cell("print(0.101)", "0.1\n", tolerance={"rtol": 0, "atol": 0.01, "why": "test"}),
        _cell("print(0.101)", "0.2\n", tolerance={"rtol": 0, "atol": 0.01, "why": "test"}),
        _cell("print(3)", "99\n", tags=["output-varies"]),
        _cell("assert 1 == 2, 'the claim no longer holds'", ""),
        _cell(f"print({huge!r}, end='')", huge.replace("frame 24999 A", "frame 24999 B")),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    cmd = [sys.executable, "-m", "pytest", "-c", "/dev/null", "--rootdir", str(tmp_path)]
    cmd += ["-p", "tests.nbcheck", "-p", "no:cacheprovider", "-p", "no:nbval", "-q", "-rf", str(path)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    seconds = time.perf_counter() - start
    out = proc.stdout
    assert proc.returncode == 1, out
    assert "4 failed, 3 passed" in out, out
    assert "broken.ipynb cell 1: line 1, column 1: stored '5', got '4'" in out
    assert "broken.ipynb cell 3: line 1: stored 0.2, got 0.101 (tolerance 0.01)" in out
    assert "broken.ipynb cell 5: raised AssertionError: the claim no longer holds" in out
    assert "broken.ipynb cell 6: line 25000, column 13: stored" in out
    assert seconds < 60, f"took {seconds:.0f} s"  # a kernel start plus seven cells; no diffing
