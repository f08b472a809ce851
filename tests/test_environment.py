"""The ways to install the course agree: requirements/student.txt (run the chapters),
requirements/dev.txt (build and test), environment.yml (conda), and the package's version;
plus the citation file. No network: these read files only."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CPU_INDEX = "--extra-index-url https://download.pytorch.org/whl/cpu"
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s#;]+)\s*(?:;\s*(.+?))?\s*$")


def requirement_lines(path: Path) -> list[str]:
    """The lines pip reads, without comments and blanks, ``-r`` files expanded in place."""
    out = []
    for raw in path.read_text().splitlines():
        line = raw.split(" #")[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        if line.startswith("-r "):
            out += requirement_lines(path.parent / line[3:].strip())
        else:
            out.append(line)
    return out


def pins(lines: list[str]) -> dict[tuple[str, str], str]:
    """(name, environment marker) -> version, for every ``name==version[ ; marker]`` line."""
    found = {}
    for line in lines:
        m = PIN.match(line)
        if m:
            key = (m.group(1).lower().replace("_", "-"), (m.group(3) or "").replace("'", '"'))
            assert key not in found, f"{key} pinned twice"
            found[key] = m.group(2)
    return found


STUDENT = requirement_lines(ROOT / "requirements" / "student.txt")
DEV = requirement_lines(ROOT / "requirements" / "dev.txt")


def test_requirement_parser():
    assert pins(["torch==2.0+cpu ; sys_platform != 'darwin'", "a_b==1"]) == {
        ("torch", 'sys_platform != "darwin"'): "2.0+cpu",
        ("a-b", ""): "1",
    }


def test_student_set_has_what_the_chapters_need_and_cpu_torch():
    student = pins(STUDENT)
    names = {name for name, _ in student}
    for need in (
        "torch",
        "numpy",
        "scipy",
        "matplotlib",
        "scikit-learn",
        "tqdm",
        "jupyterlab",
        "ipywidgets",
        "jupyterlab-myst",
        "ipykernel",
    ):
        assert need in names, f"requirements/student.txt misses {need}"
    # every route that installs torch uses the CPU index, and pins its CPU build where one exists
    assert CPU_INDEX in STUDENT
    torch = {marker: v for (name, marker), v in student.items() if name == "torch"}
    assert torch == {'sys_platform != "darwin"': "2.13.0+cpu", 'sys_platform == "darwin"': "2.13.0"}
    assert "-e ." in STUDENT, "the student set installs gan_utils from the clone"
    # nothing the book or the tests need: a student gets no Sphinx, pytest, ...
    for tool in (
        "jupyter-book",
        "pytest",
        "jupytext",
        "ruff",
        "import-linter",
        "playwright",
        "sphinxcontrib-bibtex",
    ):
        assert tool not in names, f"{tool} belongs in requirements/dev.txt"


def test_dev_set_is_the_student_set_plus_the_tools():
    student, dev = pins(STUDENT), pins(DEV)
    assert all(dev.get(k) == v for k, v in student.items()), "dev.txt must include student.txt (-r)"
    extra = {name for name, _ in set(dev) - set(student)}
    assert {
        "jupyter-book",
        "sphinxcontrib-bibtex",
        "nbclient",
        "nbformat",
        "pytest",
        "pytest-xdist",
        "nbval",
        "jupytext",
        "ruff",
        "import-linter",
        "playwright",
    } <= extra
    assert dev[("jupyter-book", "")] == "1.0.4.post1"
    # the root requirements.txt is the full dev set, nothing else
    assert requirement_lines(ROOT / "requirements.txt") == DEV


def test_every_requirements_file_that_installs_torch_names_the_cpu_index():
    for path in [
        ROOT / "requirements.txt",
        *sorted((ROOT / "requirements").glob("*.txt")),
        ROOT / "binder" / "requirements.txt",
    ]:
        lines = requirement_lines(path)
        if any(PIN.match(line) and line.startswith("torch==") for line in lines):
            assert CPU_INDEX in lines, f"{path.relative_to(ROOT)} installs torch without the CPU index"


def test_conda_environment_names_the_same_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    deps = env["dependencies"]
    conda_python = next(d for d in deps if isinstance(d, str) and d.startswith("python="))
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()  # python-3.11
    assert conda_python == "python=" + runtime.removeprefix("python-")
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert pins(pip_section) == pins(STUDENT)
    assert CPU_INDEX in pip_section and "-e ." in pip_section
    assert not any(
        isinstance(d, str) and re.match(r"(pytorch|torch|cudatoolkit|pytorch-cuda)\b", d) for d in deps
    ), "torch comes from pip's CPU index, never a conda CUDA build"


def test_version_is_written_once():
    import gan_utils

    text = (ROOT / "pyproject.toml").read_text()
    version = re.search(r'^version = "([^"]+)"$', text, re.M).group(1)
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), "releases are tagged vX.Y.Z"
    assert gan_utils.__version__ == version
    assert not re.search(r"__version__\s*=\s*[\"']\d", (ROOT / "gan_utils" / "__init__.py").read_text())
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert f"## [{version}]" in changelog and "## [Unreleased]" in changelog


def test_citation_file():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    for key in ("cff-version", "message", "title", "authors", "license", "version"):
        assert key in cff, f"CITATION.cff misses {key}"
    assert cff["cff-version"] == "1.2.0"
    assert set(cff["license"]) == {"CC-BY-4.0", "MIT"}
    assert all("name" in a or "family-names" in a for a in cff["authors"])
    version = re.search(r'^version = "([^"]+)"$', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    assert str(cff["version"]) == version
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"].rstrip("/")
    assert cff["repository-code"].rstrip("/") == url


def test_installed_jupyterlab_extensions_are_compatible():
    """jupyterlab-myst and the widget manager load in the pinned JupyterLab (an extension
    built against other versions of JupyterLab's shared packages is listed with an X)."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "jupyterlab.labextensions", "list"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    text = out.stdout + out.stderr
    assert out.returncode == 0, text
    for extension in ("jupyterlab-myst", "@jupyter-widgets/jupyterlab-manager"):
        assert extension in text, text
    assert "not compatible" not in text, text
