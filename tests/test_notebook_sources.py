"""Each chapter is written as a MyST Markdown text notebook (book/0N_*.md, the source),
paired by jupytext with the .ipynb that stores its outputs. The two must never drift:
every cell's type, source and the metadata that matters (tags, figure captions, output
tolerances) must agree. `jupytext --sync book/0*.md` brings them back in line."""

from pathlib import Path

import jupytext
import nbformat
import pytest

BOOK = Path(__file__).resolve().parent.parent / "book"
CHAPTERS = sorted(BOOK.glob("0*.md"))
KEPT = ("tags", "mystnb", "tolerance")


def _inputs(nb) -> list[tuple]:
    return [
        (c.cell_type, c.source.strip(), {k: c.metadata[k] for k in KEPT if k in c.metadata}) for c in nb.cells
    ]


def test_every_chapter_has_a_text_source():
    assert [p.stem for p in CHAPTERS] == [p.stem for p in sorted(BOOK.glob("0*.ipynb"))]
    assert len(CHAPTERS) >= 4


@pytest.mark.parametrize("md", CHAPTERS, ids=lambda p: p.name)
def test_text_notebook_and_ipynb_agree(md):
    text, stored = jupytext.read(md), nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    assert text.metadata["jupytext"]["formats"] == "ipynb,md:myst"
    a, b = _inputs(text), _inputs(stored)
    assert len(a) == len(b), f"{md.name}: {len(a)} cells, the .ipynb has {len(b)}; run jupytext --sync"
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        assert x == y, f"{md.name} cell {i} differs from the .ipynb; run jupytext --sync {md.name}"
