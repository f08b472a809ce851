"""The package's version, written once in pyproject.toml."""


def _version() -> str:
    """The version written once, in pyproject.toml: from the installed package's metadata,
    else (a source tree on the path, not installed) from pyproject.toml itself."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("gan_utils")
    except PackageNotFoundError:
        import re
        from pathlib import Path

        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        found = pyproject.is_file() and re.search(r'^version = "([^"]+)"', pyproject.read_text(), re.M)
        return found.group(1) if found else "0+unknown"


#: The package's version (pyproject.toml's); releases are tagged ``v`` + this, e.g. v0.1.0.
__version__ = _version()
