"""gan_utils: the shared code of the course "Generative Adversarial Networks for geoscientists".

Data flows one way: recipe -> data + models -> :func:`train` -> generator + history
-> metrics and plots -> notebook or command line.
"""

from importlib.metadata import PackageNotFoundError, version

from .data import Dataset, load_dataset, make_crossplot, make_well_logs
from .recipes import RECIPES, Recipe, get_recipe, list_recipes
from .train import TrainingDiverged, TrainResult, generate, setup, train

try:  # one place: the version in pyproject.toml, via the installed package's metadata
    __version__ = version("gan_utils")
except PackageNotFoundError:  # sources on the path without an installed copy
    __version__ = "0+unknown"

__all__ = [
    "RECIPES",
    "Dataset",
    "Recipe",
    "TrainResult",
    "TrainingDiverged",
    "generate",
    "get_recipe",
    "list_recipes",
    "load_dataset",
    "make_crossplot",
    "make_well_logs",
    "setup",
    "train",
]
