"""The stored real-pass table: how often fresh real data pass every row of each chapter's
protocol (the ceiling on "every row on 10/10 seeds"). Its verdicts come from data and
tolerances alone (no training), so the tests recompute some of them exactly."""

import pytest
from scipy.stats import binom

from gan_utils.bench.experiments import load_results
from gan_utils.bench.real_pass import DATASETS, perfect_generator_odds, verdicts


@pytest.fixture(scope="module")
def table():
    return load_results("real-pass")["datasets"]


def test_table_covers_every_data_set_and_adds_up(table):
    assert set(table) == set(DATASETS)
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
