"""A student's changes to each chapter (tests/student_edits/NN.json): its training seed, one
slider or setting, and every exercise's seed. Here, cheaply, that each chapter has them and
that each still applies; ``make student`` (tests/test_jupyterlab.py) runs every chapter with
them in JupyterLab, where no cell may raise and the text's claims only print notes."""

import json
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "book").glob("0*.ipynb"))
EDITS = ROOT / "tests" / "student_edits"


def edits_for(chapter: Path) -> list[dict]:
    path = EDITS / f"{chapter.name[:2]}.json"
    assert path.is_file(), f"{chapter.name}: no student edits in {path.relative_to(ROOT)}"
    edits = json.loads(path.read_text())
    assert edits and all({"old", "new", "why"} <= set(e) for e in edits), f"{path.name}: old/new/why"
    return edits


def apply_edits(nb, edits: list[dict], name: str) -> None:
    """Each edit's ``old`` must stand exactly once in the code cells (so an edit cannot rot)."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    for edit in edits:
        hits = [c for c in code if edit["old"] in c.source]
        count = sum(c.source.count(edit["old"]) for c in code)
        assert count == 1, f"{name}: {edit['old']!r} ({edit['why']}) occurs {count} times, not once"
        hits[0].source = hits[0].source.replace(edit["old"], edit["new"])


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_edits_apply(chapter):
    """Cheap, in every test run: each chapter has edits, and each still applies."""
    edits = edits_for(chapter)
    whys = " ".join(e["why"] for e in edits)
    assert "seed" in whys, f"{chapter.name}: no edit changes a seed"
    apply_edits(nbformat.read(chapter, as_version=4), edits, chapter.name)
