"""glass-sym bench: the baselines ship with the package, the plain SymPy baseline computes the same tilde Lambda
as the engine, and the summary table reports figure, goal and baseline ratio.

The timed commands themselves (minutes) are not run here: formatting, summary rows and the JSON output are
tested on fake results and fake target modules; the error paths with real, quickly failing processes.  The
``tests`` target is never run for real here (it would start this suite again): its parsing and formatting are
tested with fakes, its child with a fake runner.
"""

import argparse
import importlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import types

import pytest
import sympy as sp

import glass_sym
from glass_sym.cli.bench import NEEDS_BASELINE, TARGETS
from glass_sym.cli.commands.bench import summary_table
from glass_sym.errors import BenchError

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_baselines_are_modules_of_the_package():
    root = pathlib.Path(glass_sym.__file__).resolve().parent
    for name in ("glass_sym.cli.bench.baseline_sympy", "glass_sym.cli.bench.einsum_baseline"):
        mod = importlib.import_module(name)
        assert pathlib.Path(mod.__file__).resolve().parent == root / "cli" / "bench"
    from glass_sym.cli.bench.kernel_speed import load_baseline

    assert load_baseline().__name__ == "glass_sym.cli.bench.einsum_baseline"


def test_every_target_has_the_bench_protocol():
    for module in TARGETS.values():
        mod = importlib.import_module(module)
        assert callable(mod.run) and callable(mod.format) and callable(mod.summary)


def test_baseline_script_uses_no_glass_sym_code():
    src = (pathlib.Path(glass_sym.__file__).parent / "cli" / "bench" / "baseline_sympy.py").read_text()
    imports = [line for line in src.splitlines() if line.lstrip().startswith(("import ", "from "))]
    assert imports and not any("glass_sym" in line or line.lstrip().startswith("from .") for line in imports)


def test_sympy_baseline_matches_the_registered_tilde_lambda():
    """The baseline's tilde Lambda (mode sum + Fourier pairs, plain SymPy) equals the registered (A.18) form
    component by component, modulo |n| = 1 (both multiplied out with n3^2 = 1 - n1^2 - n2^2)."""
    from glass_sym.cli.bench import baseline_sympy
    from glass_sym.records.derivation import get
    from glass_sym.symbols import N, alpha

    res = baseline_sympy.run(simplify=False, keep=True)
    assert res["ok"]
    n, a = res["symbols"]["n"], res["symbols"]["alpha"]
    reg = get("lambda_tilde").value.to_tensor()
    to_reg = {n[0]: N[0], n[1]: N[1], n[2]: N[2], a: alpha}

    def reduce(e):  # remainder modulo n3^2 - (1 - n1^2 - n2^2)
        e = sp.expand(e)
        return sp.expand(sp.Poly(e, N[2]).rem(sp.Poly(N[2] ** 2 - 1 + N[0] ** 2 + N[1] ** 2, N[2])).as_expr())

    for idx, comp in res["lambda_tilde"].items():
        assert reduce(comp.xreplace(to_reg) - reg[idx]) == 0, idx


def test_summary_table_has_figure_goal_and_ratio():
    rows = [{"target": "derive all, cold (new process)", "seconds": 4.0, "goal_s": 5.0},
            {"target": "lattice", "seconds": 2.0, "goal_s": 1.5}]
    text = summary_table(rows, baseline_s=8.0)
    lines = text.splitlines()
    assert "4.000s" in lines[1] and "5.00s" in lines[1] and "yes" in lines[1] and "0.500x" in lines[1]
    assert "NO" in lines[2] and "0.250x" in lines[2]
    assert "8.00 s" in lines[-1]


def test_command_targets_report_cold_and_warm_against_their_goals():
    """audit and reproduce are timed as whole commands; their rows carry the issue-14 goals (8/2 s, 12/4 s)."""
    from glass_sym.cli.bench import audit_command as audit, reproduce_command as reproduce

    fake = {"command": "glass-sym audit --json", "repeat": 1, "cold_s": [9.0], "warm_s": [3.0],
            "cold_median_s": 9.0, "warm_median_s": 3.0, "cold_target_s": 8.0, "warm_target_s": 2.0, "cpus": 2,
            "jobs": 2, "cold_one_process_s": 12.5}
    rows = audit.summary(fake)
    assert [(r["seconds"], r["goal_s"]) for r in rows] == [(9.0, 8.0), (3.0, 2.0), (12.5, None)]
    assert "GLASS_SYM_JOBS=1" in rows[2]["target"]  # the serial figure is shown, never judged against a goal
    text = audit.format(fake)
    assert "target 8.0 s" in text and "target 2.0 s" in text and "2 jobs" in text and "12.500 s" in text
    from glass_sym.cli.bench.commands import GOALS

    assert GOALS["audit"][1:] == (8.0, 2.0) and GOALS["reproduce"][1:] == (12.0, 4.0)
    assert "audit" in TARGETS and "reproduce" in TARGETS and reproduce.run.__module__ == "glass_sym.cli.bench.reproduce_command"


