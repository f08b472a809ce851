"""The website's configuration, without a browser: pins that must agree with each other,
and the first cell every notebook needs on Colab."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import ipywidgets._version
import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


vendor = _load("vendor")
nbbuild = _load("install_cell")


def satisfies(version: str, spec: str) -> bool:
    """npm semver for what ipywidgets writes: ^x.y.z, ~x.y.z or an exact x.y.z."""
    v = tuple(int(p) for p in version.split("."))
    op, base = (spec[0], spec[1:]) if spec[0] in "^~" else ("=", spec)
    b = tuple(int(p) for p in base.split("."))
    if op == "=":
        return v == b
    if op == "~":
        return v >= b and v[:2] == b[:2]
    # caret: no change to the leftmost non-zero part
    lead = next((i for i, x in enumerate(b) if x), len(b) - 1)
    return v >= b and v[: lead + 1] == b[: lead + 1]


def test_semver_helper():
    assert satisfies("1.0.15", "^1.0.1") and not satisfies("2.0.0", "^1.0.1")
    assert not satisfies("1.0.0", "^1.0.1")
    assert satisfies("0.2.9", "^0.2.1") and not satisfies("0.3.0", "^0.2.1")
    assert satisfies("1.2.9", "~1.2.3") and not satisfies("1.3.0", "~1.2.3") and satisfies("1.0.1", "1.0.1")


def test_html_manager_matches_installed_ipywidgets():
    pinned = vendor.PACKAGES["@jupyter-widgets/html-manager"][0]
    wanted = ipywidgets._version.__html_manager_version__
    assert satisfies(pinned, wanted), (
        f"tools/vendor.py pins @jupyter-widgets/html-manager {pinned}, but ipywidgets "
        f"{ipywidgets.__version__} wants {wanted}: pin a version in that range"
    )


def test_site_config_points_at_the_vendored_files():
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]
    assert cfg["html_extra_path"] == [str(vendor.SITE_EXTRA.relative_to(ROOT))]
    targets = [cfg["mathjax_path"], *cfg["nb_ipywidgets_js"]]
    for t in targets:
        assert t.startswith("../vendor/") and "://" not in t, t
    assert cfg["mathjax_path"].removeprefix("../vendor/").startswith(vendor.PACKAGES["mathjax"][2]["es5"])
    files = [t.removeprefix("../vendor/") for t in cfg["nb_ipywidgets_js"]]
    assert files == ["requirejs/require.js", "widgets-config.js", "html-manager/dist/embed-amd.js"]


def _pins(path: Path) -> dict[str, str]:
    """name -> version for every ``name==version`` line (an environment marker after ``;``
    is ignored: the last line for a name wins)."""
    pins = {}
    for line in path.read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)==([^\s#;]+)", line.strip())
        if m:
            pins[m.group(1).lower()] = m.group(2)
    return pins


def test_binder_pins_cpu_torch_and_the_course_pins():
    binder, main = _pins(ROOT / "binder" / "requirements.txt"), _pins(ROOT / "requirements" / "student.txt")
    text = (ROOT / "binder" / "requirements.txt").read_text()
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in text
    assert binder["torch"] == main["torch"].split("+")[0] + "+cpu"
    for name, version in binder.items():
        if name != "torch":
            assert main.get(name) == version, f"binder: {name}=={version}; student.txt: {main.get(name)}"
    deps = re.search(r"^dependencies = \[(.*?)\]", (ROOT / "pyproject.toml").read_text(), re.M | re.S)
    runtime = {re.split(r"[<>=!~ \[]", d)[0].lower() for d in re.findall(r'"([^"]+)"', deps.group(1))}
    assert runtime <= set(binder), f"binder/requirements.txt misses {runtime - set(binder)}"
    # the package itself comes after the repository is copied in: binder/postBuild
    assert not re.search(r"^\s*(-e\s+)?\.\s*$", text, re.M), "install gan_utils in binder/postBuild"
    post = ROOT / "binder" / "postBuild"
    assert re.search(r"^python -m pip install --no-deps -e \.$", post.read_text(), re.M)
    assert post.stat().st_mode & 0o111, "binder/postBuild must be executable"


@pytest.mark.parametrize("path", sorted((ROOT / "book").glob("*.ipynb")), ids=lambda p: p.name)
def test_first_cell_installs_gan_utils_on_colab(path):
    """The literal first cell of every chapter: tools/install_cell.py's install cell."""
    first = nbformat.read(path, as_version=4).cells[0]
    assert first.cell_type == "code" and first.source == nbbuild.install_cell().source, (
        f"{path.name}: first cell is not tools/install_cell.py's install cell (make fork URL=... rewrites it)"
    )
    assert "remove-cell" in first.metadata.get("tags", [])
    assert first.metadata.get("jupyter", {}).get("source_hidden"), "collapsed in JupyterLab"
    assert not first.get("outputs"), "where gan_utils is installed the install cell prints nothing"
