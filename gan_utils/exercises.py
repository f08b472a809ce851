"""Exercise solutions that stay folded until the reader opens them.

JupyterLab unfolds a cell's output whenever the cell runs, so a solution cell's printed
answer would show after "Run All". Wrapping the cell's code in :func:`solution` folds what
it prints and draws into one collapsed ``<details>`` block instead: closed after Run All, in
a stored notebook, and on the website alike.
"""

from __future__ import annotations

import base64
import contextlib
import html
import io
from collections.abc import Iterator

import matplotlib.pyplot as plt

__all__ = ["solution"]


def _figure_html(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", dpi=fig.dpi)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="figure of the solution" src="data:image/png;base64,{data}">'


@contextlib.contextmanager
def solution(summary: str = "Solution (click to open)") -> Iterator[None]:
    """Run the ``with`` block, then show what it printed and the figures it drew folded
    under ``summary``. An error inside the block is raised as usual, after what it printed."""
    if not isinstance(summary, str) or not summary.strip():
        raise ValueError("solution: 'summary' must be a non-empty text")
    before = set(plt.get_fignums())
    printed = io.StringIO()
    show = plt.show
    plt.show = lambda *args, **kwargs: None  # figures go into the fold, not above it
    try:
        with contextlib.redirect_stdout(printed):
            yield
    finally:
        plt.show = show
        new = [plt.figure(n) for n in plt.get_fignums() if n not in before]
        figures = "".join(_figure_html(fig) for fig in new)
        for fig in new:
            plt.close(fig)
        text = printed.getvalue()
        body = f"<pre>{html.escape(text)}</pre>" if text.strip() else ""
        _display_html(
            f"<details><summary>{html.escape(summary)}</summary>{body}{figures}</details>",
            text,
        )


def _display_html(markup: str, text: str) -> None:
    """Show ``markup``; where no HTML display exists (a script), print ``text``."""
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:
        print(text, end="")
        return
    if get_ipython() is None:
        print(text, end="")
        return
    display(HTML(markup))
