"""Point the course at another repository (a fork), in one command:

    python tools/set_repository.py https://github.com/you/your-fork     # or: make fork URL=...

It rewrites the repository's address where it is written: ``repository: url:`` in
``_config.yml`` (launch buttons, source and issue links), the install cell of every
notebook in book/ (``.ipynb``, and MyST text notebooks ``.md``), and ``repository-code``
in ``CITATION.cff``. Notebooks are not re-executed: only the address inside the install
cell's source text changes, every other byte of the file stays as it was (a pinned
``@vX.Y.Z`` stays too). Standard library only; ``--root`` names another copy of the
repository (the tests use a temporary one).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URL = re.compile(r"^https://[A-Za-z0-9.-]+(/[A-Za-z0-9._~-]+)+$")
# the address in an install cell: gan_utils @ git+URL, then @ref or the closing quote
INSTALL = re.compile(r"(gan_utils @ git\+)(https://[^\s\"'\\@]+?)(/?)(?=[@\"'\\])")
CONFIG_URL = re.compile(
    r"^(repository:[ \t]*(?:#.*)?\n(?:[ \t]+.*\n|[ \t]*#.*\n|[ \t]*\n)*?[ \t]+url:[ \t]*)(\S+)", re.M
)


def check_url(url: str) -> str:
    url = url.strip().rstrip("/")
    url = url.removesuffix(".git")
    if not URL.match(url):
        raise ValueError(f"not a repository address: {url!r} (expected https://HOST/OWNER/NAME)")
    return url


def set_config(text: str, url: str) -> str:
    new, n = CONFIG_URL.subn(lambda m: m.group(1) + url, text, count=1)
    if n != 1:
        raise ValueError("_config.yml has no 'repository: url:' to rewrite")
    return new


def _install_cells(cells: list[dict]) -> list[int]:
    return [
        i
        for i, c in enumerate(cells)
        if c["cell_type"] == "code"
        and INSTALL.search(c["source"] if isinstance(c["source"], str) else "".join(c["source"]))
    ]


def set_notebook(text: str, url: str) -> str:
    """``text`` of an .ipynb with its install cells' address replaced; nothing else
    changes (checked: the parsed notebooks differ only in those cells' sources)."""
    before = json.loads(text)
    cells = _install_cells(before["cells"])
    if not cells:
        return text
    new = INSTALL.sub(lambda m: m.group(1) + url, text)
    after = json.loads(new)
    for i in cells:
        src = before["cells"][i]["source"]
        joined = src if isinstance(src, str) else "".join(src)
        expected = INSTALL.sub(lambda m: m.group(1) + url, joined)
        got = after["cells"][i]["source"]
        assert (got if isinstance(got, str) else "".join(got)) == expected
        before["cells"][i]["source"] = after["cells"][i]["source"]
    if before != after:
        raise ValueError("the address also appears outside the install cell: edit it by hand")
    return new


def set_text_notebook(text: str, url: str) -> str:
    """A MyST text notebook (.md): the address in its ``code-cell`` blocks."""
    return INSTALL.sub(lambda m: m.group(1) + url, text)


def set_repository(url: str, root: Path = ROOT) -> list[Path]:
    """Rewrite the address under ``root``; returns the files that changed."""
    url = check_url(url)
    changed = []

    def rewrite(path: Path, edit) -> None:
        old = path.read_text(encoding="utf-8")
        new = edit(old, url)
        if new != old:
            path.write_bytes(new.encode("utf-8"))
            changed.append(path)

    rewrite(root / "_config.yml", set_config)
    for nb in sorted((root / "book").glob("*.ipynb")):
        rewrite(nb, set_notebook)
    for md in sorted((root / "book").glob("*.md")):
        rewrite(md, set_text_notebook)
    citation = root / "CITATION.cff"
    if citation.exists():
        rewrite(
            citation,
            lambda t, u: re.sub(
                r"^(repository-code:[ \t]*)\S+", lambda m: m.group(1) + f'"{u}"', t, flags=re.M
            ),
        )
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("url", help="the new repository's address, e.g. https://github.com/you/your-fork")
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository's folder (default: this one)")
    args = parser.parse_args(argv)
    try:
        changed = set_repository(args.url, args.root)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in changed:
        print(f"rewrote {path.relative_to(args.root)}")
    if not changed:
        print("nothing to change: the address is already", check_url(args.url))
    print("Rebuild the site (make book); the notebooks keep their stored outputs.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
