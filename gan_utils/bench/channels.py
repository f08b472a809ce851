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

import json
import time
from pathlib import Path

import numpy as np

from .experiments import (
    BENCH_DIR,
    _rounded,
    _train_rows,
    count,
    dataset_row,
    load_results,
    mean,
    median,
    print_summary,
    results_path,
    summarise,
    write_results,
)
from .experiments import condition_table_rows as _table_rows

CHANNEL_RECIPES = ("channels-dcgan", "channels-gan", "channels-gan-r1")
#: the stored run of the recommended recipe (weights under 2 MB), which chapter 5 loads;
#: re-made by ``python -m gan_utils train channels-gan --seed 0 --out gan_utils/results/channels-gan``
RUN_DIR = BENCH_DIR / "channels-gan"
TRAIN_COMMAND = "python -m gan_utils train channels-gan --seed 0 --out gan_utils/results/channels-gan"
#: seed of the hidden truths: fresh images no run trained on (training sets use the run's seed)
CHANNEL_TRUTH_SEED = 7_000
#: measurement error of a facies observation (codes 0 / 1 against the generator's values in [0, 1])
WELL_SIGMA = 0.2
#: pCN settings of chapter 5 (chapter 4's :func:`~gan_utils.condition.condition`, whose chains
#: tune their own step toward an acceptance rate of 0.3 during the first half, x1.25 or /1.25
#: every 25 proposals). The first table used 400 steps from beta 0.25 (the function's
#: default): the steps could only shrink to 0.25 / 1.25**8 = 0.04 before the second half, and
#: the chains accepted about 4 % of their proposals. Starting from PCN_BETA, with PCN_STEPS,
#: the tuned steps reach the target (acceptance 0.2-0.4, chapter 4's advice).
PCN_STEPS = 600
PCN_BETA = 0.03
CHANNEL_CONDITION_METHODS = ("gan-pcn", "truncated-gaussian")


def _checkerboard(result) -> float:
    from ..evaluation import nyquist_power

    return nyquist_power(result.sample(256, seed=1, physical=False))


def channels_row(name: str, seed: int) -> dict:
    """Train ``name`` from ``seed`` and evaluate 512 generated images: one row of the table
    (:func:`~gan_utils.bench.experiments.dataset_row`, and the checkerboard share)."""
    return dataset_row(
        name, seed, extra=lambda result: {"checkerboard power": round(_checkerboard(result), 6)}
    )


def run_channels_bench(seeds: int = 10, out: str | Path | None = None, recipes=CHANNEL_RECIPES) -> dict:
    """Every channel recipe over ``seeds`` seeds, with the reference values and tolerances;
    written as JSON to ``out`` (default gan_utils/results/channels.json)."""
    from ..evaluation import channels_reference

    _, tolerances = channels_reference()
    shown = ("sand proportion", "spanning fraction (x)", "sand bodies per image")
    rows = _train_rows(recipes, seeds, channels_row, shown)
    reference = {
        k: {"real": round(v[0], 6), "tolerance": round(v[1], 6), "kind": v[2]} for k, v in tolerances.items()
    }
    return write_results({"seeds": seeds, "reference": reference, "rows": rows}, out, "channels")


def channels_summary(results: dict) -> list[dict]:
    """Per recipe: seeds run, seeds within tolerance on every statistic, on each statistic
    (how many of them), median checkerboard share and median training time."""
    stats = list(results["reference"])

    def passed(r) -> int:
        return sum(r[f"{s} ok"] for s in stats)

    columns = {
        "seeds": len,
        "all within tolerance": count(lambda r: passed(r) == len(stats)),
        "statistics within tolerance (median of seeds)": lambda rows: float(
            np.median([passed(r) for r in rows])
        ),
        "of": lambda rows: len(stats),
        "checkerboard (median)": median("checkerboard power"),
        "seconds (median)": median("seconds"),
    }
    return summarise(results["rows"], "recipe", columns)


# ----------------------------------------------------------------------------- conditioning


def load_channels_run(device: str = "cpu"):
    """The stored run of the recommended channel recipe (:data:`RUN_DIR`), without its
    training images (``run.data`` is None; :func:`~gan_utils.facies.make_channels` re-makes them)."""
    from ..runs import load_stored_run

    return load_stored_run("channels-gan", device, data=False)


def hidden_channel_truths(n: int) -> np.ndarray:
    """``n`` real channel images from a stream no run trained on."""
    from ..facies import make_channels

    return make_channels(n, seed=CHANNEL_TRUTH_SEED)[0]


