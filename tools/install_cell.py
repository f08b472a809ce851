"""The hidden first cell of every chapter, in one place.

Every chapter (book/0N_*.md, paired with its .ipynb) starts with :data:`INSTALL_CELL`, which installs ``gan_utils``
from the course's repository (``repository: url:`` in ``_config.yml``) when it is missing,
as on Colab, and does nothing (and prints nothing) where it is installed. The website
leaves that cell out (tag ``remove-cell``).
"""

import re
from pathlib import Path

import nbformat as nbf
import yaml

ROOT = Path(__file__).resolve().parent.parent

INSTALL_CELL = """\
try:  # Colab: installs the course's package (a minute); elsewhere it is there already
    import gan_utils  # noqa: F401
except ImportError:
    %pip install --quiet "gan_utils @ git+{url}"
"""

#: False: the install cell installs the default branch's gan_utils (``git+URL``).
#: True: it installs the release the chapters were written with, ``git+URL@vX.Y.Z``
#: (pyproject.toml's version; releases are tagged ``v`` + version). Switch it on once the
#: tag exists on the repository, then ``make fork URL=...`` with the same URL rewrites the cells.
PIN_TO_RELEASE = True


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
    cell.metadata["jupyter"] = {"source_hidden": True}  # collapsed in JupyterLab
    return cell


def pinned_install_cell(version: str | None = None) -> nbf.NotebookNode:
    """The install cell pinned to ``git+{url}@v{version}`` (default: pyproject's version)."""
    cell = nbf.v4.new_code_cell(install_source(version=version or package_version()))
    cell.metadata["tags"] = ["remove-cell"]
    cell.metadata["jupyter"] = {"source_hidden": True}  # collapsed in JupyterLab
    return cell
