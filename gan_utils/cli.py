"""Command line: ``python -m gan_utils {list,data,train,sample,condition,execute,bench} --help``.

Results go to stdout or files; progress and messages go to stderr. Every fault ends with
one line ``error: ...``, never a traceback: exit status 2 for bad input (checked before
any work), 1 for a run-time failure (a diverged run, NaN output, a full disk), 130 after
Ctrl-C and 143 after SIGTERM (a training run saves its partial result first).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from .checks import RunFailed
from .version import __version__

#: the largest seed torch accepts
MAX_SEED = 2**64 - 1


def _int_in(minimum: int, maximum: int | None, what: str):
    """An argparse type: an integer in ``minimum..maximum``, with a one-line error otherwise
    (argparse adds the option's name)."""
    wanted = f"a {what} integer" if maximum is None else f"an integer in {minimum}..{maximum}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}") from None
        if value < minimum or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {value}")
        return value

    return parse


_positive_int = _int_in(1, None, "positive")
_seed = _int_in(0, MAX_SEED, "non-negative")


def _device(text: str) -> str:
    """An argparse type: ``cpu``, ``cuda`` or ``cuda:N``."""
    if not re.fullmatch(r"cpu|cuda(:\d+)?", text):
        raise argparse.ArgumentTypeError(f"expected cpu, cuda or cuda:N, got {text!r}")
    return text


def _check_device(name: str):
    """The torch device ``name``, or ``ValueError`` when CUDA is asked for but not there."""
    import torch

    if name.startswith("cuda"):
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        index = int(name.partition(":")[2] or 0)
        if index >= count:
            raise ValueError(
                f"--device {name}: CUDA is not available on this machine ({count} CUDA device(s)); "
                "use --device cpu"
            )
    return torch.device(name)


def _progress(args: argparse.Namespace) -> bool | None:
    """No bar with --quiet; otherwise the GAN_UTILS_PROGRESS setting decides."""
    return False if args.quiet else None


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


class _Stop:
    """While training and saving: the first Ctrl-C or SIGTERM stops the loop (the partial
    result is kept; SIGTERM is remembered for the exit status); any later one only says to
    wait, so the partial run is checked and saved whole."""

    def __init__(self) -> None:
        self.terminated = False
        self.stopping = False

    def _stop(self, signum, frame) -> None:
        if self.stopping:
            print(f"{signal.Signals(signum).name} received: stopping; please wait", file=sys.stderr)
            return
        self.stopping = True
        self.terminated = signum == signal.SIGTERM
        raise KeyboardInterrupt

    def __enter__(self) -> _Stop:
        # a signal the process ignores (Ctrl-C in a background job) stays ignored
        taken = [
            sig for sig in (signal.SIGINT, signal.SIGTERM) if signal.getsignal(sig) is not signal.SIG_IGN
        ]
        self._old = {sig: signal.signal(sig, self._stop) for sig in taken}
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self._old.items():
            signal.signal(sig, handler)


