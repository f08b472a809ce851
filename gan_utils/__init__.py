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
from .version import __version__  # noqa: F401 (gan_utils.__version__)

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
