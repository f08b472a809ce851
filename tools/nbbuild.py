"""Tiny helper for the scripts that write the chapters' notebooks from plain-text cells.

Each ``tools/build_chN.py`` lists its cells with :func:`md` and :func:`code` and calls
:func:`write`; ``python -m gan_utils execute`` then stores the outputs.
"""

import re
import subprocess

import nbformat as nbf


def prefix_citations(text: str, prefix: str) -> str:
    """Give a chapter's citations and its bibliography a key prefix: a key cited by two
    chapters would otherwise appear in two bibliographies (a duplicate-citation warning)."""
    text = re.sub(r"(\{cite:[pt]\}`)([^`]+)`", lambda m: m.group(1) + ",".join(
        prefix + k.strip() for k in m.group(2).split(",")) + "`", text)
    return text.replace(":filter: docname in docnames", f":filter: docname in docnames\n:keyprefix: {prefix}")


class Notebook:
    def __init__(self, cite_prefix: str = "") -> None:
        self.cells = []
        self.cite_prefix = cite_prefix

    def md(self, text: str) -> None:
        if self.cite_prefix:
            text = prefix_citations(text, self.cite_prefix)
        self.cells.append(nbf.v4.new_markdown_cell(text.strip("\n")))

    def code(self, text: str, tags: list[str] | None = None) -> None:
        cell = nbf.v4.new_code_cell(text.strip("\n"))
        if tags:
            cell.metadata["tags"] = tags
        self.cells.append(cell)

    def write(self, path: str) -> None:
        nb = nbf.v4.new_notebook(cells=self.cells)
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
        }
        nb.metadata["language_info"] = {"name": "python"}
        nbf.write(nb, path)
        # notebooks are read in a narrow column: keep code lines short
        subprocess.run(["ruff", "format", "-q", "--line-length", "79", path], check=True)
