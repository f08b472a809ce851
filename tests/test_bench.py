"""The stored benchmark tables are reproducible: one row re-trained here matches exactly."""

from gan_utils.bench import crossplot_row, crossplot_summary, load_results


def test_one_crossplot_row_reproduces_exactly():
    stored = load_results("crossplot")
    row = next(r for r in stored["rows"] if r["recipe"] == "crossplot-wgan" and r["seed"] == 0)
    fresh = crossplot_row("crossplot-wgan", 0)
    for key, value in row.items():
        if key != "seconds":  # wall time is the one thing that may differ
            assert fresh[key] == value, key


def test_crossplot_summary_counts_every_seed():
    stored = load_results("crossplot")
    summary = crossplot_summary(stored)
    assert {s["recipe"] for s in summary} == {r["recipe"] for r in stored["rows"]}
    for s in summary:
        assert s["seeds"] == stored["seeds"]
        assert 0 <= s["all ok"] <= s["masses ok"] <= s["seeds"]


def test_one_well_log_row_reproduces_exactly():
    from gan_utils.bench import well_log_row, well_log_summary

    stored = load_results("well-logs")
    row = next(r for r in stored["rows"] if r["recipe"] == "well-logs-lsgan" and r["seed"] == 0)
    fresh = well_log_row("well-logs-lsgan", 0)
    for key, value in row.items():
        if key != "seconds":
            assert fresh[key] == value, key
    summary = well_log_summary(stored)
    assert {s["recipe"] for s in summary} == {r["recipe"] for r in stored["rows"]}
    assert all(0 <= s["all"] <= s["seeds"] == stored["seeds"] for s in summary)


def test_one_condition_row_reproduces_exactly():
    """Chapter 4's table: the prior re-trained, one hidden well re-conditioned by every method."""
    from gan_utils.bench import condition_rows, condition_setup, condition_summary, hidden_truths

    stored = load_results("condition")
    result, variogram = condition_setup()
    assert {k: round(v, 6) for k, v in vars(variogram).items()} == stored["variogram"]
    fresh = condition_rows(result, variogram, hidden_truths(1)[0], 0, 6, stored["n"])
    for row in fresh:
        old = next(r for r in stored["rows"] if (r["truth"], r["k"], r["method"]) == (0, 6, row["method"]))
        assert {k: v for k, v in row.items() if k != "seconds"} == {
            k: v for k, v in old.items() if k != "seconds"
        }, row["method"]
    summary = condition_summary(stored)
    assert {(s["method"], s["observations"]) for s in summary} == {
        (r["method"], r["k"]) for r in stored["rows"]
    }
    assert all(s["truths"] == stored["truths"] >= 20 for s in summary)
