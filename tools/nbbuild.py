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

#: False: the install cell installs the default branch's gan_utils (``git+URL``).
#: True: it installs the release the chapters were written with, ``git+URL@vX.Y.Z``
#: (pyproject.toml's version; releases are tagged ``v`` + version). Switch it on once the
#: tag exists on the repository, then ``make notebooks outputs``.
PIN_TO_RELEASE = False


def repository_url() -> str:
    """The course's repository, from its one place: ``repository: url:`` in ``_config.yml``."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return config["repository"]["url"].rstrip("/")


def package_version() -> str:
    """gan_utils' version, from its one place: ``version`` in ``pyproject.toml``."""
    match = re.search(r'^version = "([^"]+)"$', (ROOT / "pyproject.toml").read_text(), re.M)
    return match.group(1)


def release_tag(version: str | None = None) -> str:
    """The git tag of a release: ``v`` + the version (``v0.1.0``)."""
    return "v" + (version or package_version())


def install_source(url: str | None = None, version: str | None = None) -> str:
    """The install cell's code: ``gan_utils @ git+{url}``, or pinned to the release tag
    ``git+{url}@v{version}`` when ``version`` is given."""
    target = (url or repository_url()).rstrip("/")
    if version is not None:
        target += "@" + release_tag(version)
    return INSTALL_CELL.format(url=target).strip("\n")


def install_cell(pinned: bool | None = None) -> nbf.NotebookNode:
    """Every notebook's first cell (hidden on the website); pinned to the current release
    when ``pinned`` (default :data:`PIN_TO_RELEASE`)."""
    pinned = PIN_TO_RELEASE if pinned is None else pinned
    cell = nbf.v4.new_code_cell(install_source(version=package_version() if pinned else None))
    cell.metadata["tags"] = ["remove-cell"]
    return cell


def pinned_install_cell(version: str | None = None) -> nbf.NotebookNode:
    """The install cell pinned to ``git+{url}@v{version}`` (default: pyproject's version)."""
    cell = nbf.v4.new_code_cell(install_source(version=version or package_version()))
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