# ------------------------------------------------------------------------------------------ summary table
def _columns(header: str) -> dict:
    """Right edge of each header column (the figure, goal, met and ratio columns are right-aligned)."""
    return {name: header.index(name) + len(name) for name in ("figure", "goal", "met", "/baseline")}


def test_summary_table_prints_every_label_in_full_and_keeps_the_columns_aligned():
    long = "kernels: tilde Lambda at 1,000,000 points (einsum baseline 176x slower, goal >= 100x) and more"
    rows = [{"target": "derive all, cold, GLASS_SYM_JOBS=1 (no goal)", "seconds": 5.37, "goal_s": None},
            {"target": long, "seconds": 0.028, "goal_s": 1.0},
            {"target": "rg", "seconds": 12.5, "goal_s": 10.0}]
    lines = summary_table(rows, baseline_s=5.0).splitlines()
    assert lines[1].startswith("derive all, cold, GLASS_SYM_JOBS=1 (no goal) ")
    assert lines[2].startswith(long + " ")  # not cut at 62 characters
    col = _columns(lines[0])
    assert col["figure"] == len(long) + 1 + 9  # the target column is exactly as wide as the longest label
    for line, fig, goal, met, ratio in ((lines[1], "5.370s", None, None, "1.074x"),
                                        (lines[2], "0.028s", "1.00s", "yes", "0.006x"),
                                        (lines[3], "12.500s", "10.00s", "NO", "2.500x")):
        assert line.index(fig) + len(fig) == col["figure"], line
        if goal:
            assert line.index(goal) + len(goal) == col["goal"] and line.index(f" {met}") + len(met) + 1 == col["met"]
        assert line.index(ratio) + len(ratio) == col["/baseline"], line


def _kernels_result(ratio=176.0, met=True):
    return {"points": 1_000_000, "ratio": ratio, "target_ratio": 100.0, "meets_target": met, "kernel_s": 0.028}


def test_kernels_row_prints_its_goal_as_text_and_no_baseline_ratio():
    from glass_sym.cli.bench import kernel_speed

    rows = kernel_speed.summary(_kernels_result())
    assert rows[0]["goal_text"] == ">= 100x einsum" and rows[0]["ratio"] is False and rows[0]["met"] is True
    assert "176x einsum" in rows[0]["target"]
    rows += [{"target": "rg sweep", "seconds": 2.0, "goal_s": 10.0}]
    lines = summary_table(rows, baseline_s=5.0).splitlines()
    col = _columns(lines[0])
    kern = lines[1]
    assert kern.index(">= 100x einsum") + len(">= 100x einsum") == col["goal"]
    assert kern.endswith(" yes") and kern.rstrip().index("yes") + 3 == col["met"]  # nothing in the ratio column
    assert "0.006x" not in kern and "x" not in kern[col["met"]:]
    assert lines[2].endswith("0.400x")  # other rows keep their ratio
    assert "NO" in summary_table(kernel_speed.summary(_kernels_result(50.0, False)), 5.0).splitlines()[1]
    assert "kernels" not in NEEDS_BASELINE  # its row needs no SymPy baseline


def _fake_target(name, rows, result=None):
    mod = types.ModuleType(name)
    mod.run = lambda args: dict(result or {"fake": name})
    mod.format = lambda res: f"{name} ran"
    mod.summary = lambda res: [dict(r) for r in rows]
    return mod


