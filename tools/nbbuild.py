"""Tiny helper for the scripts that write the chapters' notebooks from plain-text cells.

Each ``tools/build_chN.py`` lists its cells with :func:`md` and :func:`code` and calls
:func:`write`; ``python -m gan_utils execute`` then stores the outputs.

Every notebook written here starts with :data:`INSTALL_CELL`, which installs ``gan_utils``
from the course's repository (``repository: url:`` in ``_config.yml``) when it is missing,
as on Colab, and does nothing (and prints nothing) where it is installed. The website
leaves that cell out (tag ``remove-cell``).
"""

import re
import subprocess
from pathlib import Path

import nbformat as nbf
import yaml

ROOT = Path(__file__).resolve().parent.parent

INSTALL_CELL = """\
# Colab, or any Jupyter without the course installed: install its package (about a
# minute); where gan_utils is installed (Binder, your clone) this does nothing.
try:
    import gan_utils  # noqa: F401
except ImportError:
    %pip install --quiet "gan_utils @ git+{url}"
"""


def repository_url() -> str:
    """The course's repository, from its one place: ``repository: url:`` in ``_config.yml``."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return config["repository"]["url"].rstrip("/")


def install_cell() -> nbf.NotebookNode:
    cell = nbf.v4.new_code_cell(INSTALL_CELL.format(url=repository_url()).strip("\n"))
    cell.metadata["tags"] = ["remove-cell"]
    return cell


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
        self.n_figures = 0

    def md(self, text: str) -> None:
        if self.cite_prefix:
            text = prefix_citations(text, self.cite_prefix)
        self.cells.append(nbf.v4.new_markdown_cell(text.strip("\n")))

    def code(self, text: str, tags: list[str] | None = None, caption: str | None = None) -> None:
        """A code cell. With ``caption``, its figure (or animation) becomes a numbered
        figure with that caption on the website; the cell must display exactly one."""
        cell = nbf.v4.new_code_cell(text.strip("\n"))
        if tags:
            cell.metadata["tags"] = tags
        if caption:
            self.n_figures += 1
            name = f"{self.cite_prefix or 'nb-'}fig-{self.n_figures}"
            cell.metadata["mystnb"] = {"figure": {"caption": caption.strip().replace("\n", " "), "name": name}}
        self.cells.append(cell)

    def write(self, path: str) -> None:
        nb = nbf.v4.new_notebook(cells=[install_cell(), *self.cells])
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
        }
        nb.metadata["language_info"] = {"name": "python"}
        nbf.write(nb, path)
        # notebooks are read in a narrow column: keep code lines short
        subprocess.run(["ruff", "format", "-q", "--line-length", "79", path], check=True)
