"""Chapter 5's experiments: the multi-seed table of the channel recipes and the conditioning
table over hidden truths, written to gan_utils/results/ like the other chapters' tables.

``python -m gan_utils bench channels`` trains each channel recipe from several seeds and
evaluates 512 generated images with the facies protocol
(:func:`gan_utils.evaluation.channels_evaluation`: every statistic beside its
real-vs-real tolerance); ``python -m gan_utils bench channels-condition`` conditions the
stored recommended run (:data:`RUN_DIR`) to 2 and 3 vertical wells of hidden truths with
pCN (chapter 4's :func:`gan_utils.condition.condition`, unchanged) and compares it with
truncated-Gaussian simulation (:mod:`gan_utils.geostat`) fitted to the same training
images.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from .experiments import BENCH_DIR, _rounded, _train_rows, _write, load_results, print_summary
from .experiments import condition_table_rows as _table_rows
from .recipes import get_recipe
from .train import train

CHANNEL_RECIPES = ("channels-dcgan", "channels-gan", "channels-gan-r1")
#: the stored run of the recommended recipe (weights under 2 MB), which chapter 5 loads;
#: re-made by ``python -m gan_utils train channels-gan --seed 0 --out gan_utils/results/channels-gan``
RUN_DIR = BENCH_DIR / "channels-gan"
TRAIN_COMMAND = "python -m gan_utils train channels-gan --seed 0 --out gan_utils/results/channels-gan"
#: seed of the hidden truths: fresh images no run trained on (training sets use the run's seed)
HIDDEN_SEED = 7_000
#: measurement error of a facies observation (codes 0 / 1 against the generator's values in [0, 1])
WELL_SIGMA = 0.2
PCN_STEPS = 400
CONDITION_METHODS = ("gan-pcn", "truncated-gaussian")


def _checkerboard(result) -> float:
    from .evaluation import nyquist_power

    return nyquist_power(result.sample(256, seed=1, physical=False))


def channels_row(name: str, seed: int) -> dict:
    """Train ``name`` from ``seed`` and evaluate 512 generated images: one row of the table
    (each statistic and whether it is within tolerance, and the checkerboard share)."""
    from .evaluation import N_IMAGES, channels_evaluation

    result = train(get_recipe(name), seed, progress=False)
    report = channels_evaluation(result.sample(N_IMAGES, seed=1))
    row = {"recipe": name, "seed": seed, "seconds": round(result.seconds, 2)}
    for r in report:
        row[r["statistic"]] = round(float(r["generated"]), 6)
        row[f"{r['statistic']} ok"] = bool(r["ok"])
    row["checkerboard power"] = round(_checkerboard(result), 6)
    return row


def run_channels_bench(seeds: int = 10, out: str | Path | None = None, recipes=CHANNEL_RECIPES) -> dict:
    """Every channel recipe over ``seeds`` seeds, with the reference values and tolerances;
    written as JSON to ``out`` (default gan_utils/results/channels.json)."""
    from .evaluation import channels_reference

    _, tolerances = channels_reference()
    shown = ("sand proportion", "spanning fraction (x)", "sand bodies per image")
    rows = _train_rows(recipes, seeds, channels_row, shown)
    reference = {
        k: {"real": round(v[0], 6), "tolerance": round(v[1], 6), "kind": v[2]} for k, v in tolerances.items()
    }
    return _write({"seeds": seeds, "reference": reference, "rows": rows}, out, "channels")


def channels_summary(results: dict) -> list[dict]:
    """Per recipe: seeds run, seeds within tolerance on every statistic, on each statistic
    (how many of them), median checkerboard share and median training time."""
    stats = list(results["reference"])
    out = []
    for name in dict.fromkeys(r["recipe"] for r in results["rows"]):
        rows = [r for r in results["rows"] if r["recipe"] == name]
        line: dict = {"recipe": name, "seeds": len(rows)}
        line["all within tolerance"] = sum(all(r[f"{s} ok"] for s in stats) for r in rows)
        line["statistics within tolerance (median of seeds)"] = float(
            np.median([sum(r[f"{s} ok"] for s in stats) for r in rows])
        )
        line["of"] = len(stats)
        line["checkerboard (median)"] = float(np.median([r["checkerboard power"] for r in rows]))
        line["seconds (median)"] = float(np.median([r["seconds"] for r in rows]))
        out.append(line)
    return out


# ----------------------------------------------------------------------------- conditioning


def load_channels_run(device: str = "cpu"):
    """The stored run of the recommended channel recipe (:data:`RUN_DIR`), without its
    training images (``run.data`` is None; :func:`~gan_utils.facies.make_channels` re-makes them)."""
    from .runs import load_stored_run

    return load_stored_run("channels-gan", device, data=False)


def hidden_channel_truths(n: int) -> np.ndarray:
    """``n`` real channel images from a stream no run trained on."""
    from .facies import make_channels

    return make_channels(n, seed=HIDDEN_SEED)[0]


def condition_channels(run, truth: np.ndarray, wells, n: int = 50, seed: int = 0, steps: int = PCN_STEPS):
    """``n`` pCN realisations (facies codes) of ``run``'s generator honouring ``truth`` at the
    well columns ``wells`` (chapter 4's :func:`~gan_utils.condition.condition`, unchanged),
    and the mean pCN acceptance rate."""
    from .condition import condition
    from .data import get_dataset
    from .facies import well_columns

    where = well_columns(wells, truth.shape[1])
    c = condition(
        run.generator,
        run.recipe.latent_dim,
        where,
        truth.ravel()[where],
        WELL_SIGMA,
        n=n,
        steps=steps,
        seed=seed,
        observe=get_dataset(run.recipe.dataset).observe,
    )
    return run.to_physical(c.logs), c.acceptance


def ensemble_scores(ensemble: np.ndarray, truth: np.ndarray, wells) -> dict:
    """How an ensemble of facies maps honours the wells and brackets the hidden truth:

    - ``honoured``: share of well pixels at which a realisation has the observed facies;
    - ``ece``: expected calibration error of P(sand) (the ensemble's sand frequency)
      against the truth, at pixels more than 3 pixels from every well
      (:func:`gan_utils.image_metrics.reliability`); its bins too, to pool over truths;
    - ``coverage``: share of those pixels where the truth's facies has P >= 0.1 (about
      0.9 or more for a calibrated map);
    - ``connected (truth)`` and ``P(connected)``: for each pair of wells, whether one sand
      body joins them in the truth, and the share of realisations where one does;
      ``connection Brier``: the mean squared difference of the two (0 is perfect);
    - ``sand proportion``: of the realisations."""
    from .image_metrics import observed_mask, reliability, wells_connected

    wells = np.asarray(wells)
    prob = (ensemble == 1).mean(axis=0)
    rel = reliability(prob[None], truth[None], observed_mask(truth.shape, wells))
    far = observed_mask(truth.shape, wells)
    from scipy import ndimage

    far = ndimage.distance_transform_edt(~far) > 3
    p_true = np.where(truth == 1, prob, 1 - prob)
    scores = {
        "honoured": float((ensemble[:, :, wells] == truth[None, :, wells]).mean()),
        "ece": rel["ece"],
        "coverage": float((p_true[far] >= 0.1).mean()),
        "sand proportion": float((ensemble == 1).mean()),
        "bins predicted": np.nan_to_num(rel["predicted"]).round(5).tolist(),
        "bins observed": np.nan_to_num(rel["observed"]).round(5).tolist(),
        "bins count": rel["count"].tolist(),
    }
    if len(wells) >= 2:
        t = wells_connected(truth[None], wells)[0].astype(float)
        p = wells_connected(ensemble, wells).mean(axis=0)
        scores.update(
            {
                "connected (truth)": float(t.mean()),
                "P(connected)": float(p.mean()),
                "connection Brier": float(((p - t) ** 2).mean()),
            }
        )
    return scores


def channels_condition_rows(run, tg, truth: np.ndarray, index: int, k: int, n: int = 50) -> list[dict]:
    """Hide ``truth``, observe it in ``k`` evenly spread wells, and condition pCN on the GAN
    and the truncated-Gaussian model ``tg`` to them: one scored row per method."""
    from .facies import spread_wells, well_columns

    wells = spread_wells(k, truth.shape[1])
    rows = []
    for method in CONDITION_METHODS:
        start = time.perf_counter()
        acceptance = None
        if method == "gan-pcn":
            ensemble, acceptance = condition_channels(run, truth, wells, n, seed=index)
        else:
            where = well_columns(wells, truth.shape[1])
            ensemble = tg.simulate_conditional(where, truth.ravel()[where], n=n, seed=index)
        seconds = time.perf_counter() - start
        row = {"truth": index, "k": k, "method": method, "seconds": round(seconds, 2)}
        if acceptance is not None:
            row["acceptance"] = round(float(acceptance), 4)
        rows.append({**row, **_rounded(ensemble_scores(np.asarray(ensemble, dtype=float), truth, wells))})
    return rows


def fit_channels_tg(n_train: int = 1024, seed: int = 0):
    """The truncated-Gaussian baseline fitted to the stored run's training images."""
    from .facies import make_channels
    from .geostat import fit_truncated_gaussian

    return fit_truncated_gaussian(make_channels(n_train, seed)[0], angle=0.0)


def run_channels_condition_bench(
    truths: int = 20, ks: tuple[int, ...] = (2, 3), n: int = 50, out: str | Path | None = None
) -> dict:
    """Chapter 5's conditioning table: ``truths`` hidden images x well counts ``ks`` x
    methods; written as JSON to ``out`` (default gan_utils/results/channels-condition.json)."""
    run = load_channels_run()
    tg = fit_channels_tg(seed=run.seed)

    def rows_for(truth, index, k):
        return channels_condition_rows(run, tg, truth, index, k, n)

    rows = condition_table_rows(hidden_channel_truths(truths), ks, rows_for)
    results = {
        "truths": truths,
        "n": n,
        "sigma": WELL_SIGMA,
        "pcn_steps": PCN_STEPS,
        "recipe": run.recipe.name,
        "run": str(RUN_DIR.relative_to(BENCH_DIR.parent.parent)),
        "rows": rows,
    }
    print_condition_summary(results)
    return _write(results, out, "channels-condition")


def condition_table_rows(truths: np.ndarray, ks, rows_for) -> list[dict]:
    """:func:`gan_utils.experiments.condition_table_rows` with chapter 5's progress line:
    the loop of ``bench channels-condition`` and ``bench channels-gansim``."""

    def line(row):
        return (
            f"truth {row['truth']:2d}  k {row['k']}  {row['method']:<18} {row['seconds']:6.2f} s  "
            f"honoured {row['honoured']:.3f}  ECE {row['ece']:.3f}  coverage {row['coverage']:.2f}"
        )

    return _table_rows(truths, ks, rows_for, line)


def print_condition_summary(results: dict) -> None:
    """One line per method and well count of :func:`channels_condition_summary`."""
    print_summary(channels_condition_summary(results))


def pooled_reliability(rows: list[dict]) -> dict[str, np.ndarray]:
    """The reliability diagram pooled over ``rows`` (pixel-weighted per bin)."""
    count = np.sum([r["bins count"] for r in rows], axis=0).astype(float)
    pred = np.sum([np.multiply(r["bins predicted"], r["bins count"]) for r in rows], axis=0)
    obs = np.sum([np.multiply(r["bins observed"], r["bins count"]) for r in rows], axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {"predicted": pred / count, "observed": obs / count, "count": count}


def no_wells_rows(truths: np.ndarray, ks=(2, 3), n: int = 50, seed: int = HIDDEN_SEED + 1) -> list[dict]:
    """The baseline that ignores the wells: the same ``n`` fresh real maps (the object model
    itself) scored against every hidden truth as if they were its conditional ensemble.
    Rows as :func:`channels_condition_rows` writes them, method ``no wells (real maps)``."""
    from .facies import make_channels, spread_wells

    prior = make_channels(n, seed=seed)[0].astype(float)
    rows = []
    for index, truth in enumerate(truths):
        for k in ks:
            scores = ensemble_scores(prior, truth, spread_wells(k, truth.shape[1]))
            rows.append({"truth": index, "k": k, "method": "no wells (real maps)", "seconds": 0.0, **scores})
    return rows


def resolution(row: dict) -> float:
    """The resolution term of the Brier score's decomposition (Murphy 1973), from a row's
    reliability bins: sum_b (n_b / N) (observed_b - observed)^2, the variance of the truth's
    sand frequency between bins of predicted probability. 0 for a map that predicts the
    same probability everywhere (however well calibrated); larger when the map separates
    sand from mud. The Brier score is about uncertainty - resolution + reliability."""
    n = np.asarray(row["bins count"], dtype=float)
    observed = np.asarray(row["bins observed"], dtype=float)
    if n.sum() <= 0:
        raise ValueError("a reliability row needs at least one pixel in its bins")
    mean = float((n * observed).sum() / n.sum())
    return float((n * (observed - mean) ** 2).sum() / n.sum())


def channels_condition_summary(results: dict) -> list[dict]:
    """Per method and number of wells: mean honoured share, mean ECE, pooled ECE, mean
    coverage, connection Brier score, and median seconds per ensemble."""
    rows = results["rows"]
    out = []
    for method in dict.fromkeys(r["method"] for r in rows):
        for k in dict.fromkeys(r["k"] for r in rows):
            sel = [r for r in rows if r["method"] == method and r["k"] == k]
            pooled = pooled_reliability(sel)
            filled = pooled["count"] > 0
            weights = pooled["count"][filled] / pooled["count"].sum()
            gap = np.abs(pooled["predicted"][filled] - pooled["observed"][filled])
            out.append(
                {
                    "method": method,
                    "wells": k,
                    "truths": len(sel),
                    "honoured": float(np.mean([r["honoured"] for r in sel])),
                    "ECE (mean)": float(np.mean([r["ece"] for r in sel])),
                    "ECE (pooled)": float(np.sum(weights * gap)),
                    "coverage": float(np.mean([r["coverage"] for r in sel])),
                    "resolution": float(np.mean([resolution(r) for r in sel])),
                    "connection Brier": float(np.mean([r["connection Brier"] for r in sel])),
                    "seconds (median)": float(np.median([r["seconds"] for r in sel])),
                }
            )
    return out


__all__ = [
    "CHANNEL_RECIPES",
    "CONDITION_METHODS",
    "HIDDEN_SEED",
    "RUN_DIR",
    "TRAIN_COMMAND",
    "WELL_SIGMA",
    "channels_condition_rows",
    "channels_condition_summary",
    "channels_row",
    "channels_summary",
    "condition_table_rows",
    "condition_channels",
    "ensemble_scores",
    "fit_channels_tg",
    "hidden_channel_truths",
    "load_channels_run",
    "load_results",
    "no_wells_rows",
    "pooled_reliability",
    "print_condition_summary",
    "resolution",
    "run_channels_bench",
    "run_channels_condition_bench",
]