def sand_share(x):
    """Per realisation, the share of pixels the generator's output puts in sand (> 0.5):
    the quantity traced, besides the potential Phi, for the chains' R-hat and ESS."""
    return (x > 0.5).float().flatten(1).mean(1)


def condition_channels(
    run, truth: np.ndarray, wells, n: int = 50, seed: int = 0, steps: int = PCN_STEPS, beta: float = PCN_BETA
):
    """``n`` pCN realisations (facies codes) of ``run``'s generator honouring ``truth`` at the
    well columns ``wells`` (chapter 4's :func:`~gan_utils.condition.condition`, unchanged;
    ``beta`` is the starting pCN step, tuned per chain during the first half of ``steps``),
    and the chains' diagnostics (:func:`chain_diagnostics`)."""
    from ..condition import condition
    from ..data import get_dataset
    from ..facies import well_columns

    where = well_columns(wells, truth.shape[1])
    c = condition(
        run.generator,
        run.recipe.latent_dim,
        where,
        truth.ravel()[where],
        WELL_SIGMA,
        n=n,
        steps=steps,
        beta=beta,
        seed=seed,
        observe=get_dataset(run.recipe.dataset).observe,
        trace=sand_share,
    )
    return run.to_physical(c.samples), chain_diagnostics(c)


def chain_diagnostics(conditioned) -> dict:
    """The mean acceptance rate of a pCN ensemble's second half, the chains that never
    moved in it, and the rank-normalised split R-hat and bulk ESS (Vehtari et al. 2021)
    of the potential Phi and of the sand share over the chains' second halves
    (:meth:`gan_utils.condition.Conditioned.diagnostics`). R-hat below 1.01 means the
    chains sample one distribution; ESS counts the independent draws they are worth."""
    (phi, sand) = conditioned.diagnostics()
    return {
        "acceptance": float(conditioned.acceptance),
        "stuck": int(conditioned.stuck),
        "R-hat (Phi)": float(phi["R-hat"]),
        "ESS (Phi)": float(phi["ESS"]),
        "R-hat (sand)": float(sand["R-hat"]),
        "ESS (sand)": float(sand["ESS"]),
    }


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
    from ..image_metrics import observed_mask, reliability, wells_connected

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
    from ..facies import spread_wells, well_columns

    wells = spread_wells(k, truth.shape[1])
    rows = []
    for method in CHANNEL_CONDITION_METHODS:
        start = time.perf_counter()
        chains = {}
        if method == "gan-pcn":
            ensemble, chains = condition_channels(run, truth, wells, n, seed=index)
        else:
            where = well_columns(wells, truth.shape[1])
            ensemble = tg.simulate_conditional(where, truth.ravel()[where], n=n, seed=index)
        seconds = time.perf_counter() - start
        row = {"truth": index, "k": k, "method": method, "seconds": round(seconds, 2)}
        row.update({key: round(value, 4) for key, value in chains.items()})
        rows.append({**row, **_rounded(ensemble_scores(np.asarray(ensemble, dtype=float), truth, wells))})
    return rows


def fit_channels_tg(n_train: int = 1024, seed: int = 0):
    """The truncated-Gaussian baseline fitted to the stored run's training images."""
    from ..facies import make_channels
    from ..geostat import fit_truncated_gaussian

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

    rows = channels_condition_table_rows(hidden_channel_truths(truths), ks, rows_for)
    previous = _first_pcn_table(out)
    results = {
        "truths": truths,
        "n": n,
        "sigma": WELL_SIGMA,
        "pcn_steps": PCN_STEPS,
        "pcn_beta": PCN_BETA,
        "recipe": run.recipe.name,
        "run": str(RUN_DIR.relative_to(BENCH_DIR.parent.parent)),
        "rows": rows,
        **previous,
    }
    print_condition_summary(results)
    return write_results(results, out, "channels-condition")


#: the stored table keeps the rows of its first version (pCN: 400 steps from beta 0.25, chains
#: that accepted about 4 % of their proposals; the truncated Gaussian's on all 20 truths)
#: under these keys, so that the evidence page can show what the tuning changed; a re-made
#: table carries them over
FIRST_PCN_KEYS = ("first pcn settings", "first pcn rows", "first tg rows")


