"""The table registry: every ``python -m gan_utils bench TABLE`` is a :class:`Bench` in
:data:`BENCHES`, and the command line's table names, help and dispatch are read from it.

A table runs as ``bench.run(options, out)``: ``options`` holds the values of the options it
takes (:attr:`Bench.options`, names from :data:`OPTIONS`) and ``root``, the checkout;
``out`` is where its JSON goes (``None``: its own default). Register a new table with
:func:`register_bench`; it then appears in ``bench --help`` and runs from the command line.

The built-in tables are registered at the end of this module. Each ``run`` imports its
table's module when called, so that listing the tables (``--help``) stays quick.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from ..checks import check_choice, register


@dataclass(frozen=True)
class Option:
    """A command-line option a table may take: ``--seeds`` for ``name="seeds"``; an integer
    option when ``default`` is an int, a flag when it is ``False``."""

    name: str
    default: int | bool
    help: str

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


#: every option a table may take, by name
OPTIONS: dict[str, Option] = {
    o.name: o
    for o in (
        Option("seeds", 5, "seeds per recipe"),
        Option("truths", 20, "hidden truths to condition"),
        Option("priors", 5, "priors, each trained from its own seed"),
        Option("sets", 200, "fresh real sets per data set"),
        Option("no_notebooks", False, "skip timing notebook execution"),
        Option("no_book", False, "skip timing the book build"),
        Option("tests", False, "also time the whole test command"),
    )
}


@dataclass(frozen=True)
class Bench:
    """One table of ``python -m gan_utils bench``.

    ``run(options, out)`` makes it; ``options`` names the :data:`OPTIONS` it takes (the
    command line rejects the others); ``help`` is one line for ``bench --help``; a
    ``stored`` table is written to gan_utils/results/<name>.json of the checkout unless
    ``--out`` says otherwise, one that is not only prints (or writes ``--out``)."""

    name: str
    run: Callable[[SimpleNamespace, Path | None], object]
    options: tuple[str, ...] = ()
    help: str = ""
    stored: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name or self.name.startswith("-"):
            raise ValueError(f"a bench table needs a name (not an option), got {self.name!r}")
        if not callable(self.run):
            raise ValueError(f"bench table {self.name!r}: run must be callable")
        object.__setattr__(self, "options", tuple(self.options))
        for name in self.options:
            check_choice(name, OPTIONS, f"option of bench table {self.name!r}")
        if not self.help.strip() or "\n" in self.help:
            raise ValueError(f"bench table {self.name!r}: help must be one line of text")

    def take(self, given: Mapping[str, object], root: str | Path | None = None) -> SimpleNamespace:
        """The options ``run`` gets: ``given`` values (``None`` or ``False``: not given) of
        the options this table takes, their defaults otherwise, and ``root``.
        ``ValueError`` when an option it does not take is given."""
        extra = [n for n, v in given.items() if v is not None and v is not False and n not in self.options]
        if extra:
            takes = ", ".join(OPTIONS[n].flag for n in self.options) or "none of them"
            raise ValueError(
                f"bench {self.name} does not take {', '.join(OPTIONS[n].flag for n in extra)} "
                f"(its options: {takes})"
            )
        values = {}
        for name in self.options:
            value = given.get(name)
            values[name] = OPTIONS[name].default if value is None or value is False else value
        return SimpleNamespace(**values, root=root)


#: the tables, by name, in the order ``bench --help`` lists them
BENCHES: dict[str, Bench] = {}
#: the table ``python -m gan_utils bench`` runs when none is named
DEFAULT_BENCH = "foundation"


def register_bench(bench: Bench, replace: bool = False) -> Bench:
    """Make ``bench`` a table of ``python -m gan_utils bench`` (choices, help, dispatch)."""
    return register(BENCHES, bench.name, bench, "bench table", replace)


def get_bench(name: str) -> Bench:
    """The registered table ``name``; a clear error listing the names otherwise."""
    return BENCHES[check_choice(name, BENCHES, "bench table")]


# ----------------------------------------------------------------------------- built-in tables


def _foundation(o, out):
    from .foundation import run_bench

    return run_bench(
        seeds=o.seeds, notebooks=not o.no_notebooks, book=not o.no_book, tests=o.tests, out=out, root=o.root
    )


def _crossplot(o, out):
    from .experiments import run_crossplot_bench

    return run_crossplot_bench(seeds=o.seeds, out=out)


def _well_logs(o, out):
    from .experiments import run_well_log_bench

    return run_well_log_bench(seeds=o.seeds, out=out)


def _condition(o, out):
    from .experiments import run_condition_bench

    return run_condition_bench(truths=o.truths, out=out)


def _condition_spread(o, out):
    from .experiments import condition_spread

    if o.priors < 2:
        raise ValueError("--priors must be at least 2 to measure a spread")
    return condition_spread(priors=o.priors, out=out)


def _condition_misspecified(o, out):
    from .experiments import condition_misspecified

    return condition_misspecified(truths=o.truths, out=out)


def _ablation(which: str):
    def run(o, out):
        from .experiments import run_ablation

        return run_ablation(which, seeds=o.seeds, out=out)

    return run


def _fresh_seeds(o, out):
    from .experiments import run_fresh_seeds

    return run_fresh_seeds("ablation-well-logs", out=out)


def _channels(o, out):
    from .channels import run_channels_bench

    return run_channels_bench(seeds=o.seeds, out=out)


def _channels_condition(o, out):
    from .channels import run_channels_condition_bench

    return run_channels_condition_bench(truths=o.truths, out=out)


def _channels_gansim(o, out):
    from .gansim import run_gansim_bench

    return run_gansim_bench(truths=o.truths, out=out)


def _which_model(dataset: str):
    def run(o, out):
        from .which_model import run_which_model

        return run_which_model(dataset, seeds=o.seeds, out=out)

    return run


def _real_pass(o, out):
    from .real_pass import run_real_pass

    return run_real_pass(sets=o.sets, out=out)


for _bench in (
    Bench(
        "foundation",
        _foundation,
        ("seeds", "no_notebooks", "no_book", "tests"),
        "wall times of the baseline recipes (with their mean-and-std check), the notebooks, the "
        "book build and the tests on this machine; printed, and written only to --out",
        stored=False,
    ),
    Bench("crossplot", _crossplot, ("seeds",), "chapter 3's multi-seed table"),
    Bench("well-logs", _well_logs, ("seeds",), "chapter 2's multi-seed table"),
    Bench("condition", _condition, ("truths",), "chapter 4's conditioning table over hidden truths"),
    Bench(
        "condition-spread",
        _condition_spread,
        ("priors",),
        "chapter 4's checked row over priors trained from --priors seeds (at least 2): the "
        "tolerance the tests hold a re-trained row to",
    ),
    Bench(
        "condition-misspecified",
        _condition_misspecified,
        ("truths",),
        "chapter 4's thin-bed truths conditioned with the usual prior",
    ),
    Bench(
        "ablation-crossplot",
        _ablation("ablation-crossplot"),
        ("seeds",),
        "chapter 3's recommended recipe built up from the baseline's, one ingredient per step (resumes)",
    ),
    Bench(
        "ablation-well-logs",
        _ablation("ablation-well-logs"),
        ("seeds",),
        "chapter 2's recommended recipe built up from the baseline's, one ingredient per step (resumes)",
    ),
    Bench("channels", _channels, ("seeds",), "chapter 5's multi-seed table"),
    *(
        Bench(
            f"which-model-{dataset}",
            _which_model(dataset),
            ("seeds",),
            f"chapter 6's table: {dataset}'s recommended GAN against flow matching, diffusion and a "
            "VAE, with sampling cost (resumes)",
        )
        for dataset in ("crossplot", "well-logs")
    ),
    Bench(
        "channels-condition",
        _channels_condition,
        ("truths",),
        "chapter 5's conditioning table: the stored run in gan_utils/results/channels-gan against "
        "truncated-Gaussian simulation",
    ),
    Bench(
        "channels-gansim",
        _channels_gansim,
        ("truths",),
        "trains chapter 5's amortised GANSim-style conditional generator from seed 0 (about 3 "
        "minutes; weights to gan_utils/results/channels-gansim/) and scores it on the same "
        "hidden truths and wells",
    ),
    Bench(
        "real-pass",
        _real_pass,
        ("sets",),
        "how many of --sets fresh real sets of each data set pass every row of its chapter's "
        "protocol (what a perfect generator would score)",
    ),
    Bench(
        "ablation-well-logs-fresh",
        _fresh_seeds,
        (),
        "four of chapter 2's ablation steps on fresh seeds 10-19 (resumes)",
    ),
):
    register_bench(_bench)
del _bench

__all__ = ["BENCHES", "DEFAULT_BENCH", "OPTIONS", "Bench", "Option", "get_bench", "register_bench"]