@pytest.fixture
def fake_targets(monkeypatch):
    """TARGETS replaced by fake modules: baseline (4 s), kernels (the real summary of a fake result), tests (not
    available), rg (2 s against 10 s)."""
    from glass_sym.cli.bench import kernel_speed, tests_command

    na = tests_command.summary(tests_command._not_available(tests_command.NO_CHECKOUT, None))
    mods = {"baseline": _fake_target("fake_baseline", [], {"seconds": 4.0}),
            "kernels": _fake_target("fake_kernels", kernel_speed.summary(_kernels_result())),
            "tests": _fake_target("fake_tests", na),
            "rg": _fake_target("fake_rg", [{"target": "rg sweep", "seconds": 2.0, "goal_s": 10.0}])}
    targets = {k: f"fake_bench_{k}" for k in mods}
    for k, mod in mods.items():
        monkeypatch.setitem(sys.modules, f"fake_bench_{k}", mod)
    monkeypatch.setattr("glass_sym.cli.commands.bench.TARGETS", targets)
    return targets


def test_json_summary_has_no_baseline_ratio_for_opted_out_and_unavailable_rows(fake_targets, capsys):
    from glass_sym.cli.commands import bench

    assert bench.run(argparse.Namespace(targets=["kernels", "tests", "rg"], json=True)) == 0
    out = json.loads(capsys.readouterr().out)
    by = {row["target"].split(":")[0].split(" (")[0]: row for row in out["summary"]}
    assert by["kernels"]["baseline_ratio"] is None and by["kernels"]["goal_text"] == ">= 100x einsum"
    assert by["README test command"]["baseline_ratio"] is None and by["README test command"]["seconds"] is None
    assert by["rg sweep"]["baseline_ratio"] == pytest.approx(0.5)


def test_text_summary_prints_n_a_for_a_target_without_figure(fake_targets, capsys):
    from glass_sym.cli.bench import tests_command
    from glass_sym.cli.commands import bench

    assert bench.run(argparse.Namespace(targets=["tests", "rg"], json=False)) == 0
    out = capsys.readouterr().out
    table = out[out.index("== summary"):].splitlines()
    row = next(line for line in table if line.startswith("README test command"))
    assert tests_command.NO_CHECKOUT in row
    col = _columns(table[1])
    assert row.index("n/a") + 3 == col["figure"] and row.rstrip().endswith("60.00s")  # no met, no ratio
    assert next(line for line in table if line.startswith("rg sweep")).endswith("0.500x")


# ------------------------------------------------------------------------------- one run is not a median
def _derive_result(cold, cached):
    import statistics

    return {"chain": "all", "repeat": len(cold), "cold_s": cold, "cached_s": cached,
            "cold_median_s": statistics.median(cold), "cached_median_s": statistics.median(cached),
            "cold_target_s": 5.0, "cached_target_s": 0.6, "cpus": 2, "jobs": 2, "cold_one_process_s": 5.37}


def test_a_single_run_is_printed_as_a_run_several_as_a_median():
    from glass_sym.cli.bench import audit_command, derive_command

    text = derive_command.format(_derive_result([3.712], [0.05, 0.06, 0.058]))
    cold = next(line for line in text.splitlines() if "cold (GLASS_SYM_NO_CACHE=1)" in line)
    assert "1 run 3.712 s" in cold and "median" not in cold and "runs" not in cold
    cached = next(line for line in text.splitlines() if "cached:" in line)
    assert "median 0.058 s" in cached and "runs [0.05, 0.06, 0.058]" in cached
    text = derive_command.format(_derive_result([3.6, 3.7, 3.9], [0.05]))
    assert "median 3.700 s  runs [3.6, 3.7, 3.9]" in text and "1 run 0.050 s" in text
    fake = {"command": "glass-sym audit --json", "repeat": 1, "cold_s": [9.0], "warm_s": [3.0, 2.0, 2.5],
            "cold_median_s": 9.0, "warm_median_s": 2.5, "cold_target_s": 8.0, "warm_target_s": 2.0, "cpus": 2,
            "jobs": 2, "cold_one_process_s": 12.5}
    lines = audit_command.format(fake).splitlines()
    assert "1 run 9.000 s" in lines[1] and "median" not in lines[1]
    assert "median 2.500 s" in lines[3]


# ------------------------------------------------------------------------------------------------ lattice
def _lattice_result():
    return {"n0": 128, "shape": "cube", "seconds": 0.3, "target_s": 1.0, "meets_target": True, "C_l": 1.0,
            "C_t": 2.0, "points_visited": 0, "backend": "numpy (generated kernel)", "ladder": {"cube_16": 0.001},
            "process_s": 0.85, "process_target_s": 1.5, "process_empty_cache_s": 2.4}


