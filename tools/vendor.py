"""Fetch the JavaScript the website serves itself, so that no page needs another host.

The pinned versions below are the only place they are written. ``npm pack`` downloads each
package's tarball from the npm registry (checked against its sha512 integrity) into
``_build/vendor/tarballs``; the files the site needs are unpacked into
``_build/vendor/site/vendor/``, which ``_config.yml`` serves as ``html_extra_path`` so the
built site has them under ``vendor/`` (not under ``_static/``: Jupyter Book would add every
``.js`` file there to every page). Nothing is committed; a stamp file makes a second run
instant and offline.

    python tools/vendor.py            # fetch if missing or out of date (the book build calls this)
    python tools/vendor.py --check    # exit 1 unless the vendored tree matches the pins

The MathJax, widget-manager and Thebe paths in ``_config.yml`` and ``tools/course_site.py``
point into this tree; ``tests/test_site.py`` checks the html-manager pin against the
installed ipywidgets.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "_build" / "vendor"
TARBALLS = VENDOR / "tarballs"
SITE_EXTRA = VENDOR / "site"  # html_extra_path: its contents land at the site's root
TARGET = SITE_EXTRA / "vendor"

# name -> (version, npm integrity, {path in the package: path under vendor/, or None to skip})
PACKAGES: dict[str, tuple[str, str, dict[str, str | None]]] = {
    # maths: sphinx's mathjax_path -> vendor/mathjax/tex-mml-chtml.js (fonts and extensions
    # are loaded relative to that file, so the whole es5 tree comes along)
    "mathjax": (
        "3.2.2",
        "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
        {"es5": "mathjax"},
    ),
    # widgets: AMD loader, then the embed manager. Must satisfy the installed ipywidgets'
    # ipywidgets._version.__html_manager_version__ (a test checks).
    "requirejs": (
        "2.3.8",
        "sha512-7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonFlyQXSowL6Mw==",
        {"require.js": "requirejs/require.js"},
    ),
    "@jupyter-widgets/html-manager": (
        "1.0.15",
        "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
        {"dist": "html-manager/dist", "dist/embed.js": None},  # embed.js: the non-AMD build
    ),
    # "Live Code": loaded only when a reader presses the button (it then talks to Binder).
    # sphinx-thebe asks for 0.8.2, which the registry no longer serves; 0.9.3 keeps the same
    # `thebelab` API (bootstrap, on).
    "thebe": (
        "0.9.3",
        "sha512-Rb/7kVhtlffXra3kIe7OuIGE7awsm2/fGWxw21DiNfnWLnUQiDl9AWqYdshPwZPG/5DzLpsJRPix2xtCPtJmQQ==",
        {"lib": "thebe/lib"},
    ),
}

# Loaded between require.js and embed-amd.js on pages with widgets (see nb_ipywidgets_js).
WIDGETS_CONFIG = """\
// Written by tools/vendor.py; loaded after require.js and before the widget manager.
(function () {
  // embed-amd.js defines these AMD modules, and each finds its fonts in the folder of its
  // module's URL. Map them all into the vendored dist/ folder (next to this file, whatever
  // folder the page is in), or the fonts are looked for relative to the page.
  var dist = document.currentScript.src.replace(/[^/]*$/, "") + "html-manager/dist/";
  var paths = { "@jupyter-widgets/html-manager/dist": dist };
  ["base", "controls", "base7", "controls7", "html-manager", "output"].forEach(function (name) {
    paths["@jupyter-widgets/" + name] = dist + name;
  });
  require.config({ paths: paths });

  // The manager typesets widget labels with MathJax 2's API (MathJax.Hub.Queue); the site
  // runs MathJax 3. Forward those calls, before and after MathJax 3 replaces window.MathJax.
  if (!window.MathJax) return;
  var hub = {
    Queue: function () {
      Array.prototype.forEach.call(arguments, function (cmd) {
        if (Array.isArray(cmd) && cmd[0] === "Typeset" && window.MathJax.typesetPromise) {
          window.MathJax.typesetPromise([cmd[2]]).catch(function () {});
        }
      });
    },
  };
  window.MathJax.Hub = hub;
  var startup = (window.MathJax.startup = window.MathJax.startup || {});
  var ready = startup.ready;
  startup.ready = function () {
    if (ready) ready(); else window.MathJax.startup.defaultReady();
    window.MathJax.Hub = hub;
  };
})();
"""

SKIP_SUFFIXES = (".map", ".d.ts", ".LICENSE.txt")


def stamp() -> dict[str, str]:
    """What a complete vendored tree was made from (compared before fetching again)."""
    return {name: version for name, (version, _, _) in PACKAGES.items()} | {
        "widgets-config.js": hashlib.sha256(WIDGETS_CONFIG.encode()).hexdigest()[:16]
    }


def is_current() -> bool:
    path = TARGET / "versions.json"
    return path.is_file() and json.loads(path.read_text()) == stamp()


def _check_integrity(path: Path, integrity: str) -> None:
    algo, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algo, path.read_bytes()).digest()).decode()
    if digest != expected:
        raise SystemExit(f"error: {path.name} does not match its pinned integrity {integrity}")


def _fetch(name: str, version: str, integrity: str) -> Path:
    tarball = TARBALLS / (name.lstrip("@").replace("/", "-") + f"-{version}.tgz")
    if not tarball.is_file():
        TARBALLS.mkdir(parents=True, exist_ok=True)
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("error: npm is needed to fetch the site's JavaScript (install Node.js)")
        print(f"vendor: npm pack {name}@{version}", file=sys.stderr)
        subprocess.run(
            [npm, "pack", f"{name}@{version}", "--pack-destination", str(TARBALLS), "--silent"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    _check_integrity(tarball, integrity)
    return tarball


def _unpack(tarball: Path, mapping: dict[str, str | None]) -> None:
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            if not member.isfile() or member.name.endswith(SKIP_SUFFIXES):
                continue
            inner = member.name.split("/", 1)[1]  # strip the tarball's "package/"
            matches = [src for src in mapping if inner == src or inner.startswith(src + "/")]
            if not matches:
                continue
            src = max(matches, key=len)  # the most specific entry wins
            if mapping[src] is None:
                continue
            out = TARGET / mapping[src] / inner[len(src) :].lstrip("/")
            out.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as fsrc:
                out.write_bytes(fsrc.read())


def ensure() -> Path:
    """Make ``_build/vendor/site`` match the pins (a no-op when it already does)."""
    if is_current():
        return SITE_EXTRA
    if TARGET.exists():
        shutil.rmtree(TARGET)
    for name, (version, integrity, mapping) in PACKAGES.items():
        _unpack(_fetch(name, version, integrity), mapping)
    (TARGET / "widgets-config.js").write_text(WIDGETS_CONFIG)
    (TARGET / "versions.json").write_text(json.dumps(stamp(), indent=1) + "\n")
    return SITE_EXTRA


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if out of date")
    args = parser.parse_args(argv)
    if args.check:
        ok = is_current()
        print("vendored JavaScript is " + ("up to date" if ok else "missing or out of date"))
        return 0 if ok else 1
    ensure()
    print(
        f"vendor: {', '.join(f'{n}@{v}' for n, (v, _, _) in PACKAGES.items())} in {TARGET.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
