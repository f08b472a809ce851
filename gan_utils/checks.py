"""The checks every module needs, written once: arguments (a positive integer, a number in
a range, a name from a registry: "unknown X; choose one of ..."), memory before a large
request, and finite results (:class:`RunFailed`: the command line exits with status 1).
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Iterable

import numpy as np


def scalar_problem(
    value: object,
    what: str,
    *,
    integer: bool = True,
    minimum: float | None = None,
    strict: bool = False,
    detail: str = "",
) -> str | None:
    """The one-line complaint about ``value`` as a scalar argument called ``what``, or None.

    ``integer``: an ``int`` or NumPy integer (never a bool); else any finite real number.
    ``minimum``: the least value allowed (excluded when ``strict``). ``detail`` follows the
    description, e.g. "of degrees": "angle must be a finite number of degrees, got 'x'"."""
    if isinstance(value, bool):
        ok = False
    elif integer:
        ok = isinstance(value, (int, np.integer))
    else:
        ok = isinstance(value, numbers.Real) and bool(np.isfinite(value))
    if ok and minimum is not None:
        ok = value > minimum if strict else value >= minimum
    if ok:
        return None
    described = _described(integer, minimum, strict) + (f" {detail}" if detail else "")
    return f"{what} must be {described}, got {value!r}"


def _described(integer: bool, minimum: float | None, strict: bool) -> str:
    kind = "integer" if integer else "number"
    if minimum is None:
        return "an integer" if integer else "a finite number"
    if (minimum == 0 and strict) or (integer and minimum == 1 and not strict):
        return f"a positive {kind}"
    if minimum == 0:
        return f"a non-negative {kind}"
    return f"{'an integer' if integer else 'a number'} {'>' if strict else '>='} {minimum}"


def check_scalar(value: object, what: str, **rule) -> int | float:
    """``value`` as an ``int`` (or ``float`` with ``integer=False``); ``ValueError`` unless it
    meets the rule of :func:`scalar_problem`."""
    problem = scalar_problem(value, what, **rule)
    if problem:
        raise ValueError(problem)
    return int(value) if rule.get("integer", True) else float(value)


def positive_int_problem(value: object, what: str) -> str | None:
    """The one-line complaint about ``value`` as a positive integer called ``what``, or None."""
    return scalar_problem(value, what, minimum=1)


def check_positive_int(value: object, what: str) -> int:
    """``value`` as an ``int``; ``ValueError`` unless it is a positive integer."""
    return check_scalar(value, what, minimum=1)


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


def register(registry: dict, name: str, item, what: str, replace: bool = False):
    """Add ``item`` to ``registry`` under ``name`` and return it; ``ValueError`` if the name
    is taken (unless ``replace``). The one rule of the package's registries."""
    if name in registry and not replace:
        raise ValueError(f"{what} {name!r} is already registered (pass replace=True)")
    registry[name] = item
    return item


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
