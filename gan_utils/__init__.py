"""gan_utils: the shared code of the course "Generative Adversarial Networks for geoscientists".

Data flows one way: recipe -> data + models -> :func:`train` -> generator + history
-> metrics and plots -> notebook or command line.
"""

from . import datasets  # noqa: F401, I001 (registers the built-in data sets before the recipes use them)
from .claims import ClaimNotMet, expect
from .data import Dataset, load_dataset, make_crossplot, make_well_logs
from .exercises import solution
from .recipes import RECIPES, Recipe, get_recipe, list_recipes
from .train import Run, TrainingDiverged, generate, setup, train


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

__all__ = [
    "ClaimNotMet",
    "RECIPES",
    "Dataset",
    "Recipe",
    "expect",
    "Run",
    "TrainingDiverged",
    "generate",
    "get_recipe",
    "list_recipes",
    "load_dataset",
    "make_crossplot",
    "make_well_logs",
    "setup",
    "solution",
    "train",
]
