"""The stored real-pass table: how often fresh real data pass every row of each chapter's
protocol (the ceiling on "every row on 10/10 seeds"). Its verdicts come from data and
tolerances alone (no training), so the tests recompute some of them exactly."""

import pytest
from scipy.stats import binom

from gan_utils.bench.experiments import load_results
from gan_utils.bench.real_pass import perfect_generator_odds, protocol_datasets, score_sets, verdicts


@pytest.fixture(scope="module")
def table():
    return load_results("real-pass")["datasets"]


def test_table_covers_every_data_set_and_adds_up(table):
    assert list(table) == list(protocol_datasets())  # every registered protocol, in order
    for name, entry in table.items():
        assert entry["sets"] >= 100, name
        failed = entry["failed sets"]
        assert entry["all ok"] == entry["sets"] - len(failed)
        for row, count in entry["row fails"].items():
            assert count == sum(row in rows for rows in failed.values()), (name, row)
        assert all(rows for rows in failed.values())  # a failing set fails some row


@pytest.mark.parametrize("name", ["well-logs", "crossplot"])
def test_verdicts_are_reproduced(table, name):
    entry = table[name]
    first = entry["first seed"]
    seeds = [first, first + 1]
    if entry["failed sets"]:
        seeds.append(int(next(iter(entry["failed sets"]))))  # and one set that fails a row
    for seed in seeds:
        failing = [row for row, ok in verdicts(name, seed).items() if not ok]
        assert failing == entry["failed sets"].get(str(seed), []), (name, seed)


@pytest.mark.parametrize("name, sets", [("well-logs", 10), ("crossplot", 20), ("channels", 4)])
def test_a_remade_entry_is_identical_to_the_stored_one(table, name, sets):
    """The first ``sets`` real sets, scored again through the data set's registered
    protocol: exactly the stored fails (no tolerance needed: no training is involved)."""
    entry = table[name]
    fresh = score_sets(name, sets, entry["first seed"])
    stored_failed = {
        s: rows for s, rows in entry["failed sets"].items() if int(s) < entry["first seed"] + sets
    }
    assert fresh["failed sets"] == stored_failed
    assert fresh["all ok"] == sets - len(stored_failed)
    assert list(fresh["row fails"]) == list(entry["row fails"])  # the same rows, in order


def test_perfect_generator_odds():
    odds = perfect_generator_odds({"all ok": 95, "sets": 100})
    assert odds["p"] == 0.95
    assert odds["odds"] == pytest.approx(0.95**10)
    assert odds["p low"] < 0.95 < odds["p high"] <= 1
    assert odds["odds low"] < odds["odds"] < odds["odds high"]
    eight = perfect_generator_odds({"all ok": 90, "sets": 100}, seeds=10, need=8)
    assert eight["odds"] == pytest.approx(binom.sf(7, 10, 0.9))
    assert perfect_generator_odds({"all ok": 100, "sets": 100})["odds"] == 1.0


def test_unknown_data_set_is_one_line():
    with pytest.raises(ValueError, match="unknown data set 'logs'"):
        verdicts("logs", 0)