def test_lattice_whole_process_figures_say_which_cache():
    from glass_sym.cli.bench import lattice_sum

    text = lattice_sum.format(_lattice_result())
    warm = next(line for line in text.splitlines() if "0.850 s" in line)
    assert "(warm derivation cache)" in warm and "target <= 1.5 s" in warm
    empty = next(line for line in text.splitlines() if "2.400 s" in line)
    assert "empty cache" in empty and "no goal" in empty
    rows = lattice_sum.summary(_lattice_result())
    assert [(r["seconds"], r["goal_s"]) for r in rows] == [(0.85, 1.5), (2.4, None), (0.3, 1.0)]
    assert "(warm derivation cache)" in rows[0]["target"].replace("new process, ", "")
    assert rows[1]["target"].endswith("empty cache (no goal)")


def test_lattice_empty_cache_run_uses_a_fresh_cache_directory(monkeypatch):
    """The first timed run sees an empty GLASS_SYM_CACHE_DIR; the warm runs the same directory, filled by it."""
    from glass_sym.cli.bench import lattice_sum

    calls = []

    def fake_time_child(cmd, env, repeat=1, *, quiet=False):
        d = env["GLASS_SYM_CACHE_DIR"]
        calls.append((d, os.listdir(d), repeat, "GLASS_SYM_NO_CACHE" in env))
        pathlib.Path(d, "filled").write_text("x")  # what the first run leaves behind
        return [2.5] if len(calls) == 1 else [0.9, 0.8, 1.0][:repeat]

    monkeypatch.setenv("GLASS_SYM_NO_CACHE", "1")
    monkeypatch.setattr(lattice_sum, "time_child", fake_time_child)
    assert lattice_sum.process_timings(128, "sphere") == (0.8, 2.5)
    assert calls[0][1] == [] and calls[0][2] == 1 and calls[1][1] == ["filled"] and calls[1][2] == 3
    assert calls[0][0] == calls[1][0] != os.environ.get("GLASS_SYM_CACHE_DIR")
    assert not any(c[3] for c in calls)  # the cache is on in both


# ---------------------------------------------------------------------------------- failing children, jobs
def test_malformed_jobs_is_refused_before_anything_is_timed(monkeypatch, capsys):
    from glass_sym.cli import main as cli_main
    from glass_sym.cli.bench import derive_command

    monkeypatch.setenv("GLASS_SYM_JOBS", "abc")
    monkeypatch.setattr(derive_command, "run", lambda *a, **k: pytest.fail("derive was timed"))
    assert cli_main.main(["bench", "derive"]) == 2
    err = capsys.readouterr().err
    assert err == "glass-sym bench: error: GLASS_SYM_JOBS must be a whole number >= 1 written in digits 0-9 (1 = no worker process), not 'abc'\n"


def test_malformed_jobs_in_a_real_process_is_one_line():
    env = dict(os.environ, GLASS_SYM_JOBS="abc")
    p = subprocess.run([sys.executable, "-m", "glass_sym", "bench", "derive"], capture_output=True, text=True,
                       env=env, timeout=120)
    assert p.returncode == 2 and p.stdout == "" and "Traceback" not in p.stderr
    assert p.stderr.splitlines() == ["glass-sym bench: error: GLASS_SYM_JOBS must be a whole number >= 1 "
                                     "written in digits 0-9 (1 = no worker process), not 'abc'"]


def test_a_failing_timed_command_is_a_one_line_bench_error():
    """A real failing child (``glass-sym derive`` of an unknown chain): the error names the command as typed,
    the environment it was given and its exit status, with the child's own error line."""
    from glass_sym.cli.bench import derive_command
    from glass_sym.cli.bench.process import time_child

    with pytest.raises(BenchError) as exc:
        derive_command.run(chain="no-such-chain")
    msg = str(exc.value)
    assert "\n" not in msg
    assert msg.startswith("the timed command `GLASS_SYM_NO_CACHE=1 glass-sym derive no-such-chain` failed with "
                          "exit status 2: glass-sym derive: error: unknown derivation 'no-such-chain'")
    code = "import sys; print('partial'); print('boom', file=sys.stderr); sys.exit(3)"
    with pytest.raises(BenchError, match=r"`python -c .*` failed with exit status 3: boom$"):
        time_child([sys.executable, "-c", code], dict(os.environ), quiet=True)


