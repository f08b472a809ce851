"""The chapters' multi-seed experiments and their JSON tables (gan_utils/results/*.json).

One row trains a recipe from one seed and evaluates it with its data set's protocol
(:mod:`gan_utils.evaluation`); ``run_*_bench`` write whole tables; ``*_summary`` are what
the chapters display; the chapter 4 section holds that chapter's experiment settings.
``python -m gan_utils bench crossplot|well-logs|condition`` runs them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import metrics as M
from ..atomic import staged_file
from ..data import get_dataset
from ..evaluation import crossplot_rows
from ..recipes import get_recipe, same_training
from ..train import train


def is_checkout(path: Path) -> bool:
    """``path`` holds the course repository (its book and its package sources)."""
    return (path / "book").is_dir() and (path / "gan_utils" / "__init__.py").is_file()


def find_checkout(root: str | Path | None = None) -> Path:
    """The repository to work in: ``root`` if given, else the current folder (never where
    the package happens to be installed); ``ValueError`` if it is not a checkout."""
    path = Path.cwd() if root is None else Path(root)
    if is_checkout(path):
        return path.resolve()
    raise ValueError(
        f"{str(path)!r} is not a checkout of the course repository (no book/ and gan_utils/): "
        "this command needs one; run it from the checkout or pass --root"
    )


# ----------------------------------------------------------------------------- chapter tables

CROSSPLOT_RECIPES = (
    "crossplot-wgan",
    "crossplot-minimax",
    "crossplot-nonsaturating",
    "crossplot-lsgan",
    "crossplot-wgan-gp",
    "crossplot-gan-r1",
)
#: stored multi-seed tables (package data, so installed copies can read them too)
BENCH_DIR = Path(__file__).resolve().parent.parent / "results"


def _rounded(d: dict) -> dict:
    return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in d.items()}


def protocol_of(dataset: str):
    """The evaluation protocol of data set ``dataset`` (``ValueError`` if it has none)."""
    protocol = get_dataset(dataset).protocol
    if protocol is None:
        raise ValueError(f"data set {dataset!r} has no evaluation protocol")
    return protocol


def dataset_row(name: str, seed: int, extra=None) -> dict:
    """Train recipe ``name`` from ``seed`` and evaluate samples drawn with seed 1 by its data
    set's protocol: one row of that data set's table (the protocol's stored record, then
    ``extra(result)``'s columns if given)."""
    recipe = get_recipe(name)
    protocol = protocol_of(recipe.dataset)
    result = train(recipe, seed, progress=False)
    record = protocol.table_record(result.sample(protocol.n_samples, seed=1))
    row = {"recipe": name, "seed": seed, "seconds": round(result.seconds, 2), **record}
    return {**row, **extra(result)} if extra is not None else row


def run_dataset_bench(recipes, seeds: int = 10, out: str | Path | None = None) -> dict:
    """The table of any registered data set with a protocol: every recipe in ``recipes``
    (all of one data set) over ``seeds`` seeds, one :func:`dataset_row` each; written as
    JSON to ``out`` (default gan_utils/results/<data set>.json)."""
    datasets = {get_recipe(name).dataset for name in recipes}
    if len(datasets) != 1:
        raise ValueError(f"the recipes of one table must share a data set, got {sorted(datasets)}")
    (dataset,) = datasets
    shown = protocol_of(dataset).key_numbers[:3]
    rows = _train_rows(recipes, seeds, dataset_row, shown)
    return write_results({"dataset": dataset, "seeds": seeds, "rows": rows}, out, dataset)


def run_crossplot_bench(seeds: int = 10, out: str | Path | None = None, recipes=CROSSPLOT_RECIPES) -> dict:
    """Every crossplot recipe over ``seeds`` seeds, plus the real-vs-real baseline; written
    as JSON to ``out`` (default gan_utils/results/crossplot.json)."""
    from ..evaluation import crossplot_baseline

    baseline = [_rounded(b) for b in crossplot_baseline()]
    rows = _train_rows(recipes, seeds, dataset_row, ("porous mass", "off-manifold rate", "energy distance"))
    return write_results({"seeds": seeds, "baseline": baseline, "rows": rows}, out, "crossplot")


def _train_rows(recipes, seeds: int, make_row, shown: tuple[str, ...]) -> list[dict]:
    """``make_row(name, seed)`` for every recipe and seed, printing a progress line each."""
    rows = []
    for name in recipes:
        for seed in range(seeds):
            row = make_row(name, seed)
            rows.append(row)
            values = "  ".join(f"{k} {row[k]:.3f}" for k in shown)
            print(f"{name:<24} seed {seed}: {row['seconds']:6.2f} s  {values}", flush=True)
    return rows


def results_path(name: str, root: str | Path | None = None) -> Path:
    """Where table ``name`` is stored in the checkout (never into an installed package)."""
    return find_checkout(root) / "gan_utils" / "results" / f"{name}.json"


def write_results(results: dict, out: str | Path | None, name: str, quiet: bool = False) -> dict:
    """Write the table ``results`` as JSON to ``out`` (default: the stored table ``name``)
    through a temporary file renamed into place: never a half-written table, even on a
    full disk or Ctrl-C. Returns ``results``."""
    path = Path(out) if out else results_path(name)
    with staged_file(path) as tmp:
        tmp.write_text(json.dumps(results, indent=1) + "\n")
    if not quiet:
        print(f"wrote {path}", flush=True)
    return results


def load_results(name: str) -> dict:
    """A stored benchmark table, e.g. ``load_results("crossplot")``."""
    path = BENCH_DIR / f"{name}.json"
    if not path.is_file():
        raise ValueError(f"no stored results {str(path)!r}; run 'python -m gan_utils bench {name}'")
    return json.loads(path.read_text())


def summarise(rows: list[dict], by, columns: dict, labels: dict | None = None) -> list[dict]:
    """One line per group of ``rows`` with the same values of the keys ``by`` (a key or a
    tuple of keys; groups in the order each key's values first appear): the group's keys
    (renamed by ``labels``, e.g. ``{"k": "observations"}``), then ``column: f(group)`` for
    each entry of ``columns``. :func:`count`, :func:`median` and :func:`mean` make the usual
    columns."""
    keys = (by,) if isinstance(by, str) else tuple(by)
    labels = labels or {}
    order = [list(dict.fromkeys(r[k] for r in rows)) for k in keys]
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault(tuple(r[k] for k in keys), []).append(r)
    out = []
    for key in sorted(groups, key=lambda g: [o.index(v) for o, v in zip(order, g, strict=True)]):
        line = {labels.get(k, k): v for k, v in zip(keys, key, strict=True)}
        line.update({name: f(groups[key]) for name, f in columns.items()})
        out.append(line)
    return out


def count(test):
    """A :func:`summarise` column: how many rows of the group pass ``test(row)``."""
    return lambda rows: sum(bool(test(r)) for r in rows)


def median(key: str):
    """A :func:`summarise` column: the median of ``key`` over the group."""
    return lambda rows: float(np.median([r[key] for r in rows]))


def mean(key):
    """A :func:`summarise` column: the mean of ``key`` (or of ``key(row)``) over the group."""
    return lambda rows: float(np.mean([key(r) if callable(key) else r[key] for r in rows]))


def crossplot_summary(results: dict) -> list[dict]:
    """One line per recipe: how many seeds meet each target, medians, and the time (the
    distance limit from the table's own real-vs-real baseline)."""

    def ok(target):
        return count(lambda r: crossplot_verdicts(r, results)[target])

    return summarise(
        results["rows"],
        "recipe",
        {
            "seeds": len,
            "collapsed": count(lambda r: min(r["porous mass"], r["tight mass"]) < 0.1),
            "masses ok": ok("masses"),
            "off-manifold (median)": median("off-manifold rate"),
            "off-manifold ok": ok("off-manifold"),
            "shape ok": ok("shape"),
            "distance (median)": median("energy distance"),
            "distance ok": ok("distance"),
            "all ok": count(lambda r: all(crossplot_verdicts(r, results).values())),
            "seconds (median)": median("seconds"),
        },
    )


WELL_LOG_RECIPES = ("well-logs-lsgan", "well-logs-lsgan-long", "well-logs-nsgan")


def run_well_log_bench(seeds: int = 10, out: str | Path | None = None, recipes=None) -> dict:
    """Every well-log recipe over ``seeds`` seeds, with the reference values and tolerances;
    written as JSON to ``out`` (default gan_utils/results/well-logs.json)."""
    from ..evaluation import well_log_reference

    recipes = recipes or (*WELL_LOG_RECIPES, *_recommended("well-logs"))
    _, tolerances = well_log_reference()
    shown = ("transitions per log", "lag-1 autocorrelation", "fraction between 0.4 and 0.6")
    rows = _train_rows(recipes, seeds, dataset_row, shown)
    reference = {k: {"real": round(v[0], 6), "tolerance": round(v[1], 6)} for k, v in tolerances.items()}
    return write_results({"seeds": seeds, "reference": reference, "rows": rows}, out, "well-logs")


def _recommended(dataset: str) -> tuple[str, ...]:
    from ..recipes import RECIPES

    return tuple(r.name for r in RECIPES.values() if r.dataset == dataset and r.recommended)


def well_log_summary(results: dict, statistics=None) -> list[dict]:
    """Per recipe: seeds passing each statistic in ``statistics`` (default: the targets,
    ``WELL_LOG_TARGETS``; ``"all"``: every statistic stored in ``results``), diversity, the
    seeds passing all of those statistics and diverse (*all*), and the median time."""
    from ..datasets.well_logs import diverse
    from ..evaluation import WELL_LOG_TARGETS

    if statistics is None:
        statistics = WELL_LOG_TARGETS
    elif statistics == "all":
        statistics = tuple(results["reference"])
    real_nn = results["reference"]["nearest-neighbour distance"]["real"]

    def is_diverse(r):
        return diverse(r, real_nn)

    columns = {"seeds": len, **{t: count(lambda r, t=t: r[f"{t} ok"]) for t in statistics}}
    columns["diverse"] = count(is_diverse)
    columns["all"] = count(lambda r: all(r[f"{t} ok"] for t in statistics) and is_diverse(r))
    columns["seconds (median)"] = median("seconds")
    return summarise(results["rows"], "recipe", columns)


# ----------------------------------------------------------------------------- ablations

#: the ablation tables: ``python -m gan_utils bench ablation-crossplot|ablation-well-logs``
ABLATIONS = ("ablation-crossplot", "ablation-well-logs")


def _spec(spec, **changes):
    """A copy of a :class:`~gan_utils.models.ModelSpec` with fields or options changed."""
    import dataclasses

    options = {**spec.options, **changes.pop("options", {})}
    return dataclasses.replace(spec, options=options, **changes)


@dataclass(frozen=True)
class Step:
    """One step of an ablation ladder, as data: the recipe of step ``base`` (an earlier
    step's ``id``, or a registered recipe's name; None: the step before) with the fields
    ``change`` replaced. ``label`` names the step in the table (and keys its stored rows)."""

    id: str
    label: str
    change: dict = field(default_factory=dict)
    base: str | None = None


def build_ladder(steps: list[Step]) -> list[tuple[str, object]]:
    """The (label, recipe) pairs of a ladder of :class:`Step`; each recipe is named
    ``ablation-<position>``."""
    built: dict[str, object] = {}
    previous = None
    for step in steps:
        base = previous if step.base is None else built.get(step.base) or get_recipe(step.base)
        if base is None:
            raise ValueError(f"ladder step {step.id!r} has nothing to change: give it a base")
        built[step.id] = previous = base.replace(**step.change) if step.change else base
    return [(s.label, built[s.id].replace(name=f"ablation-{i}")) for i, s in enumerate(steps)]


def _ends_at(ladder: list[tuple[str, object]], steps: list[Step], step_id: str, recommended: str):
    """Check that step ``step_id`` trains exactly like the recipe ``recommended``."""
    position = [s.id for s in steps].index(step_id)
    if not same_training(ladder[position][1], get_recipe(recommended)):
        raise ValueError(f"the ladder does not reach the recommended recipe {recommended!r}")
    return ladder


def crossplot_steps() -> list[Step]:
    """Chapter 3's ablation: from the baseline networks and data with the non-saturating loss
    (``crossplot-nonsaturating``) to the recommended ``crossplot-gan-r1``, one ingredient
    added per step (the last one is its 2 % sample filtering); then the recommended recipe
    trained on the baseline's fixed 512 points instead of fresh draws, and a candidate for the
    tight population's collapsed spread (per-population latent maps, a wider critic), and
    the recommended recipe with a plain Gaussian latent instead of the coin (chapter 3's
    exercise 1)."""
    final = get_recipe("crossplot-gan-r1")
    g = final.generator
    schedule = ("batch_size", "lr_schedule", "lr", "betas", "steps")
    return [
        Step("start", "baseline networks and data, non-saturating loss", base="crossplot-nonsaturating"),
        Step(
            "coin",
            "+ coin latent",
            {"generator": _spec(get_recipe("crossplot-nonsaturating").generator, kind="mlp-coin")},
        ),
        Step("r1", f"+ R1 penalty (gamma {final.r1_weight:g})", {"r1_weight": final.r1_weight}),
        Step("fresh", "+ fresh data (65 536 draws)", {"n_real": final.n_real}),
        Step(
            "batch",
            f"+ batch {final.batch_size}, cosine decay, {final.steps} steps",
            {k: getattr(final, k) for k in schedule},
        ),
        Step(
            "filtered", f"+ {final.reject:.0%} filtering by D score (recommended)", {"reject": final.reject}
        ),
        Step("fixed", "recommended on the baseline's 512 points", {"n_real": 512}, base="crossplot-gan-r1"),
        Step(
            "affine",
            "unfiltered, per-population latent maps, critic 96 wide",
            {
                "generator": _spec(g, kind="mlp-coin-affine"),
                "discriminator": _spec(final.discriminator, sizes=(2, 96, 96, 1)),
            },
            base="batch",
        ),
        Step(
            "gaussian",
            "recommended with a Gaussian latent (no coin)",
            {"generator": _spec(g, kind="mlp")},
            base="crossplot-gan-r1",
        ),
    ]


def crossplot_ladder() -> list[tuple[str, object]]:
    """:func:`crossplot_steps` built: (label, recipe) per step."""
    steps = crossplot_steps()
    return _ends_at(build_ladder(steps), steps, "filtered", "crossplot-gan-r1")


def well_log_steps() -> list[Step]:
    """Chapter 2's ablation: from the baseline LSGAN to the recommended
    ``well-logs-physics-gan``, one ingredient added per step. The first conv step swaps
    both networks (plain conv generator with a sigmoid output; conv critic without
    spectral norm or minibatch-std) and takes the recommended optimiser and schedule.
    Seven more steps try the recommended recipe with its latent on a coarser grid (16
    channels x 8 positions, the same 128 numbers, one more learned upsampling), one with ten
    times the learning rate, one whose critic's kernels span 15 samples instead of 7
    (a longer receptive field), that one with a critic that also sees the log's
    morphological top-hats at four lengths (bed thickness, directly), and the recommended
    recipe and the kernel-15 one trained on eight times as many logs (8192), and the
    kernel-15 one on 32 times as many (32768). The last three keep the kernel-15 critic and
    change the measurement layer: its levels and noise picked from the training logs
    instead of learned (``pick_levels``), then also a discrete facies when sampling
    (``hard_sampling``; the same training), and a discrete facies with learned levels (the
    kernel-15 row's training, sampled discretely)."""
    final = get_recipe("well-logs-physics-gan")
    g, d = final.generator, final.discriminator
    soft = g if g.options.get("facies", "soft") == "soft" else _spec(g, options={"facies": "soft"})
    wide = {"discriminator": _spec(d, options={"kernel": 15})}  # a longer critic kernel
    rec = "well-logs-physics-gan"
    return [
        Step("lsgan", "baseline LSGAN (dense networks)", base="well-logs-lsgan"),
        Step(
            "conv",
            "conv generator and critic",
            {
                "generator": _spec(g, options={"measurement": False, "facies": "soft"}),
                "discriminator": _spec(d, options={"spectral": False, "minibatch_std": False}),
                "loss": "least-squares",
                "ema_decay": None,
            },
            base=rec,
        ),
        Step("physics", "+ measurement layer", {"generator": soft}),
        Step("sn", "+ spectral norm", {"discriminator": _spec(d, options={"minibatch_std": False})}),
        Step("mbstd", "+ minibatch-std", {"discriminator": d}),
        Step("ema", "+ EMA of weights", {"ema_decay": final.ema_decay}),
        Step("ns", "+ non-saturating loss (recommended)", {"loss": final.loss}),
        Step(
            "coarse",
            "recommended with a coarser latent (16 x 8)",
            {"generator": _spec(g, options={"latent_channels": 16, "latent_length": 8})},
            base=rec,
        ),
        Step("lr10", f"recommended, learning rate x 10 ({10 * final.lr:g})", {"lr": 10 * final.lr}, base=rec),
        Step("wide", "recommended with a longer critic kernel (15)", wide, base=rec),
        Step(
            "tophat",
            "kernel 15 and the critic sees top-hats (3, 5, 9, 17)",
            {"discriminator": _spec(d, options={"kernel": 15, "granulometry": (3, 5, 9, 17)})},
            base=rec,
        ),
        Step(
            "more", f"recommended, trained on 8192 logs instead of {final.n_real}", {"n_real": 8192}, base=rec
        ),
        Step("wide-more", "kernel 15, trained on 8192 logs", {"n_real": 8192}, base="wide"),
        Step("wide-most", "kernel 15, trained on 32768 logs", {"n_real": 32768}, base="wide"),
        Step(
            "picked",
            "kernel 15, levels and noise picked from the logs",
            {"generator": _spec(g, options={"pick_levels": True})},
            base="wide",
        ),
        Step(
            "picked-hard",
            "kernel 15, picked levels, discrete facies sampled",
            {"generator": _spec(g, options={"pick_levels": True, "hard_sampling": True})},
            base="picked",
        ),
        Step(
            "learned-hard",
            "kernel 15, learned levels, discrete facies sampled",
            {"generator": _spec(g, options={"hard_sampling": True})},
            base="wide",
        ),
    ]


def well_log_ladder() -> list[tuple[str, object]]:
    """:func:`well_log_steps` built: (label, recipe) per step."""
    steps = well_log_steps()
    return _ends_at(build_ladder(steps), steps, "ns", "well-logs-physics-gan")


def train_and_score(recipe, seed: int):
    """Train ``recipe`` from ``seed``, draw its data set's protocol's samples (seed 1) and
    score them: ``(run, record, seconds spent drawing the samples)``."""
    import time

    protocol = protocol_of(recipe.dataset)
    result = train(recipe, seed, progress=False)
    start = time.perf_counter()
    samples = result.sample(protocol.n_samples, seed=1)
    drawing = time.perf_counter() - start
    return result, protocol.table_record(samples), drawing


def ablation_row(which: str, label: str, recipe, seed: int) -> dict:
    """Train one step of ablation ``which`` from ``seed`` and evaluate it with its data
    set's protocol. Sample filtering is counted in the time (``seconds`` = training plus
    drawing and filtering the evaluated samples)."""
    result, values, drawing = train_and_score(recipe, seed)
    seconds = result.seconds + (drawing if recipe.reject else 0.0)
    return {"step": label, "seed": seed, "seconds": round(seconds, 2), **values}


#: ablation name -> its ladder
LADDERS = {"ablation-crossplot": crossplot_ladder, "ablation-well-logs": well_log_ladder}


def ablation_ladder(which: str) -> list[tuple[str, object]]:
    """The steps (label, recipe) of ablation ``which``."""
    if which not in LADDERS:
        raise ValueError(f"unknown ablation {which!r}; choose one of {list(ABLATIONS)}")
    return LADDERS[which]()


def run_ablation(which: str, seeds: int = 10, out: str | Path | None = None) -> dict:
    """Every step of ablation ``which`` over ``seeds`` seeds; written as JSON to ``out``
    (default gan_utils/results/<which>.json) with each step's recipe summary, by
    :func:`run_steps` (resumable; rows a benchmark table holds are copied)."""
    path = Path(out) if out else results_path(which)
    return run_steps(which, ablation_ladder(which), list(range(seeds)), path, seeds, copy=True)


#: steps of an ablation re-run on fresh seeds: does a gain seen on seeds 0-9 hold?
FRESH_STEPS = {
    "ablation-well-logs": (
        "recommended with a longer critic kernel (15)",
        "kernel 15, trained on 8192 logs",
        "kernel 15, levels and noise picked from the logs",
        "kernel 15, picked levels, discrete facies sampled",
        "kernel 15, learned levels, discrete facies sampled",
    ),
}
FRESH_SEEDS = tuple(range(10, 20))


def run_fresh_seeds(which: str = "ablation-well-logs", out: str | Path | None = None) -> dict:
    """The steps :data:`FRESH_STEPS` names, trained on :data:`FRESH_SEEDS` (seeds the ablation
    table does not use); written to ``<which>-fresh.json`` by :func:`run_steps`."""
    if which not in FRESH_STEPS:
        raise ValueError(f"no fresh-seed steps for {which!r}; choose one of {list(FRESH_STEPS)}")
    ladder = dict(ablation_ladder(which))
    chosen = [(label, ladder[label]) for label in FRESH_STEPS[which]]
    path = Path(out) if out else results_path(f"{which}-fresh")
    return run_steps(which, chosen, list(FRESH_SEEDS), path, list(FRESH_SEEDS), name=f"{which}-fresh")


def run_steps(
    which: str, ladder, seeds: list[int], path: Path, seeds_field, copy=False, name=None, make_row=None
) -> dict:
    """The one resumable runner: every (label, recipe) step of ``ladder`` on every seed, one
    ``make_row(which, label, recipe, seed)`` each (default :func:`ablation_row`), written
    to ``path`` with each step's recipe summary. The table is rewritten after every
    row, so an interrupted run keeps what it trained, and a row already in that table (same
    step, same recipe summary, same seed) is kept instead of trained again (with ``copy``,
    so is a row a benchmark table holds, :func:`stored_row`): run the command again to
    finish an interrupted table."""
    name = name or which
    earlier = _earlier_rows(path, ladder)
    steps = [{"step": label, "recipe": r.summary(), "seeds": len(seeds)} for label, r in ladder]
    rows = []
    for label, recipe in ladder:
        for seed in seeds:
            kept = earlier.get((label, seed))
            row = (
                kept
                or (copy and stored_row(which, label, recipe, seed))
                or (make_row or ablation_row)(which, label, recipe, seed)
            )
            rows.append(row)
            print(f"{label:<46} seed {seed}: {row['seconds']:6.2f} s", flush=True)
            if row is not kept:
                partial = rows + [r for r in earlier.values() if r not in rows]
                write_results({"seeds": seeds_field, "steps": steps, "rows": partial}, path, name, quiet=True)
    return write_results({"seeds": seeds_field, "steps": steps, "rows": rows}, path, name)


def _earlier_rows(path: Path, ladder) -> dict[tuple[str, int], dict]:
    """Rows of the table at ``path`` whose step still has the same recipe, by (step, seed)."""
    if not path.is_file():
        return {}
    try:
        table = json.loads(path.read_text())
        summaries = {s["step"]: s["recipe"] for s in table["steps"]}
        rows = table["rows"]
    except (ValueError, KeyError, TypeError):
        return {}
    now = {label: recipe.summary() for label, recipe in ladder}
    return {
        (r["step"], r["seed"]): r
        for r in rows
        if r.get("step") in now and summaries.get(r["step"]) == now[r["step"]]
    }


def stored_row(which: str, label: str, recipe, seed: int) -> dict | None:
    """The row of a step whose recipe *is* a benchmark recipe, copied from that recipe's
    stored table (crossplot.json or well-logs.json) when it holds ``seed``: the same
    recipe, seed and code give the same numbers on the machine that made both tables, so
    it is not trained twice. ``None`` if there is no such row."""
    from ..recipes import RECIPES

    table = recipe.dataset  # a data set's table is named after it
    same = [n for n, r in RECIPES.items() if same_training(r, recipe)]
    if not same or not (BENCH_DIR / f"{table}.json").is_file():
        return None
    for row in load_results(table)["rows"]:
        if row["recipe"] == same[0] and row["seed"] == seed:
            values = {k: v for k, v in row.items() if k not in ("recipe", "seed", "seconds")}
            return {"step": label, "seed": seed, "seconds": row["seconds"], "copied from": same[0], **values}
    return None


def _median_spread(values) -> tuple[float, float, float]:
    """Median and the range of the middle 80 % (10th and 90th percentiles), over the seeds
    where the value exists (a collapsed run has no spread for its missing population)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if not len(v):
        return (float("nan"),) * 3
    return float(np.median(v)), float(np.percentile(v, 10)), float(np.percentile(v, 90))


def ablation_summary(results: dict, which: str) -> list[dict]:
    """Per step: seeds meeting each target of its data set's protocol and all of them (as in
    that data set's benchmark table), and the median [10th, 90th percentile] of the
    protocol's key numbers over the seeds (crossplot: energy distance, the tight
    population's Vp spread and slope errors; well logs: bed-thickness W1 and total
    variation)."""
    protocol = protocol_of(ablation_ladder(which)[0][1].dataset)
    verdicts = {id(r): protocol.verdicts(r) for r in results["rows"]}
    columns: dict = {"seeds": len}
    for target in protocol.targets:
        columns[protocol.column.format(target)] = count(lambda r, t=target: verdicts[id(r)][t])
    columns["all ok"] = count(lambda r: all(verdicts[id(r)][t] for t in protocol.targets))
    for key in protocol.key_numbers:
        columns[key] = lambda rows, key=key: _median_spread([r[key] for r in rows])
    columns["seconds (median)"] = median("seconds")
    return summarise(results["rows"], "step", columns)


def ablation_display(which: str) -> list[dict]:
    """The stored ablation ``which`` as table rows for the chapters (``plots.table``):
    pass counts, and each key metric as "median [10th, 90th percentile]" over the seeds.
    Wall times are left out: the table was made on a loaded machine (see its note)."""
    out = []
    for line in ablation_summary(load_results(which), which):
        row = {}
        for key, value in line.items():
            if key == "seconds (median)":
                continue
            if isinstance(value, tuple):
                row[key] = f"{value[0]:.3g} [{value[1]:.3g}, {value[2]:.3g}]"
            elif isinstance(value, float):
                row[key] = f"{value:.1f}"
            else:
                row[key] = value
        out.append(row)
    return out


# ----------------------------------------------------------------------------- chapter 4

CONDITION_RECIPE = "well-logs-physics-gan"
#: seed of the hidden truths: fresh logs the generator never saw (its training logs are drawn
#: with the training seed, 0 here and 0-4 for condition-spread's priors)
WELL_LOG_TRUTH_SEED = 7
CONDITION_SIGMA = 0.05
WELL_LOG_CONDITION_METHODS = ("gan-pcn", "gan-map", "kriging", "markov")
#: the methods that use the trained generator (the others see only its training logs)
GAN_METHODS = ("gan-pcn", "gan-map")


def condition_setup(seed: int = 0):
    """The prior of chapter 4: the recommended well-log recipe trained from ``seed``, and the
    kriging variogram fitted to the same training logs."""
    from ..kriging import fit_variogram

    result = train(get_recipe(CONDITION_RECIPE), seed, progress=False)
    return result, fit_variogram(result.data.physical)


def hidden_truths(n: int) -> np.ndarray:
    """``n`` real logs from a stream the generator never saw."""
    from ..data import make_well_logs

    return make_well_logs(n, seed=WELL_LOG_TRUTH_SEED)[0]


def condition_rows(
    result, variogram, truth: np.ndarray, index: int, k: int, n: int = 50, methods=WELL_LOG_CONDITION_METHODS
) -> list[dict]:
    """Hide ``truth``, observe it at ``k`` stratified random depths, and condition the GAN
    (pCN and MAP), kriging and the facies Markov chain on those observations: one scored
    row per method in ``methods``. ``result`` is the trained prior; for kriging and the
    Markov chain alone, anything with ``.data.physical`` (the training logs) will do."""
    import time

    from ..condition import conditional_scores, observation_indices

    depths = observation_indices(len(truth), k, np.random.default_rng([index, k]))
    values = truth[depths]
    rows = []
    for method in methods:
        start = time.perf_counter()
        ensemble = _conditioned(method, result, variogram, depths, values, len(truth), n, index)
        seconds = time.perf_counter() - start
        scores = conditional_scores(ensemble, truth, depths, values, CONDITION_SIGMA)
        row = {"truth": index, "k": k, "method": method, "seconds": round(seconds, 2)}
        rows.append({**row, **_rounded(scores)})
    return rows


def _conditioned(method, result, variogram, depths, values, length, n, index) -> np.ndarray:
    from ..condition import condition
    from ..kriging import krige
    from ..markov import fit_facies_chain, simulate_facies_chain

    if method == "kriging":
        return krige(variogram, depths, values, CONDITION_SIGMA, length, n=n, seed=index)[2]
    if method == "markov":
        chain = fit_facies_chain(result.data.physical)
        return simulate_facies_chain(chain, depths, values, CONDITION_SIGMA, length, n=n, seed=index)[0]
    c = condition(
        result.generator,
        result.recipe.latent_dim,
        depths,
        values,
        CONDITION_SIGMA,
        n=n,
        method=method.removeprefix("gan-"),
        seed=index,
    )
    return c.samples


def run_condition_bench(
    truths: int = 20, ks: tuple[int, ...] = (3, 6, 12), n: int = 50, out: str | Path | None = None
) -> dict:
    """Chapter 4's table: ``truths`` hidden logs x observation counts ``ks`` x methods;
    written as JSON to ``out`` (default gan_utils/results/condition.json)."""
    result, variogram = condition_setup()
    print(f"{CONDITION_RECIPE} trained in {result.seconds:.1f} s; variogram {variogram}", flush=True)

    def rows_for(truth, index, k):
        return condition_rows(result, variogram, truth, index, k, n)

    def line(row):
        return (
            f"truth {row['truth']:2d}  k {row['k']:2d}  {row['method']:<8} {row['seconds']:5.2f} s  "
            f"coverage {row['coverage']:.2f}  misfit/sigma {row['misfit/sigma']:.2f}"
        )

    rows = condition_table_rows(hidden_truths(truths), ks, rows_for, line)
    results = {
        "truths": truths,
        "n": n,
        "sigma": CONDITION_SIGMA,
        "recipe": CONDITION_RECIPE,
        "train_seconds": round(result.seconds, 1),
        "variogram": _rounded(vars(variogram)),
        "rows": rows,
    }
    print_summary(condition_summary(results))
    return write_results(results, out, "condition")


def condition_table_rows(truths, ks, rows_for, line) -> list[dict]:
    """Every hidden truth with every observation count in ``ks``: ``rows_for(truth, index,
    k)`` returns that case's scored rows (one per method), each printed as ``line(row)`` as
    it comes; all rows in order. The loop of chapters 4's and 5's conditioning tables."""
    rows = []
    for index, truth in enumerate(truths):
        for k in ks:
            for row in rows_for(truth, index, k):
                rows.append(row)
                print(line(row), flush=True)
    return rows


def print_summary(lines: list[dict]) -> None:
    """One printed line per summary row: its keys and values, floats to 3 decimals."""
    for line in lines:
        print("  ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in line.items()))


def condition_summary(results: dict) -> list[dict]:
    """Per method and number of observations: mean coverage (and its standard error over
    the truths), band width, P50 error and in-between fraction; median misfit/sigma and
    time; number of truths with misfit/sigma <= 1.5."""

    def standard_error(rows):
        cover = np.array([r["coverage"] for r in rows])
        return float(cover.std(ddof=1) / np.sqrt(len(cover)))

    columns = {
        "truths": len,
        "coverage (mean)": mean("coverage"),
        "coverage (s.e.)": standard_error,
        "band width (mean)": mean("band width"),
        "misfit/sigma (median)": median("misfit/sigma"),
        "misfit/sigma <= 1.5": count(lambda r: r["misfit/sigma"] <= 1.5),
        "P50 error (mean)": mean("P50 error"),
        "fraction between 0.4 and 0.6 (mean)": mean("fraction between 0.4 and 0.6"),
        "seconds (median)": median("seconds"),
    }
    return summarise(results["rows"], ("method", "k"), columns, {"k": "observations"})


# ----------------------------------------------------------------------------- re-checking a row

#: a re-trained row matches a stored one when every number lies within this many seed-to-seed
#: standard deviations (over the stored seeds of the same recipe). Measured: another arithmetic
#: path (ATEN_CPU_CAPABILITY=default) moved the baseline well-log LSGAN's numbers by up to 0.97
#: of that spread (lag-1 autocorrelation), the baseline crossplot WGAN's by at most 0.05.
ROW_TOLERANCE_SDS = 4.0


def column_spread(rows: list[dict]) -> dict[str, float]:
    """Standard deviation over ``rows`` of every numeric column but the wall time, over the
    rows where the value is finite (a seed that lost a population has no spread or slope
    for it); NaN if fewer than two are."""
    keys = [k for k, v in rows[0].items() if isinstance(v, float) and k != "seconds"]
    out = {}
    for k in keys:
        v = np.asarray([r.get(k, np.nan) for r in rows], dtype=float)
        v = v[np.isfinite(v)]
        out[k] = float(np.std(v, ddof=1)) if len(v) >= 2 else float("nan")
    return out


def seed_spread(rows: list[dict], recipe: str) -> dict[str, float]:
    """Standard deviation over the stored seeds of ``recipe`` of every numeric column."""
    return column_spread([r for r in rows if r["recipe"] == recipe])


def row_differences(fresh: dict, stored: dict, tolerance: dict[str, float]) -> list[str]:
    """What differs between a re-trained row and its stored twin, one line each: a number
    further than ``tolerance[key]`` from the stored one, or any other field (a verdict,
    a name) that changed. Wall time is not compared."""
    lines = []
    for key, old in stored.items():
        new = fresh.get(key)
        if key == "seconds":
            continue
        if key in tolerance:
            if new is None or not abs(new - old) <= tolerance[key]:
                lines.append(f"{key}: stored {old:.6g}, got {new}, tolerance {tolerance[key]:.3g}")
        elif new != old:
            lines.append(f"{key}: stored {old!r}, got {new!r}")
    return lines


def crossplot_verdicts(row: dict, results: dict) -> dict[str, bool]:
    """The targets chapter 3 counts, for one row of the crossplot table ``results`` (the
    distance limit from that table's real-vs-real baseline)."""
    limit = M.distance_limit([b["energy distance"] for b in results["baseline"]])
    return {r["statistic"]: r["ok"] for r in crossplot_rows(row, limit)}


def condition_spread(priors: int = 5, out: str | Path | None = None) -> dict:
    """How much chapter 4's checked row (hidden well 0, six readings) moves when the prior
    is trained from another seed: ``priors`` priors, every method, and the standard
    deviation of each score over them. Another CPU's arithmetic moves a trained prior as a
    new seed does, so this spread, not exact equality, is what a re-trained row is held to
    (written to gan_utils/results/condition-spread.json)."""
    truth = hidden_truths(1)[0]
    rows = []
    for seed in range(priors):
        result, variogram = condition_setup(seed)
        for row in condition_rows(result, variogram, truth, 0, 6, methods=WELL_LOG_CONDITION_METHODS[:3]):
            rows.append({"prior seed": seed, **row})
            print(f"prior {seed} {row['method']:<8} coverage {row['coverage']:.3f}", flush=True)
    return write_results(
        {"priors": priors, "rows": rows, "sd": spread_by_method(rows)}, out, "condition-spread"
    )


#: the misspecified truths of chapter 4: beds of 3 to 10 samples instead of the data's 8 to 25
THIN_BEDS = {"min_bed": 3, "max_bed": 10}


def condition_misspecified(truths: int = 20, k: int = 6, out: str | Path | None = None) -> dict:
    """Chapter 4's misspecified prior: ``truths`` hidden logs from another generator
    (:data:`THIN_BEDS`, everything else as the training data), each observed at ``k``
    depths and conditioned with the prior trained as in :func:`condition_setup` (pCN),
    kriging and the facies Markov chain, both fitted to the usual training logs
    (written to gan_utils/results/condition-misspecified.json)."""
    from ..data import WellLogSpec, make_well_logs

    result, variogram = condition_setup()
    thin = make_well_logs(truths, seed=WELL_LOG_TRUTH_SEED, spec=WellLogSpec(**THIN_BEDS))[0]
    rows = []
    for index, truth in enumerate(thin):
        for row in condition_rows(
            result, variogram, truth, index, k, methods=("gan-pcn", "kriging", "markov")
        ):
            rows.append(row)
            print(f"thin-bed truth {index:2d} {row['method']:<8} coverage {row['coverage']:.3f}", flush=True)
    results = {"truths": truths, "k": k, "beds": THIN_BEDS, "recipe": CONDITION_RECIPE, "rows": rows}
    for line in condition_summary(results):
        print(f"{line['method']:<8} coverage {line['coverage (mean)']:.3f} +- {line['coverage (s.e.)']:.3f}")
    return write_results(results, out, "condition-misspecified")


def spread_by_method(rows: list[dict]) -> dict[str, dict[str, float]]:
    """Per method, the standard deviation of every score over ``rows``."""
    out = {}
    for method in dict.fromkeys(r["method"] for r in rows):
        spread = column_spread([r for r in rows if r["method"] == method])
        out[method] = {k: round(v, 6) for k, v in spread.items()}
    return out


def condition_tolerance(method: str) -> dict[str, float]:
    """:data:`ROW_TOLERANCE_SDS` times the stored prior-to-prior spread of ``method``'s scores."""
    sd = load_results("condition-spread")["sd"][method]
    return {k: ROW_TOLERANCE_SDS * v for k, v in sd.items()}


__all__ = [
    "ABLATIONS",
    "FRESH_SEEDS",
    "FRESH_STEPS",
    "run_fresh_seeds",
    "BENCH_DIR",
    "WELL_LOG_CONDITION_METHODS",
    "CONDITION_RECIPE",
    "CONDITION_SIGMA",
    "CROSSPLOT_RECIPES",
    "GAN_METHODS",
    "WELL_LOG_TRUTH_SEED",
    "ROW_TOLERANCE_SDS",
    "WELL_LOG_RECIPES",
    "THIN_BEDS",
    "condition_misspecified",
    "ablation_ladder",
    "ablation_row",
    "ablation_summary",
    "ablation_display",
    "condition_rows",
    "condition_setup",
    "condition_spread",
    "condition_summary",
    "condition_tolerance",
    "count",
    "dataset_row",
    "LADDERS",
    "mean",
    "median",
    "protocol_of",
    "run_dataset_bench",
    "summarise",
    "crossplot_summary",
    "crossplot_ladder",
    "crossplot_verdicts",
    "find_checkout",
    "hidden_truths",
    "is_checkout",
    "load_results",
    "results_path",
    "row_differences",
    "run_ablation",
    "run_condition_bench",
    "run_crossplot_bench",
    "run_well_log_bench",
    "seed_spread",
    "spread_by_method",
    "same_training",
    "stored_row",
    "well_log_ladder",
    "well_log_summary",
]