@contextmanager
def _signals_wait(what: str):
    """While saving: Ctrl-C and SIGTERM wait for the save to finish (with a message)."""

    def wait(signum, frame) -> None:
        print(f"{signal.Signals(signum).name} received: {what}; please wait", file=sys.stderr)

    old = {sig: signal.signal(sig, wait) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def _run_out(text: str, force: bool) -> Path:
    """The --out run folder, checked before training: creatable and writable, and not an
    existing run (unless --force) or anything else."""
    from .atomic import check_writable, remove_stale
    from .runs import not_a_run

    out = Path(text)
    if out.parent.is_dir():
        remove_stale(out)  # what a killed train left (a run it was replacing goes back)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {text!r} is a file, not a run folder")
    if out.is_dir() and any(out.iterdir()):
        problem = not_a_run(out)
        if problem:
            raise ValueError(f"--out {text!r} is not a run ({problem}); not replacing it")
        if not force:
            raise ValueError(f"--out {text!r} already holds a run; pass --force to replace it")
    return check_writable(out, folder=True)


def _beside(out: Path, tag: str) -> Path:
    """A free folder name next to ``out``: ``<out>.<tag>``, else ``<out>.<tag>-2``, ..."""
    candidate, k = out.with_name(f"{out.name}.{tag}"), 1
    while candidate.exists():
        k += 1
        candidate = out.with_name(f"{out.name}.{tag}-{k}")
    return candidate


def _save(result, out: Path, force: bool) -> Path:
    """Save the run atomically and return where it went. It replaces a run at ``out`` only
    with --force and only when complete; a partial run, or one that finds ``out`` taken
    by another writer (or by something that is not a run), is saved beside it instead, so
    nothing finished is lost. A failure leaves any earlier run in ``out`` intact."""
    from .runs import not_a_run, save_run

    partial = bool(result.history.interrupted)
    taken = out.is_dir() and any(out.iterdir())
    replace = force and not partial and taken and not_a_run(out) is None
    try:
        with _signals_wait(f"saving the run to {out}"):
            try:
                return save_run(result, out, overwrite=replace)
            except FileExistsError:
                beside = _beside(out, "partial" if partial else "new")
                save_run(result, beside)
                why = "a partial run does not replace a finished one" if partial else f"{out} was taken"
                print(f"{why}: saved this run to {beside} instead", file=sys.stderr)
                return beside
    except OSError as exc:
        kept = "the earlier run there is intact" if taken else "nothing was written"
        raise RunFailed(f"could not save the run to {str(out)!r} ({_os_reason(exc)}); {kept}") from None


def cmd_train(args: argparse.Namespace) -> int:
    from .recipes import get_recipe
    from .train import train

    recipe = get_recipe(args.recipe)
    device = _check_device(args.device)
    out = _run_out(args.out, args.force)
    with _Stop() as stop:
        result = train(recipe, args.seed, steps=args.steps, progress=_progress(args), device=device)
        out = _save(result, out, args.force)
    h = result.history
    losses = f": final D loss {h.d_loss[-1]:.4f}, G loss {h.g_loss[-1]:.4f}" if len(h) else ""
    print(
        f"trained {recipe.name} (seed {args.seed}) for {len(h)} generator steps in "
        f"{result.seconds:.1f} s{losses}",
        file=sys.stderr,
    )
    if h.interrupted:
        why = "terminated (SIGTERM)" if stop.terminated else "interrupted"
        print(f"{why}: saved the partial run ({len(h)} steps) to {out}", file=sys.stderr)
    print(out)
    return (143 if stop.terminated else 130) if h.interrupted else 0


def _npy_path(text: str) -> Path:
    """The --out file, checked before any work is done: a writable .npy path."""
    from .atomic import check_writable

    out = Path(text)
    if out.suffix != ".npy":
        raise ValueError(f"--out must name a .npy file, got {str(out)!r}")
    if out.is_dir():
        raise ValueError(f"--out {text!r} is a folder")
    return check_writable(out)


def _save_npy(out: Path, array: np.ndarray, what: str) -> int:
    """Write through a temporary file renamed into place: no half-written .npy."""
    from .atomic import staged_file

    try:
        with staged_file(out) as tmp:
            np.save(tmp, array)
    except OSError as exc:
        reason = exc.strerror if exc.errno else "the disk took only part of it (is it full?)"
        raise RunFailed(f"could not write {str(out)!r}: {reason}; nothing was written") from None
    print(f"wrote {what} to {out}", file=sys.stderr)
    print(out)
    return 0


def _load(args: argparse.Namespace):
    """Checks before any work (output, device), then the run, on the device."""
    from .runs import load_run
    from .train import setup

    out = _npy_path(args.out)
    device = _check_device(args.device)
    setup(args.seed)  # one torch thread: reproducible, and fast for these small networks
    return out, load_run(args.run_dir, device, history=False)


def cmd_sample(args: argparse.Namespace) -> int:
    from .runs import sample_run

    out, run = _load(args)
    samples = sample_run(run, args.n, args.seed)
    cols = ", ".join(run.columns) or "values"
    shape = " x ".join(map(str, samples.shape))
    return _save_npy(out, samples, f"{shape} samples ({cols})")


def cmd_data(args: argparse.Namespace) -> int:
    from .checks import check_memory
    from .data import get_dataset

    spec = get_dataset(args.dataset)
    out = _npy_path(args.out)
    check_memory(3 * args.n * spec.dim * 8, f"--n {args.n} samples")
    samples = np.asarray(spec.make(args.n, args.seed)[0])
    shape = " x ".join(map(str, samples.shape))
    cols = ", ".join(spec.columns) or "values"
    return _save_npy(out, samples, f"{shape} real samples of {spec.name} ({cols})")


def _check_condition_run(run, args: argparse.Namespace) -> None:
    from .checks import check_memory
    from .data import get_dataset
    from .runs import CRITIC_FILE, sample_bytes

    if get_dataset(run.recipe.dataset).observe is None:
        raise ValueError(f"data set {run.recipe.dataset!r} of {args.run_dir!r} has no observation operator")
    if args.realism and run.discriminator is None:
        raise ValueError(f"--realism needs the discriminator, but {args.run_dir!r} has no {CRITIC_FILE}")
    check_memory(3 * sample_bytes(run.recipe, args.n), f"--n {args.n} realisations")


def cmd_condition(args: argparse.Namespace) -> int:
    from .checks import check_finite
    from .condition import condition, in_physical_units
    from .data import get_dataset

    out, run = _load(args)
    _check_condition_run(run, args)
    spec = get_dataset(run.recipe.dataset)
    result = condition(
        run.generator,
        run.recipe.latent_dim,
        args.where,
        args.values,
        args.sigma,
        n=args.n,
        method=args.method,
        steps=args.steps,
        seed=args.seed,
        discriminator=run.discriminator if args.realism else None,
        realism=args.realism,
        observe=in_physical_units(spec.observe, run.scaler, spec.shape),  # --values in the data's units
    )
    if result.problem():
        raise RunFailed(f"{result.problem()}; nothing written")
    samples = check_finite(run.to_physical(result.samples), "the conditional realisations")
    note = "" if result.acceptance is None else f", pCN acceptance {result.acceptance:.2f}"
    return _save_npy(out, samples, f"{len(samples)} conditional realisations ({args.method}{note})")


def cmd_execute(args: argparse.Namespace) -> int:
    from .bench.experiments import find_checkout
    from .notebooks import execute_notebook, find_notebooks

    paths = args.paths or [find_checkout(args.root) / "book"]
    for path in find_notebooks(paths):
        seconds = execute_notebook(path, timeout=args.timeout)
        print(f"{path}: executed in {seconds:.1f} s", file=sys.stderr)
    return 0


def _bench_out(args: argparse.Namespace, bench) -> Path | None:
    """Where the results go, checked before the (long) work: --out, or for a stored table
    the checkout's gan_utils/results (never an installed package)."""
    from .atomic import check_writable
    from .bench.experiments import find_checkout, results_path

    if args.out:
        return check_writable(args.out)
    if not bench.stored:
        find_checkout(args.root)  # e.g. foundation times the checkout's notebooks, book and tests
        return None
    return check_writable(results_path(bench.name, args.root))


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import OPTIONS, get_bench

    bench = get_bench(args.table)
    options = bench.take({name: getattr(args, name) for name in OPTIONS}, root=args.root)
    out = _bench_out(args, bench)
    bench.run(options, out)
    return 0


def _prog() -> str:
    """The name the user typed: ``gan-utils``, or ``python -m gan_utils``."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    if name in ("__main__.py", "", "-c", "-m"):
        return "python -m gan_utils"
    return name


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--quiet", "-q", action="store_true", help="no progress bar (as GAN_UTILS_PROGRESS=0)"
    )
    return common


def _add_device(p: argparse.ArgumentParser) -> None:
    p.add_argument("--device", type=_device, default="cpu", help="cpu (default), cuda or cuda:N")


def _add_list(sub, common) -> None:
    p = sub.add_parser(
        "list", parents=[common], help="list the recipes", description="List the recipes, one per line."
    )
    p.add_argument(
        "--json", action="store_true", help="print JSON (name, dataset, loss, recommended, description)"
    )
    p.set_defaults(func=cmd_list)


def _add_data(sub, common) -> None:
    from .data import DATASETS

    p = sub.add_parser(
        "data",
        parents=[common],
        help="write fresh real samples of a data set",
        description="Write N real samples of DATASET, freshly generated from --seed, to a .npy "
        "file, in the units and shape 'sample' writes for a run trained on it (e.g. channels: "
        "N x 64 x 64 facies codes; well-logs: N x 128 normalised gamma ray). Training sets are "
        "generated from the run's seed (0 by default), so pick another seed for fresh data.",
    )
    p.add_argument("dataset", help="data set name: " + ", ".join(DATASETS))
    p.add_argument("--n", type=_positive_int, required=True, help="number of samples")
    p.add_argument("--seed", type=_seed, default=1000, help="seed of the generator (default 1000)")
    p.add_argument("--out", required=True, help="output .npy file")
    p.set_defaults(func=cmd_data)


def _add_train(sub, common) -> None:
    p = sub.add_parser(
        "train",
        parents=[common],
        help="train a recipe into a run directory",
        description="Train RECIPE; write generator.pt, discriminator.pt, run.json, history.csv and "
        "real_vs_generated.png into the folder --out (written beside it, then renamed into place). "
        "Ctrl-C or SIGTERM stops early and saves the partial run.",
    )
    p.add_argument("recipe", help="recipe name (see 'list')")
    p.add_argument(
        "--seed", type=_seed, default=0, help="random seed for data, weights and batches (default 0)"
    )
    p.add_argument(
        "--steps", type=_positive_int, default=None, help="generator steps (default: the recipe's)"
    )
    p.add_argument("--out", default="runs/run", help="run directory to write (default runs/run)")
    p.add_argument("--force", action="store_true", help="replace an existing run in --out")
    _add_device(p)
    p.set_defaults(func=cmd_train)


def _add_sample(sub, common) -> None:
    p = sub.add_parser(
        "sample",
        parents=[common],
        help="draw samples from a trained run",
        description="Write N samples in physical units to a .npy file: well logs as "
        "N x 128 normalised gamma ray in [0, 1]; crossplot points as N x 2 "
        "(porosity fraction, Vp in km/s); channel maps as N x 64 x 64 facies codes "
        "(0 mud, 1 sand).",
    )
    p.add_argument("run_dir", help="a directory written by 'train'")
    p.add_argument("--n", type=_positive_int, required=True, help="number of samples")
    p.add_argument("--seed", type=_seed, default=0, help="seed of the latent codes (default 0)")
    p.add_argument("--out", required=True, help="output .npy file")
    _add_device(p)
    p.set_defaults(func=cmd_sample)


def _add_condition(sub, common) -> None:
    p = sub.add_parser(
        "condition",
        parents=[common],
        help="generate samples (e.g. well logs) that honour a few observations",
        description="Search the latent space of a trained run for N samples that honour "
        "VALUES at WHERE (flat sample indices: depth samples of a well log, columns of a "
        "crossplot point, row * 64 + column for a 64 x 64 image) within SIGMA, read by the "
        "data set's observation operator: N Markov chains with "
        "preconditioned Crank-Nicolson proposals (pcn, default) or MAP from N starts (map). "
        "Fails (exit 1, nothing written) when the pCN chains do not move.",
    )
    p.add_argument("run_dir", help="a run directory written by 'train' (well logs, crossplot...)")
    p.add_argument(
        "--where",
        type=int,
        nargs="+",
        required=True,
        help="observed flat sample indices (e.g. depth samples 0..127)",
    )
    p.add_argument(
        "--values",
        type=float,
        nargs="+",
        required=True,
        help="observed values in the data's units, one per index",
    )
    p.add_argument(
        "--sigma",
        type=float,
        required=True,
        help="measurement error (a standard deviation in the data's units)",
    )
    p.add_argument("--n", type=_positive_int, default=50, help="number of realisations (default 50)")
    p.add_argument("--method", choices=("pcn", "map"), default="pcn", help="pcn (default) or map")
    p.add_argument(
        "--steps", type=_positive_int, default=None, help="chain or optimisation steps (default 800 / 300)"
    )
    p.add_argument(
        "--realism", type=float, default=0.0, help="weight of the discriminator's realism term (default 0)"
    )
    p.add_argument("--seed", type=_seed, default=0, help="seed of the starting codes (default 0)")
    p.add_argument("--out", required=True, help="output .npy file (N x sample shape, e.g. N x 128)")
    _add_device(p)
    p.set_defaults(func=cmd_condition)


def _add_execute(sub, common) -> None:
    p = sub.add_parser(
        "execute",
        parents=[common],
        help="re-execute notebooks and store their outputs",
        description="Execute notebooks in place (widget state kept, progress bars off). "
        "Needs nbclient and nbformat (pip install 'gan_utils[execute]').",
    )
    p.add_argument(
        "paths", nargs="*", help="notebooks or folders (default: book/ of the checkout, see --root)"
    )
    p.add_argument("--root", default=None, help="the repository checkout (default: the current folder)")
    p.add_argument("--timeout", type=_positive_int, default=900, help="seconds per cell (default 900)")
    p.set_defaults(func=cmd_execute)


#: the width of bench --help's description and list of tables
_HELP_WIDTH = 88


def _bench_epilog(benches, options) -> str:
    """``bench --help``'s list of the registered tables, each with its options."""
    width = max(len(name) for name in benches) + 4
    lines = ["tables (the options each takes in brackets):"]
    for bench in benches.values():
        takes = " ".join(options[name].flag for name in bench.options)
        text = bench.help + (f" [{takes}]" if takes else "")
        first = f"  {bench.name:<{width - 2}}"
        lines += textwrap.wrap(
            text, _HELP_WIDTH, initial_indent=first, subsequent_indent=" " * width, break_on_hyphens=False
        )
    return "\n".join(lines)


def _add_bench(sub, common) -> None:
    from .bench import BENCHES, DEFAULT_BENCH, OPTIONS

    p = sub.add_parser(
        "bench",
        parents=[common],
        help="benchmarks: timings, and the chapters' multi-seed tables",
        description=textwrap.fill(
            "Run one benchmark TABLE (listed below). Stored tables are written to "
            "gan_utils/results/<name>.json in the checkout (or --out). A table takes only the "
            "options in brackets after it; giving it another is an error (exit 2). Needs a "
            "checkout of the course repository: the current folder, or --root.",
            _HELP_WIDTH,
        ),
        epilog=_bench_epilog(BENCHES, OPTIONS),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "table",
        nargs="?",
        default=DEFAULT_BENCH,
        metavar="TABLE",
        help=f"which table (default {DEFAULT_BENCH})",
    )
    for option in OPTIONS.values():
        used = ", ".join(b.name for b in BENCHES.values() if option.name in b.options)
        if option.default is False:
            p.add_argument(option.flag, action="store_true", help=f"{option.help} ({used})")
        else:
            p.add_argument(
                option.flag, type=_positive_int, default=None, metavar="N",
                help=f"{option.help} (default {option.default}; {used})",
            )  # fmt: skip
    p.add_argument("--out", default=None, help="write the results as JSON to this file")
    p.add_argument("--root", default=None, help="the repository checkout (default: the current folder)")
    p.set_defaults(func=cmd_bench)


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog or _prog(),
        description="Train, sample and benchmark the GAN recipes of the course.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = _common()
    for add in (_add_list, _add_data, _add_train, _add_sample, _add_condition, _add_execute, _add_bench):
        add(sub, common)
    return parser


def _os_reason(exc: OSError) -> str:
    where = f": {exc.filename}" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"


def _run(args: argparse.Namespace) -> int:
    """The command, with every fault turned into ``(message, exit status)``."""
    from .train import TrainingDiverged

    try:
        return args.func(args)
    except (RunFailed, TrainingDiverged) as exc:
        return _fail(str(exc), 1)
    except ValueError as exc:
        return _fail(str(exc), 2)
    except MemoryError:
        return _fail("out of memory; ask for fewer samples or a smaller run", 1)
    except OSError as exc:
        return _fail(_os_reason(exc), 1)
    except KeyboardInterrupt:
        return _fail("interrupted; nothing was written", 130)


def _fail(message: str, status: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.quiet:
        from .train import PROGRESS_ENV

        os.environ[PROGRESS_ENV] = "0"
    return _run(args)