def test_a_failing_target_ends_the_bench_command_with_one_line(monkeypatch, capsys):
    from glass_sym.cli import main as cli_main
    from glass_sym.cli.bench import derive_command

    def failing(*a, **k):
        raise BenchError("the timed command `glass-sym derive all` failed with exit status 1")

    monkeypatch.setattr(derive_command, "run", failing)
    assert cli_main.main(["bench", "derive"]) == 2
    assert capsys.readouterr().err == ("glass-sym bench: error: the timed command `glass-sym derive all` failed "
                                       "with exit status 1\n")


# -------------------------------------------------------------------------------------------- tests target
PYTEST_OUT = """........................................................................ [ 99%]
....                                                                     [100%]
1065 passed, 3 skipped, 2 warnings in 56.12s
"""


def test_parse_summary_reads_pytests_last_line():
    from glass_sym.cli.bench.tests_command import parse_summary

    res = parse_summary(PYTEST_OUT)
    assert (res["passed"], res["failed"], res["errors"], res["skipped"], res["warnings"]) == (1065, 0, 0, 3, 2)
    assert res["pytest_s"] == 56.12 and res["line"] == "1065 passed, 3 skipped, 2 warnings in 56.12s"
    res = parse_summary("x\n==== 2 failed, 1063 passed, 1 error in 58.00s (0:00:58) ====\n")
    assert (res["passed"], res["failed"], res["errors"], res["skipped"]) == (1063, 2, 1, 0)
    assert res["line"] == "2 failed, 1063 passed, 1 error in 58.00s (0:00:58)"
    with pytest.raises(BenchError, match="no pytest summary line"):
        parse_summary("collected nothing\n")


def test_checkout_root_needs_pyproject_and_tests(tmp_path):
    from glass_sym.cli.bench.tests_command import checkout_root

    (tmp_path / "glass_sym").mkdir()
    assert checkout_root(tmp_path / "glass_sym") is None
    (tmp_path / "pyproject.toml").write_text("")
    assert checkout_root(tmp_path / "glass_sym") is None  # an installed layout may carry pyproject, not tests/
    (tmp_path / "tests").mkdir()
    assert checkout_root(tmp_path / "glass_sym") == tmp_path
    assert checkout_root() == ROOT  # this checkout


def test_tests_target_without_checkout_has_no_figure(monkeypatch):
    from glass_sym.cli.bench import tests_command as tc

    monkeypatch.setattr(tc, "checkout_root", lambda: None)
    monkeypatch.setattr(tc, "run_child", lambda *a, **k: pytest.fail("the suite was started"))
    res = tc.run()
    assert res["available"] is False and res["seconds"] is None and res["note"] == tc.NO_CHECKOUT
    assert tc.format(res).splitlines()[1].strip() == "not available: no source checkout with tests/"
    [row] = tc.summary(res)
    assert row["seconds"] is None and row["goal_s"] == 60.0 and row["target"].endswith(tc.NO_CHECKOUT)
    json.dumps(res)


def test_tests_target_is_not_started_inside_pytest(monkeypatch):
    from glass_sym.cli.bench import tests_command as tc

    monkeypatch.setattr(tc, "run_child", lambda *a, **k: pytest.fail("the suite was started from within itself"))
    assert os.environ.get("PYTEST_CURRENT_TEST")
    res = tc.run()
    assert res["available"] is False and res["note"] == tc.IN_PYTEST and res["seconds"] is None