def _first_pcn_table(out) -> dict:
    path = Path(out) if out else results_path("channels-condition")
    if not path.is_file():
        return {}
    stored = json.loads(path.read_text())
    return {key: stored[key] for key in FIRST_PCN_KEYS if key in stored}


def channels_condition_table_rows(truths: np.ndarray, ks, rows_for) -> list[dict]:
    """:func:`gan_utils.bench.experiments.condition_table_rows` with chapter 5's progress line:
    the loop of ``bench channels-condition`` and ``bench channels-gansim``."""

    def line(row):
        return (
            f"truth {row['truth']:2d}  k {row['k']}  {row['method']:<18} {row['seconds']:6.2f} s  "
            f"honoured {row['honoured']:.3f}  ECE {row['ece']:.3f}  coverage {row['coverage']:.2f}"
        ) + (
            f"  acceptance {row['acceptance']:.3f}  R-hat {row['R-hat (Phi)']:.2f}"
            if "acceptance" in row
            else ""
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


def no_wells_rows(
    truths: np.ndarray, ks=(2, 3), n: int = 50, seed: int = CHANNEL_TRUTH_SEED + 1
) -> list[dict]:
    """The baseline that ignores the wells: the same ``n`` fresh real maps (the object model
    itself) scored against every hidden truth as if they were its conditional ensemble.
    Rows as :func:`channels_condition_rows` writes them, method ``no wells (real maps)``."""
    from ..facies import make_channels, spread_wells

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


def _pooled_ece(rows: list[dict]) -> float:
    pooled = pooled_reliability(rows)
    filled = pooled["count"] > 0
    weights = pooled["count"][filled] / pooled["count"].sum()
    return float(np.sum(weights * np.abs(pooled["predicted"][filled] - pooled["observed"][filled])))


def channels_condition_summary(results: dict) -> list[dict]:
    """Per method and number of wells: mean honoured share, mean ECE, pooled ECE, mean
    coverage, connection Brier score, and median seconds per ensemble."""
    columns = {
        "truths": len,
        "honoured": mean("honoured"),
        "ECE (mean)": mean("ece"),
        "ECE (pooled)": _pooled_ece,
        "coverage": mean("coverage"),
        "resolution": mean(resolution),
        "connection Brier": mean("connection Brier"),
        "seconds (median)": median("seconds"),
    }
    return summarise(results["rows"], ("method", "k"), columns, {"k": "wells"})


def pcn_diagnostics_summary(results: dict) -> list[dict]:
    """Per number of wells, how the pCN chains of a conditioning table moved and mixed:
    the median and range over truths of the acceptance rate, the median (and for Phi the
    largest) R-hat, and the median ESS, of Phi and of the sand share (:func:`chain_diagnostics`)."""
    rows = [r for r in results["rows"] if r["method"] == "gan-pcn"]
    if not rows or "R-hat (Phi)" not in rows[0]:
        raise ValueError("the table has no pCN rows with chain diagnostics (made before they were stored)")
    columns = {
        "truths": len,
        "acceptance (median)": median("acceptance"),
        "acceptance (min)": lambda sel: min(r["acceptance"] for r in sel),
        "acceptance (max)": lambda sel: max(r["acceptance"] for r in sel),
        "R-hat Phi (median)": median("R-hat (Phi)"),
        "R-hat Phi (max)": lambda sel: max(r["R-hat (Phi)"] for r in sel),
        "R-hat sand (median)": median("R-hat (sand)"),
        "ESS Phi (median)": median("ESS (Phi)"),
        "ESS sand (median)": median("ESS (sand)"),
    }
    return summarise(rows, "k", columns, {"k": "wells"})


__all__ = [
    "CHANNEL_RECIPES",
    "CHANNEL_CONDITION_METHODS",
    "CHANNEL_TRUTH_SEED",
    "RUN_DIR",
    "TRAIN_COMMAND",
    "PCN_BETA",
    "PCN_STEPS",
    "WELL_SIGMA",
    "chain_diagnostics",
    "channels_condition_rows",
    "channels_condition_summary",
    "channels_row",
    "channels_summary",
    "channels_condition_table_rows",
    "condition_channels",
    "ensemble_scores",
    "fit_channels_tg",
    "hidden_channel_truths",
    "load_channels_run",
    "load_results",
    "no_wells_rows",
    "pcn_diagnostics_summary",
    "pooled_reliability",
    "print_condition_summary",
    "resolution",
    "sand_share",
    "run_channels_bench",
    "run_channels_condition_bench",
]
