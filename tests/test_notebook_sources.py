"""Each chapter is written as a MyST Markdown text notebook (book/0N_*.md, the source),
paired by jupytext with the .ipynb that stores its outputs. The two must never drift:
every cell's type, source and the metadata that matters (tags, figure captions, what
JupyterLab collapses) must agree. `make notebooks` (jupytext --sync) brings them back in line."""

from pathlib import Path

import jupytext
import nbformat
import pytest

BOOK = Path(__file__).resolve().parent.parent / "book"
CHAPTERS = sorted(BOOK.glob("0*.md"))
PAGES = CHAPTERS + sorted((BOOK / "evidence").glob("0*.md"))  # the chapters and their "How we know" pages
KEPT = ("tags", "mystnb", "jupyter")


def _inputs(nb) -> list[tuple]:
    return [
        (c.cell_type, c.source.strip(), {k: c.metadata[k] for k in KEPT if k in c.metadata}) for c in nb.cells
    ]


def test_every_chapter_has_a_text_source():
    assert [p.stem for p in CHAPTERS] == [p.stem for p in sorted(BOOK.glob("0*.ipynb"))]
    evidence = BOOK / "evidence"
    assert [p.stem for p in PAGES[len(CHAPTERS) :]] == [p.stem for p in sorted(evidence.glob("0*.ipynb"))]
    assert len(CHAPTERS) >= 4


def test_no_bare_assert_in_a_notebook():
    """A chapter checks its claims with gan_utils.expect, which never stops a student's run."""
    found = [
        f"{md.name} cell {i}"
        for md in PAGES
        for i, c in enumerate(jupytext.read(md).cells)
        if c.cell_type == "code"
        and any(line.lstrip().startswith("assert ") for line in c.source.splitlines())
    ]
    assert not found, f"bare assert (use gan_utils.expect): {found}"


def test_no_old_checker_marks():
    """nbval's tags replaced the old checker's (output-varies, tolerance)."""
    found = [
        f"{md.name} cell {i}"
        for md in PAGES
        for i, c in enumerate(jupytext.read(md).cells)
        if "tolerance" in c.metadata or "output-varies" in c.metadata.get("tags", [])
    ]
    assert not found, f"old checker marks (use the tag nbval-ignore-output): {found}"


@pytest.mark.parametrize("md", PAGES, ids=lambda p: p.name)
def test_text_notebook_and_ipynb_agree(md):
    text, stored = jupytext.read(md), nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    assert text.metadata["jupytext"]["formats"] == "ipynb,md:myst"
    a, b = _inputs(text), _inputs(stored)
    assert len(a) == len(b), f"{md.name}: {len(a)} cells, the .ipynb has {len(b)}; run jupytext --sync"
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        assert x == y, f"{md.name} cell {i} differs from the .ipynb; run jupytext --sync {md.name}"
