"""The schema of a run's ``run.json``, checked as a whole at load time.

:func:`check_run_meta` validates the file's structure with a JSON Schema (types, required
and unknown fields), then its values against the recipe and the data set: a registered
recipe, a valid one, the data set it trains on, that data set's columns, and a finite,
positive scaler of the right length. Every problem is one line naming the field.
"""

from __future__ import annotations

import dataclasses

import jsonschema
import numpy as np

from .checks import unknown_problem
from .data import DATASETS, Standardizer, load_dataset
from .models import ModelSpec
from .recipes import RECIPES, Recipe

_NUMBERS = {"oneOf": [{"type": "number"}, {"type": "array", "minItems": 1, "items": {"type": "number"}}]}
_MODEL = {
    "type": "object",
    "required": ["sizes"],
    "additionalProperties": False,
    "properties": {
        "sizes": {"type": "array", "minItems": 2, "items": {"type": "integer", "minimum": 1}},
        "activation": {"type": "string"},
        "output": {"type": "string"},
        "kind": {"type": "string"},
        "options": {"type": "object"},
    },
}
_RECIPE = {
    "type": "object",
    "required": ["name", "dataset", "description", "generator", "discriminator", "loss"],
    "additionalProperties": False,
    "properties": {
        **{f.name: {} for f in dataclasses.fields(Recipe)},  # values: Recipe's own checks
        "name": {"type": "string"},
        "generator": _MODEL,
        "discriminator": {"oneOf": [_MODEL, {"type": "null"}]},
        "betas": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "number"}},
    },
}
RUN_SCHEMA = {
    "type": "object",
    "required": ["recipe", "seed", "dataset", "columns", "scaler"],
    "additionalProperties": False,
    "properties": {
        "gan_utils_version": {"type": "string"},
        "recipe": _RECIPE,
        "seed": {"type": "integer", "minimum": 0, "maximum": 2**64 - 1},
        "steps_done": {"type": "integer", "minimum": 0},
        "interrupted": {"type": "boolean"},
        "dataset": {"type": "string"},
        "columns": {"type": "array", "items": {"type": "string"}},
        "scaler": {
            "type": "object",
            "required": ["mean", "std"],
            "additionalProperties": False,
            "properties": {"mean": _NUMBERS, "std": _NUMBERS},
        },
    },
}


def _structure(meta: object) -> None:
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(RUN_SCHEMA).iter_errors(meta))
    if error is not None:
        where = ".".join(map(str, error.absolute_path)) or "the file"
        raise ValueError(f"{where}: {error.message}")


def recipe_from_dict(d: dict) -> Recipe:
    """A :class:`Recipe` from its ``dataclasses.asdict`` form (lists for tuples)."""
    d = dict(d)
    for net in ("generator", "discriminator"):
        if d[net] is None:  # an objective without a discriminator
            continue
        spec = {**d[net], "sizes": tuple(d[net]["sizes"])}
        if isinstance(spec.get("options"), dict):  # e.g. a conv net's channels, a tuple
            spec["options"] = {k: tuple(v) if isinstance(v, list) else v for k, v in spec["options"].items()}
        d[net] = ModelSpec(**spec)
    if "betas" in d:
        d["betas"] = tuple(d["betas"])
    return Recipe(**d)


def _first_difference(a: dict, b: dict, prefix: str = "") -> tuple[str, object, object] | None:
    """The first key (dotted) where two nested dicts differ, with both values; None if equal."""
    for key in sorted(set(a) | set(b)):
        x, y = a.get(key), b.get(key)
        if isinstance(x, dict) and isinstance(y, dict):
            found = _first_difference(x, y, f"{prefix}{key}.")
            if found:
                return found
        elif x != y:
            return f"{prefix}{key}", x, y
    return None


def _spec_text(spec: ModelSpec | None) -> str:
    return "none" if spec is None else f"a {spec.kind} network"


def _recipe(meta: dict) -> Recipe:
    name = meta["recipe"]["name"]
    if name not in RECIPES:
        raise ValueError(f"recipe.name: {name!r} is not a known recipe; choose one of {sorted(RECIPES)}")
    if meta["dataset"] not in DATASETS:  # registered at run time, so not in the schema
        raise ValueError(f"dataset: {unknown_problem(meta['dataset'], DATASETS, 'data set')}")
    recipe = recipe_from_dict(meta["recipe"])  # Recipe and ModelSpec check their own values
    for net in ("generator", "discriminator"):  # the weights must fit the recipe's networks
        got, want = getattr(recipe, net), getattr(RECIPES[name], net)
        if got is None or want is None:
            if got is not want:
                raise ValueError(
                    f"recipe.{net}: {_spec_text(got)}, but recipe {name!r} has {_spec_text(want)}"
                )
            continue
        changed = _first_difference(dataclasses.asdict(got), dataclasses.asdict(want))
        if changed:
            key, got, want = changed
            raise ValueError(f"recipe.{net}.{key}: {got!r}, but recipe {name!r} has {want!r}")
    if meta["dataset"] != recipe.dataset:
        raise ValueError(f"dataset: {meta['dataset']!r}, but recipe {name!r} trains on {recipe.dataset!r}")
    columns = load_dataset(recipe.dataset, 2, 0).columns
    if tuple(meta["columns"]) != columns:
        raise ValueError(f"columns: {meta['columns']!r}, but data set {recipe.dataset!r} has {list(columns)}")
    return recipe


def _scaler(meta: dict, shape: tuple[int, ...]) -> Standardizer:
    """The scaler, stored flat, in the shape of one sample."""
    dim = int(np.prod(shape))
    parts = {}
    for key in ("mean", "std"):
        value = np.asarray(meta["scaler"][key], dtype=np.float64)
        if value.size not in (1, dim) or not np.isfinite(value).all():
            raise ValueError(f"scaler.{key}: expected 1 or {dim} finite numbers, got {meta['scaler'][key]!r}")
        parts[key] = value.reshape(shape) if value.ndim and value.size == dim else value
    if not (parts["std"] > 0).all():
        raise ValueError(f"scaler.std: must be positive, got {meta['scaler']['std']!r}")
    return Standardizer(parts["mean"], parts["std"])


def check_run_meta(meta: object) -> tuple[Recipe, Standardizer]:
    """The recipe and scaler of a parsed ``run.json``; ``ValueError`` naming the first bad field."""
    _structure(meta)
    recipe = _recipe(meta)
    return recipe, _scaler(meta, DATASETS[recipe.dataset].shape)
