"""Command line: ``python -m gan_utils {list,train,sample,execute,bench} --help``.

Results go to stdout or files; progress and messages go to stderr. Bad input
ends with one line ``error: ...`` and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np


def _int_at_least(minimum: int, what: str):
    """An argparse type: an integer >= ``minimum``, with a one-line error otherwise."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a {what} integer, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected a {what} integer, got {value}")
        return value

    return parse


_positive_int = _int_at_least(1, "positive")
_seed = _int_at_least(0, "non-negative")


def cmd_list(args: argparse.Namespace) -> int:
    from .recipes import list_recipes

    rows = list_recipes()
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        mark = "recommended" if r["recommended"] else ""
        print(f"{r['name']:<{width}}  {r['dataset']:<9}  {r['loss']:<13}  {mark:<11}  {r['description']}")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from .recipes import get_recipe
    from .runs import save_run
    from .train import train

    recipe = get_recipe(args.recipe)
    result = train(recipe, args.seed, steps=args.steps, progress=not args.quiet)
    out = save_run(result, args.out)
    h = result.history
    print(
        f"trained {recipe.name} (seed {args.seed}) for {len(h)} generator steps in "
        f"{result.seconds:.1f} s: final D loss {h.d_loss[-1]:.4f}, G loss {h.g_loss[-1]:.4f}",
        file=sys.stderr,
    )
    print(out)
    return 130 if h.interrupted else 0


def _npy_path(text: str) -> Path:
    """The --out file, checked before any work is done."""
    out = Path(text)
    if out.suffix != ".npy":
        raise ValueError(f"--out must name a .npy file, got {str(out)!r}")
    return out


def _save_npy(out: Path, array: np.ndarray, what: str) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    np.save(out, array)
    print(f"wrote {what} to {out}", file=sys.stderr)
    print(out)
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    from .runs import load_run, sample_run
    from .train import setup

    out = _npy_path(args.out)
    setup(args.seed)  # one torch thread: reproducible, and fast for these small networks
    run = load_run(args.run_dir)
    samples = sample_run(run, args.n, args.seed)
    cols = ", ".join(run.columns) or "values"
    return _save_npy(out, samples, f"{samples.shape[0]} x {samples.shape[1]} samples ({cols})")


def cmd_condition(args: argparse.Namespace) -> int:
    from .condition import condition
    from .runs import load_run
    from .train import setup

    out = _npy_path(args.out)
    setup(args.seed)  # one torch thread: reproducible, and fast for these small networks
    run = load_run(args.run_dir)
    if run.recipe.dataset != "well-logs":
        raise ValueError(f"condition works on well-log runs; {args.run_dir!r} is a {run.recipe.dataset} run")
    result = condition(
        run.generator,
        run.recipe.latent_dim,
        args.depths,
        args.values,
        args.sigma,
        n=args.n,
        method=args.method,
        steps=args.steps,
        seed=args.seed,
        discriminator=run.discriminator if args.realism else None,
        realism=args.realism,
    )
    logs = run.scaler.to_physical(result.logs)
    note = "" if result.acceptance is None else f", pCN acceptance {result.acceptance:.2f}"
    return _save_npy(out, logs, f"{len(logs)} conditional logs ({args.method}{note})")


