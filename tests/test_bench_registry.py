"""The table registry (gan_utils.bench.registry): ``python -m gan_utils bench``'s table
names, help and dispatch come from it, so a table registered in a test alone can be run
from the command line. In-process (``cli.main``); nothing here trains."""

import inspect
import re
from dataclasses import replace

import pytest

from gan_utils import cli
from gan_utils.bench import BENCHES, DEFAULT_BENCH, OPTIONS, Bench, get_bench, register_bench


def run_cli(capsys, *args):
    """``main(args)``: (exit status, stdout, stderr); argparse's exits count too."""
    try:
        code = cli.main([str(a) for a in args])
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def one_line_error(err):
    lines = [line for line in err.splitlines() if line.strip()]
    return len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err


def listed_tables(help_text: str) -> list[str]:
    """The table names ``bench --help`` lists, in its order (after "tables ...:")."""
    listing = help_text.split("\ntables ", 1)[1].splitlines()[1:]
    return [m.group(1) for line in listing if (m := re.match(r"  (\S+)  ", line))]


@pytest.fixture
def toy():
    """A table registered for one test, and removed after it."""
    calls = []
    bench = register_bench(
        Bench("toy-table", lambda options, out: calls.append((options, out)), ("seeds",), "a toy table")
    )
    yield bench, calls
    BENCHES.pop("toy-table")


def test_help_lists_every_registered_table_with_its_help_and_options(capsys):
    code, out, _ = run_cli(capsys, "bench", "--help")
    assert code == 0
    assert listed_tables(out) == list(BENCHES)
    flat = re.sub(r"(?<=\w-) ", "", " ".join(out.split()))  # the help is wrapped, also at hyphens
    for bench in BENCHES.values():
        takes = " ".join(OPTIONS[n].flag for n in bench.options)
        assert " ".join(bench.help.split()) + (f" [{takes}]" if takes else "") in flat, bench.name
    for option in OPTIONS.values():  # each option names the tables that take it
        users = [b.name for b in BENCHES.values() if option.name in b.options]
        assert option.flag in out and ", ".join(users) in flat, option.name


def test_the_built_in_tables():
    from gan_utils.bench.experiments import ABLATIONS

    assert DEFAULT_BENCH in BENCHES and set(ABLATIONS) <= set(BENCHES)
    assert len(BENCHES) == 15  # 13, and chapter 6's two which-model tables
    assert not BENCHES[DEFAULT_BENCH].stored and all(
        b.stored for b in BENCHES.values() if b.name != DEFAULT_BENCH
    )


def test_the_bench_command_keeps_no_list_of_its_own():
    source = "".join(
        inspect.getsource(f) for f in (cli._add_bench, cli._bench_epilog, cli._bench_out, cli.cmd_bench)
    )
    for name in BENCHES:
        assert f'"{name}"' not in source and f"'{name}'" not in source, name
    for name in OPTIONS:
        assert f'"{name}"' not in source and f'"--{name.replace("_", "-")}"' not in source, name


def test_unknown_table_one_line_error(capsys):
    code, _, err = run_cli(capsys, "bench", "no-such-table")
    assert code == 2 and one_line_error(err) and "unknown bench table 'no-such-table'" in err
    assert all(name in err for name in BENCHES)


def test_an_option_the_table_does_not_take_is_rejected_before_any_work(capsys, tmp_path, toy):
    _, calls = toy
    for args in (("--truths", "3"), ("--tests",), ("--no-book",)):
        code, _, err = run_cli(capsys, "bench", "toy-table", *args, "--out", tmp_path / "t.json")
        assert code == 2 and one_line_error(err) and args[0] in err and "--seeds" in err, args
    assert calls == []
    code, _, err = run_cli(capsys, "bench", "ablation-well-logs-fresh", "--seeds", "3")
    assert code == 2 and one_line_error(err) and "does not take --seeds" in err and "none" in err


