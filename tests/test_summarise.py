"""One ``summarise`` and one protocol shape give the same summaries and verdicts as the
hand-written ones they replaced: every summary the chapters show from the stored tables
equals, column for column, a snapshot made by the code before the change
(tests/data/summaries-before.json), and the verdicts the data sets' protocols read from
stored rows are the ones the old code counted."""

import json
from pathlib import Path

import pytest

from gan_utils import metrics as M
from gan_utils.bench import channels as C
from gan_utils.bench import experiments as E
from gan_utils.data import get_dataset
from gan_utils.evaluation import crossplot_distance_limit

BEFORE = json.loads((Path(__file__).parent / "data" / "summaries-before.json").read_text())
L = E.load_results


def _now() -> dict:
    xp = L("crossplot")
    real_rows = [{**b, "recipe": "real", "seconds": 0.0} for b in xp["baseline"]]
    cond = L("channels-condition")
    gansim = [r for r in L("channels-gansim")["rows"] if r["truth"] < cond["truths"]]
    return {
        "crossplot_summary": E.crossplot_summary(xp),
        "crossplot_summary_real": E.crossplot_summary({"baseline": xp["baseline"], "rows": real_rows}),
        "crossplot_verdicts": [E.crossplot_verdicts(r, xp) for r in xp["rows"]],
        "crossplot_verdicts_ablation": [E.crossplot_verdicts(r, xp) for r in L("ablation-crossplot")["rows"]],
        "well_log_summary": E.well_log_summary(L("well-logs")),
        "well_log_summary_all": E.well_log_summary(L("well-logs"), "all"),
        "ablation_crossplot": E.ablation_summary(L("ablation-crossplot"), "ablation-crossplot"),
        "ablation_well_logs": E.ablation_summary(L("ablation-well-logs"), "ablation-well-logs"),
        "ablation_well_logs_fresh": E.ablation_summary(L("ablation-well-logs-fresh"), "ablation-well-logs"),
        "ablation_display_crossplot": E.ablation_display("ablation-crossplot"),
        "ablation_display_well_logs": E.ablation_display("ablation-well-logs"),
        "condition_summary": E.condition_summary(L("condition")),
        "condition_summary_misspecified": E.condition_summary(L("condition-misspecified")),
        "channels_summary": C.channels_summary(L("channels")),
        "channels_condition_summary": C.channels_condition_summary({**cond, "rows": cond["rows"] + gansim}),
        "pcn_diagnostics_summary": C.pcn_diagnostics_summary(cond),
    }


NOW = {}


@pytest.mark.parametrize("name", list(BEFORE))
def test_summary_is_unchanged(name):
    if not NOW:
        NOW.update(_now())
    # as JSON text: the same columns in the same order, the same numbers to the last digit
    assert json.dumps(NOW[name], indent=0) == json.dumps(BEFORE[name], indent=0)


def test_the_library_distance_limit_is_the_stored_tables():
    baseline = L("crossplot")["baseline"]
    assert crossplot_distance_limit() == M.distance_limit([b["energy distance"] for b in baseline])


def test_protocol_verdicts_of_stored_rows_are_the_old_ones():
    xp = L("crossplot")
    protocol = get_dataset("crossplot").protocol
    for row in xp["rows"] + L("ablation-crossplot")["rows"]:
        assert protocol.verdicts(row) == E.crossplot_verdicts(row, xp)
    wl = L("well-logs")
    real_nn = wl["reference"]["nearest-neighbour distance"]["real"]
    protocol = get_dataset("well-logs").protocol
    for row in wl["rows"]:
        v = protocol.verdicts(row)
        assert v["diverse"] == (row["nearest-neighbour distance"] >= 0.9 * real_nn)
        assert all(v[k] == row[f"{k} ok"] for k in wl["reference"])


def test_summarise_groups_in_order_of_first_appearance():
    rows = [
        {"m": m, "k": k, "x": x}
        for x, (k, m) in enumerate([(3, "b"), (3, "a"), (6, "b"), (6, "a"), (3, "b")])
    ]
    out = E.summarise(rows, ("m", "k"), {"n": len, "x": E.median("x")}, {"k": "obs"})
    assert out == [
        {"m": "b", "obs": 3, "n": 2, "x": 2.0},
        {"m": "b", "obs": 6, "n": 1, "x": 2.0},
        {"m": "a", "obs": 3, "n": 1, "x": 1.0},
        {"m": "a", "obs": 6, "n": 1, "x": 3.0},
    ]
