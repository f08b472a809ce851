"""Claims the chapters make about a computed result, checked without breaking a student's run.

``expect(ok, claim, value=..., bound=...)`` is the one helper the chapters use:

* under the tests (``make test``, ``python -m gan_utils execute``, CI), where the environment
  sets ``GAN_UTILS_CLAIMS=strict``, a claim that does not hold raises :class:`ClaimNotMet`
  with one line: the claim, the value and the bound;
* in a student's own session it prints one short note and the notebook goes on: a changed
  seed, slider or setting is expected to change the numbers the text quotes.
"""

from __future__ import annotations

import os
from numbers import Real

__all__ = ["ClaimNotMet", "expect", "strict"]

#: the environment variable that makes claims raise (its value: ``strict``)
ENV = "GAN_UTILS_CLAIMS"


class ClaimNotMet(AssertionError):
    """A claim of the text does not hold for this run (raised only under the tests)."""


def strict() -> bool:
    """Whether a claim that does not hold raises (under the tests) or prints a note."""
    return os.environ.get(ENV, "").strip().lower() == "strict"


def _show(x) -> str:
    if isinstance(x, bool) or not isinstance(x, Real):
        return str(x)
    return f"{float(x):.4g}"


def expect(ok, claim: str, *, value=None, bound=None) -> None:
    """Check one claim the text makes about a computed result (it returns nothing, so a cell
    that ends with it shows nothing more).

    ``ok`` is the claim's truth (anything ``bool()`` accepts; a NumPy or torch scalar too),
    ``claim`` says it in the text's words, ``value`` is what this run computed and ``bound``
    what the claim needs of it (both only shown in the message).
    """
    if not isinstance(claim, str) or not claim.strip():
        raise ValueError("expect: 'claim' must say, in words, what the text claims")
    if bool(ok):
        return
    detail = ""
    if value is not None:
        detail += f"; value {_show(value)}"
    if bound is not None:
        detail += f"; bound {_show(bound)}"
    if strict():
        raise ClaimNotMet(f"claim not met: {claim}{detail}")
    print(
        f"Note: your run differs from the text here. The text says: {claim}{detail}. "
        "That is expected when you change a seed or a setting."
    )