def test_tests_target_times_pytest_in_the_checkout_without_the_callers_cache_and_jobs(monkeypatch, tmp_path):
    from glass_sym.cli.bench import tests_command as tc

    seen = {}

    def fake_run_child(cmd, env, *, quiet=False, cwd=None, capture_stdout=False):
        seen.update(cmd=cmd, env=env, cwd=cwd, capture=capture_stdout)
        return PYTEST_OUT

    monkeypatch.setattr(tc, "checkout_root", lambda: tmp_path)
    monkeypatch.setattr(tc, "run_child", fake_run_child)
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    monkeypatch.setenv("GLASS_SYM_JOBS", "1")
    monkeypatch.setenv("GLASS_SYM_NO_CACHE", "1")
    monkeypatch.setenv("SOMETHING_ELSE", "kept")
    res = tc.run()
    assert seen["cmd"] == [sys.executable, "-m", "pytest", "-q"] and seen["cwd"] == str(tmp_path) and seen["capture"]
    assert not {"GLASS_SYM_CACHE_DIR", "GLASS_SYM_JOBS", "GLASS_SYM_NO_CACHE"} & set(seen["env"])
    assert seen["env"]["SOMETHING_ELSE"] == "kept"
    assert res["available"] and res["passed"] == 1065 and res["failed"] == 0 and res["goal_s"] == 60.0
    assert res["meets_target"] is (res["seconds"] <= 60.0)
    text = tc.format(res)
    assert "1065 passed, 0 failed" in text and "target 60.0 s" in text and "1 run" in text
    [row] = tc.summary(res)
    assert row["seconds"] == res["seconds"] and row["goal_s"] == 60.0 and row["ratio"] is False
    assert "1065 passed, 0 failed" in row["target"]
    res = dict(res, seconds=61.0, meets_target=False)
    assert "NOT met" in tc.format(res)


def test_tests_target_from_an_installed_package(tmp_path):
    """``glass-sym bench tests`` from a copy of the package without the checkout around it (as pip installs it,
    with pyproject.toml beside it but no tests/): no figure, the note, exit 0; the suite is not started."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "glass_sym", tmp_path / "glass_sym", ignore=ignore)
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    p = subprocess.run([sys.executable, "-m", "glass_sym", "bench", "tests", "--json"], cwd=tmp_path,
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    res = json.loads(p.stdout)
    assert res["available"] is False and res["seconds"] is None
    assert res["note"] == "not available: no source checkout with tests/"
    assert "tests" in TARGETS and TARGETS["tests"] == "glass_sym.cli.bench.tests_command"


def test_a_failing_test_run_is_a_bench_error_with_pytests_last_line(monkeypatch, tmp_path):
    """A test run that exits non-zero (here a stand-in script printing pytest's summary on stdout and a warning on
    stderr, in a fake checkout) ends the target with one line: the command, its exit status, pytest's last line."""
    from glass_sym.cli.bench import tests_command as tc

    code = ("import sys; print('F.', flush=True); print('some warning', file=sys.stderr); "
            "print('2 failed, 1063 passed in 58.00s'); sys.exit(1)")
    monkeypatch.setattr(tc, "checkout_root", lambda: tmp_path)
    monkeypatch.setattr(tc, "command", lambda: [sys.executable, "-c", code])
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    with pytest.raises(BenchError) as exc:
        tc.run()
    assert str(exc.value).startswith("the timed command `python -c ")
    assert str(exc.value).endswith("` failed with exit status 1: 2 failed, 1063 passed in 58.00s")


def test_targets_run_in_a_private_cache_and_each_once(fake_targets, capsys, monkeypatch, tmp_path):
    """In-process targets (rg, lattice) build derivations: during the bench the cache is a private temporary
    directory (the user's GLASS_SYM_CACHE_DIR / GLASS_SYM_NO_CACHE are restored afterwards); a target named
    twice runs once; --json rows say whether each goal is met."""
    import glass_sym.cli.commands.bench as bench

    seen = []
    mod = sys.modules[fake_targets["rg"]]
    mod.run = lambda args: seen.append((os.environ.get("GLASS_SYM_CACHE_DIR"), os.environ.get("GLASS_SYM_NO_CACHE"))) \
        or {"fake": "rg"}
    user = str(tmp_path / "user-cache")
    monkeypatch.setenv("GLASS_SYM_CACHE_DIR", user)
    monkeypatch.setenv("GLASS_SYM_NO_CACHE", "1")
    assert bench.run(argparse.Namespace(targets=["rg", "rg", "tests"], json=True)) == 0
    assert len(seen) == 1 and seen[0][0] != user and "glass-sym-bench-" in seen[0][0] and seen[0][1] is None
    assert not os.path.exists(seen[0][0])  # removed afterwards
    assert os.environ["GLASS_SYM_CACHE_DIR"] == user and os.environ["GLASS_SYM_NO_CACHE"] == "1"
    out = json.loads(capsys.readouterr().out)
    assert [(r["target"].split(" (")[0], r["met"]) for r in out["summary"]] == [("rg sweep", True),
                                                                              ("README test command", None)]
