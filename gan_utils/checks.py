"""The two argument checks every module needs, written once: a positive integer, and a
name from a registry ("unknown X; choose one of ...")."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def is_positive_int(value: object) -> bool:
    """``value`` is an integer (not a bool) >= 1."""
    return not isinstance(value, bool) and isinstance(value, (int, np.integer)) and value >= 1


def positive_int_problem(value: object, what: str) -> str | None:
    """The one-line complaint about ``value`` as a positive integer called ``what``, or None."""
    return None if is_positive_int(value) else f"{what} must be a positive integer, got {value!r}"


def check_positive_int(value: object, what: str) -> int:
    """``value`` as an ``int``; ``ValueError`` unless it is a positive integer."""
    problem = positive_int_problem(value, what)
    if problem:
        raise ValueError(problem)
    return int(value)


def unknown_problem(value: object, choices: Iterable, what: str) -> str | None:
    """``"unknown <what> <value>; choose one of [...]"`` unless ``value`` is one of ``choices``."""
    choices = list(choices)
    return None if value in choices else f"unknown {what} {value!r}; choose one of {sorted(choices)}"


def check_choice(value: object, choices: Iterable, what: str):
    """``value`` if it is one of ``choices``; ``ValueError`` listing them otherwise."""
    problem = unknown_problem(value, choices, what)
    if problem:
        raise ValueError(problem)
    return value
