"""tools/set_repository.py (``make fork URL=...``) and the install cell's release pin, on a
temporary copy of the repository's files: the real notebooks are never touched."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NEW = "https://github.com/someone/gans-fork"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


set_repository = _load("set_repository")
nbbuild = _load("install_cell")

MYST = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  name: python3
---

```{code-cell}
:tags: [remove-cell]
%s
```

# A chapter
"""


@pytest.fixture
def copy(tmp_path):
    """The files the command edits, copied; plus a MyST text notebook and a pinned one."""
    for name in ("_config.yml", "CITATION.cff"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "book").mkdir()
    for nb in (ROOT / "book").glob("*.ipynb"):
        shutil.copy(nb, tmp_path / "book" / nb.name)
    (tmp_path / "book" / "05_text.md").write_text(MYST % nbbuild.install_source())
    cells = [nbbuild.pinned_install_cell("0.1.0"), nbformat.v4.new_code_cell("1")]
    pinned = nbformat.v4.new_notebook(cells=cells)
    nbformat.write(pinned, tmp_path / "book" / "06_pinned.ipynb")
    return tmp_path


def test_rewrites_config_cells_and_citation_only(copy):
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    old = nbbuild.repository_url()
    changed = set_repository.set_repository(NEW + "/", copy)
    assert {p.name for p in changed} == {p.name for p in before}  # every file held the address
    config = yaml.safe_load((copy / "_config.yml").read_text())
    assert config["repository"]["url"] == NEW
    original = yaml.safe_load((ROOT / "_config.yml").read_text())
    original["repository"]["url"] = NEW
    assert config == original
    assert yaml.safe_load((copy / "CITATION.cff").read_text())["repository-code"] == NEW
    for path, old_bytes in before.items():
        new_bytes = path.read_bytes()
        # byte for byte: the new file is the old one with the address swapped, nothing else
        assert new_bytes == old_bytes.replace(old.encode(), NEW.encode()), path.name
        assert old.encode() not in new_bytes
    for path in sorted((copy / "book").glob("0[1-4]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        assert nb.cells[0].source == nbbuild.install_cell().source.replace(old, NEW)
        ref = nbformat.read(ROOT / "book" / path.name, as_version=4)
        assert nb.cells[1:] == ref.cells[1:] and nb.metadata == ref.metadata  # outputs kept
    pinned = nbformat.read(copy / "book" / "06_pinned.ipynb", as_version=4).cells[0].source
    assert pinned == nbbuild.install_source(url=NEW, version="0.1.0")
    assert f'"gan_utils @ git+{NEW}@v0.1.0"' in pinned
    assert f'"gan_utils @ git+{NEW}"' in (copy / "book" / "05_text.md").read_text()
    # again: nothing left to change
    assert set_repository.set_repository(NEW, copy) == []


def test_refuses_an_address_outside_the_install_cell(copy):
    path = copy / "book" / "01_adversarial_game.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"][1]["source"] = ['see gan_utils @ git+https://github.com/x/y"\n']
    path.write_text(json.dumps(nb, indent=1))
    with pytest.raises(ValueError, match="outside the install cell"):
        set_repository.set_notebook(path.read_text(), NEW)


@pytest.mark.parametrize("bad", ["github.com/x/y", "https://github.com/x y", "ftp://h/x", ""])
def test_bad_address(copy, bad):
    command = [sys.executable, str(ROOT / "tools" / "set_repository.py"), bad, "--root", str(copy)]
    out = subprocess.run(command, capture_output=True, text=True)
    assert out.returncode == 2 and out.stderr.startswith("error: ")
    assert (copy / "_config.yml").read_bytes() == (ROOT / "_config.yml").read_bytes()


def test_command_line(copy):
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "set_repository.py"), NEW + ".git", "--root", str(copy)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "rewrote _config.yml" in out.stdout and "rewrote book/01_adversarial_game.ipynb" in out.stdout
    assert yaml.safe_load((copy / "_config.yml").read_text())["repository"]["url"] == NEW


def test_install_cell_pins_the_release():
    version = nbbuild.package_version()
    assert nbbuild.release_tag() == f"v{version}"
    cell = nbbuild.pinned_install_cell()
    assert f'"gan_utils @ git+{nbbuild.repository_url()}@v{version}"' in cell.source
    assert cell.metadata["tags"] == ["remove-cell"]
    assert nbbuild.install_cell(pinned=True).source == cell.source
    assert nbbuild.install_cell(pinned=False).source == nbbuild.install_source()
    assert "@v" not in nbbuild.install_source()