def cmd_execute(args: argparse.Namespace) -> int:
    from .notebooks import execute_notebook, find_notebooks

    for path in find_notebooks(args.paths):
        seconds = execute_notebook(path, timeout=args.timeout)
        print(f"{path}: executed in {seconds:.1f} s", file=sys.stderr)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import run_bench, run_crossplot_bench, run_well_log_bench

    if args.what == "crossplot":
        run_crossplot_bench(seeds=args.seeds, out=args.out)
        return 0
    if args.what == "well-logs":
        run_well_log_bench(seeds=args.seeds, out=args.out)
        return 0
    if args.what == "condition":
        from .bench import run_condition_bench

        run_condition_bench(truths=args.truths, out=args.out)
        return 0
    run_bench(
        seeds=args.seeds,
        notebooks=not args.no_notebooks,
        book=not args.no_book,
        tests=args.tests,
        out=args.out,
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gan_utils",
        description="Train, sample and benchmark the GAN recipes of the course.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("list", help="list the recipes", description="List the recipes, one per line.")
    p.add_argument(
        "--json", action="store_true", help="print JSON (name, dataset, loss, recommended, description)"
    )
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "train",
        help="train a recipe into a run directory",
        description="Train RECIPE; write generator.pt, run.json, history.csv and "
        "real_vs_generated.png into --out.",
    )
    p.add_argument("recipe", help="recipe name (see 'list')")
    p.add_argument(
        "--seed", type=_seed, default=0, help="random seed for data, weights and batches (default 0)"
    )
    p.add_argument(
        "--steps", type=_positive_int, default=None, help="generator steps (default: the recipe's)"
    )
    p.add_argument("--out", default="runs/run", help="run directory to write (default runs/run)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser(
        "sample",
        help="draw samples from a trained run",
        description="Write N samples in physical units to a .npy file: well logs as "
        "N x 128 normalised gamma ray in [0, 1]; crossplot points as N x 2 "
        "(porosity fraction, Vp in km/s).",
    )
    p.add_argument("run_dir", help="a directory written by 'train'")
    p.add_argument("--n", type=_positive_int, required=True, help="number of samples")
    p.add_argument("--seed", type=_seed, default=0, help="seed of the latent codes (default 0)")
    p.add_argument("--out", required=True, help="output .npy file")
    p.set_defaults(func=cmd_sample)

    p = sub.add_parser(
        "condition",
        help="generate well logs that honour a few observations",
        description="Search the latent space of a trained well-log run for N logs that honour "
        "gamma-ray VALUES at DEPTHS (sample indices) within SIGMA: N Markov chains with "
        "preconditioned Crank-Nicolson proposals (pcn, default) or MAP from N starts (map).",
    )
    p.add_argument("run_dir", help="a well-log run directory written by 'train'")
    p.add_argument("--depths", type=int, nargs="+", required=True, help="observed depth samples (0..127)")
    p.add_argument("--values", type=float, nargs="+", required=True, help="observed gamma ray, one per depth")
    p.add_argument("--sigma", type=float, required=True, help="measurement error (standard deviation)")
    p.add_argument("--n", type=_positive_int, default=50, help="number of realisations (default 50)")
    p.add_argument("--method", choices=("pcn", "map"), default="pcn", help="pcn (default) or map")
    p.add_argument(
        "--steps", type=_positive_int, default=None, help="chain or optimisation steps (default 800 / 300)"
    )
    p.add_argument(
        "--realism", type=float, default=0.0, help="weight of the discriminator's realism term (default 0)"
    )
    p.add_argument("--seed", type=_seed, default=0, help="seed of the starting codes (default 0)")
    p.add_argument("--out", required=True, help="output .npy file (N x 128)")
    p.set_defaults(func=cmd_condition)

    p = sub.add_parser(
        "execute",
        help="re-execute notebooks and store their outputs",
        description="Execute notebooks in place (widget state kept, progress bars off).",
    )
    p.add_argument("paths", nargs="*", default=["book"], help="notebooks or folders (default book)")
    p.add_argument("--timeout", type=_positive_int, default=900, help="seconds per cell (default 900)")
    p.set_defaults(func=cmd_execute)

    p = sub.add_parser(
        "bench",
        help="benchmarks: timings, and the chapters' multi-seed tables",
        description="foundation: wall times of the seed recipes (with their seed-statistics check), "
        "notebooks, book build and tests. crossplot / well-logs: chapter 3's / chapter 2's "
        "multi-seed table; condition: chapter 4's conditioning table over hidden truths; "
        "tables are written to gan_utils/results/<name>.json (or --out).",
    )
    p.add_argument(
        "what",
        nargs="?",
        choices=("foundation", "crossplot", "well-logs", "condition"),
        default="foundation",
        help="which benchmark (default foundation)",
    )
    p.add_argument("--seeds", type=_positive_int, default=5, help="seeds per recipe (default 5)")
    p.add_argument(
        "--truths", type=_positive_int, default=20, help="condition: hidden truths (default 20)"
    )
    p.add_argument("--no-notebooks", action="store_true", help="skip timing notebook execution")
    p.add_argument("--no-book", action="store_true", help="skip timing the book build")
    p.add_argument("--tests", action="store_true", help="also time the whole test command")
    p.add_argument("--out", default=None, help="also write the results as JSON to this file")
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
