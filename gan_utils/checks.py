"""The checks every module needs, written once: arguments (a positive integer, a number in
a range, a name from a registry: "unknown X; choose one of ..."), memory before a large
request, and finite results (:class:`RunFailed`: the command line exits with status 1).
"""

from __future__ import annotations

import os
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


class RunFailed(RuntimeError):
    """The work ran but its result is unusable (NaN or infinite values, chains that did not move)."""


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation (None where the system does not say)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(needed: float, what: str) -> None:
    """``ValueError`` when ``needed`` bytes exceed the memory available."""
    available = available_memory()
    if available is not None and needed > available:
        raise ValueError(
            f"{what} needs about {needed / 1e9:.3g} GB of memory, but only "
            f"{available / 1e9:.3g} GB are available; ask for fewer"
        )


def check_finite(array: np.ndarray, what: str) -> np.ndarray:
    """``array`` unchanged, or :class:`RunFailed` if it holds NaN or infinite values."""
    bad = int(np.size(array) - np.isfinite(array).sum())
    if bad:
        raise RunFailed(f"{what} hold {bad} NaN or infinite value(s); the run is not usable")
    return array