def test_a_table_registered_in_a_test_is_listed_and_runs(capsys, tmp_path, toy):
    bench, calls = toy
    code, out, _ = run_cli(capsys, "bench", "--help")
    assert code == 0 and listed_tables(out)[-1] == "toy-table" and "a toy table [--seeds]" in out
    assert get_bench("toy-table") is bench
    code, _, err = run_cli(capsys, "bench", "toy-table", "--seeds", "3", "--out", tmp_path / "t.json")
    assert code == 0, err
    ((options, out_path),) = calls
    assert vars(options) == {"seeds": 3, "root": None} and out_path == tmp_path / "t.json"
    checkout = tmp_path / "repo"  # a stored table goes to the checkout's gan_utils/results
    (checkout / "book").mkdir(parents=True)
    (checkout / "gan_utils").mkdir()
    (checkout / "gan_utils" / "__init__.py").write_text("")
    code, _, err = run_cli(capsys, "bench", "toy-table", "--root", checkout)
    assert code == 0, err
    options, out_path = calls[-1]
    assert options.seeds == OPTIONS["seeds"].default and options.root == str(checkout)
    assert out_path == checkout / "gan_utils" / "results" / "toy-table.json"
    register_bench(replace(bench, stored=False), replace=True)  # printed only: no default file
    code, _, err = run_cli(capsys, "bench", "toy-table", "--root", checkout)
    assert code == 0 and calls[-1][1] is None


def test_registration_is_checked():
    def run(options, out):
        return None

    with pytest.raises(ValueError, match="already registered"):
        register_bench(Bench(DEFAULT_BENCH, run, (), "again"))
    with pytest.raises(ValueError, match="unknown option"):
        Bench("x", run, ("steps",), "an option nobody defines")
    with pytest.raises(ValueError, match="one line"):
        Bench("x", run, (), "two\nlines")
    with pytest.raises(ValueError, match="one line"):
        Bench("x", run, (), "")
    with pytest.raises(ValueError, match="callable"):
        Bench("x", "run", (), "not a function")
    with pytest.raises(ValueError, match="name"):
        Bench("--x", run, (), "an option, not a name")


# which function each built-in table calls, and with which arguments (options at their defaults)
WIRING = {
    "foundation": ("foundation", "run_bench", {"seeds": 5, "notebooks": True, "book": True, "tests": False}),
    "crossplot": ("experiments", "run_crossplot_bench", {"seeds": 5}),
    "well-logs": ("experiments", "run_well_log_bench", {"seeds": 5}),
    "condition": ("experiments", "run_condition_bench", {"truths": 20}),
    "condition-spread": ("experiments", "condition_spread", {"priors": 5}),
    "condition-misspecified": ("experiments", "condition_misspecified", {"truths": 20}),
    "ablation-crossplot": ("experiments", "run_ablation", {"which": "ablation-crossplot", "seeds": 5}),
    "ablation-well-logs": ("experiments", "run_ablation", {"which": "ablation-well-logs", "seeds": 5}),
    "channels": ("channels", "run_channels_bench", {"seeds": 5}),
    "channels-condition": ("channels", "run_channels_condition_bench", {"truths": 20}),
    "channels-gansim": ("gansim", "run_gansim_bench", {"truths": 20}),
    "real-pass": ("real_pass", "run_real_pass", {"sets": 200}),
    "ablation-well-logs-fresh": ("experiments", "run_fresh_seeds", {"which": "ablation-well-logs"}),
}


@pytest.mark.parametrize("name", list(WIRING))
def test_each_built_in_table_calls_its_function(name, monkeypatch, tmp_path):
    import importlib

    module, function, expected = WIRING[name]
    target = importlib.import_module(f"gan_utils.bench.{module}")
    original, called = getattr(target, function), {}

    def fake(*args, **kwargs):
        called.update(inspect.signature(original).bind(*args, **kwargs).arguments)

    monkeypatch.setattr(target, function, fake)
    bench = get_bench(name)
    out = tmp_path / "x.json"
    bench.run(bench.take({}, root=tmp_path), out)
    assert called.pop("out") == out and called.pop("root", tmp_path) == tmp_path
    assert called == expected


def test_condition_spread_needs_two_priors(capsys, tmp_path):
    code, _, err = run_cli(capsys, "bench", "condition-spread", "--priors", "1", "--out", tmp_path / "s.json")
    assert code == 2 and one_line_error(err) and "at least 2" in err
