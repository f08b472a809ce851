"""The runs stored with the package (gan_utils/results/<recipe>/), which chapters 4 and 5
load instead of training: each is its registered recipe from seed 0, loads with its
training data, and samples as its benchmark table's seed-0 row says (a forward pass, not
training: another CPU changes it only by rounding, well inside the seed-to-seed tolerance
the table tests use)."""

import dataclasses

import pytest

from gan_utils.bench.experiments import ROW_TOLERANCE_SDS, load_results, row_differences, seed_spread
from gan_utils.runs import STORED_RUNS_DIR, load_stored_run, stored_run_command

STORED = sorted(p.name for p in STORED_RUNS_DIR.iterdir() if (p / "run.json").is_file())


def test_every_stored_run_is_its_recipe_from_seed_0_with_its_command():
    assert {"well-logs-physics-gan", "crossplot-gan-r1", "channels-gan"} <= set(STORED)
    for name in STORED:
        run = load_stored_run(name, data=False)
        assert run.seed == 0 and run.recipe.name == name
        assert stored_run_command(name).endswith(f"--seed 0 --out gan_utils/results/{name}")
        weights = sum(p.stat().st_size for p in (STORED_RUNS_DIR / name).glob("*.pt"))
        assert weights < 2e6, (name, weights)


def _table_row(table: str, name: str) -> tuple[dict, dict]:
    stored = load_results(table)
    row = next(r for r in stored["rows"] if r["recipe"] == name and r["seed"] == 0)
    tolerance = {k: ROW_TOLERANCE_SDS * sd for k, sd in seed_spread(stored["rows"], name).items()}
    return row, tolerance


def test_the_stored_well_log_run_samples_as_its_table_row():
    from gan_utils.evaluation import N_LOGS, well_log_evaluation

    run = load_stored_run("well-logs-physics-gan")
    assert run.data.physical.shape == (run.recipe.n_real, 128)  # re-made from its random seed
    row, tolerance = _table_row("well-logs", run.recipe.name)
    fresh = {"recipe": row["recipe"], "seed": 0, "seconds": row["seconds"]}
    for r in well_log_evaluation(run.sample(N_LOGS, seed=1)):
        fresh[r["statistic"]] = float(r["value"])
        fresh[f"{r['statistic']} ok"] = bool(r["ok"])
    assert row_differences(fresh, row, tolerance) == []


def test_the_stored_crossplot_run_samples_as_its_table_row():
    from gan_utils.evaluation import N_EVAL, crossplot_evaluation

    run = load_stored_run("crossplot-gan-r1")
    row, tolerance = _table_row("crossplot", run.recipe.name)
    ev = crossplot_evaluation(run.sample(N_EVAL, seed=1))
    fresh = {"recipe": row["recipe"], "seed": 0, "seconds": row["seconds"], **ev}
    assert row_differences(fresh, row, tolerance) == []


def test_a_missing_or_outdated_stored_run_is_one_clear_line(monkeypatch):
    with pytest.raises(ValueError, match="no stored run of 'well-logs-lsgan'.*python -m gan_utils train"):
        load_stored_run("well-logs-lsgan")
    import gan_utils.recipes as R

    changed = dataclasses.replace(R.get_recipe("crossplot-gan-r1"), steps=2999)
    monkeypatch.setitem(R.RECIPES, "crossplot-gan-r1", changed)
    with pytest.raises(ValueError, match="another version of the recipe; re-make it"):
        load_stored_run("crossplot-gan-r1")
