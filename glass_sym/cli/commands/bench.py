"""``glass-sym bench [TARGET ...] [--json]``: run the benchmarks registered in :mod:`glass_sym.cli.bench`."""

from __future__ import annotations

import importlib
import json
import os
import tempfile

from glass_sym import worker
from glass_sym.cli.bench import NEEDS_BASELINE, TARGETS
from glass_sym.errors import InputError
from glass_sym.records.cache import CACHE_DIR_ENV, NO_CACHE_ENV

HELP = "run benchmarks (baseline, derive, lattice, kernels, rg, audit, reproduce, tests) and print their figures"


def add_arguments(p) -> None:
    p.add_argument("targets", nargs="*", metavar="TARGET", help="benchmarks to run (default: all)")
    p.add_argument("--json", action="store_true", help="print the results as JSON")


def _goal_text(row: dict) -> str:
    """The goal column: ``goal_text`` if the row has one, else ``goal_s`` as seconds, else empty."""
    if row.get("goal_text"):
        return row["goal_text"]
    return "" if row.get("goal_s") is None else f"{row['goal_s']:.2f}s"


def _met(row: dict) -> bool | None:
    """``met`` if the row says, else figure <= ``goal_s``; None without a figure or a goal."""
    if "met" in row:
        return row["met"]
    if row.get("seconds") is None or row.get("goal_s") is None:
        return None
    return row["seconds"] <= row["goal_s"]


def baseline_ratio(row: dict, baseline_s: float | None) -> float | None:
    """The row's wall time divided by the SymPy baseline's wall time; None without a baseline, without a
    figure (``seconds`` None: target not available) or for a row that opts out (``"ratio": False``, e.g. the
    kernels row, judged against its own einsum baseline)."""
    if not baseline_s or row.get("seconds") is None or row.get("ratio", True) is False:
        return None
    return row["seconds"] / baseline_s


def summary_table(rows: list[dict], baseline_s: float | None) -> str:
    """The table ``glass-sym bench`` prints last, one line per row: the target label (in full: the column is as
    wide as the longest label), the figure in seconds (``n/a`` if the target had none), the goal (``goal_text``
    or ``goal_s`` in seconds), whether it is met, and the figure's ratio to the SymPy baseline's wall time
    (:func:`baseline_ratio`; empty where it does not apply)."""
    width = max([len("target"), *(len(row["target"]) for row in rows)])
    goals = [_goal_text(row) for row in rows]
    gw = max([len("goal"), *(len(g) for g in goals)])
    lines = [f"{'target':<{width}} {'figure':>9} {'goal':>{gw}} {'met':>4} {'/baseline':>9}"]
    for row, goal in zip(rows, goals):
        met = _met(row)
        ratio = baseline_ratio(row, baseline_s)
        fig = "n/a" if row.get("seconds") is None else f"{row['seconds']:8.3f}s"
        lines.append(f"{row['target']:<{width}} {fig:>9} {goal:>{gw}} "
                     f"{'' if met is None else ('yes' if met else 'NO'):>4} "
                     f"{'' if ratio is None else f'{ratio:8.3f}x':>9}".rstrip())
    if baseline_s:
        lines.append(f"baseline: plain SymPy script (glass_sym/cli/bench/baseline_sympy.py), {baseline_s:.2f} s per process")
    return "\n".join(lines)


def run(args) -> int:
    """Run the requested targets (default: all) and print their figures, then the summary table.

    Raises
    ------
    InputError
        an unknown target, or a malformed ``GLASS_SYM_JOBS`` (refused before anything is timed: the children
        would fail on it).
    BenchError
        a timed command fails (the message names it and its exit status).
    """
    worker.jobs()  # raises InputError for a malformed GLASS_SYM_JOBS
    targets = list(dict.fromkeys(args.targets or list(TARGETS)))  # each target once
    bad = [t for t in targets if t not in TARGETS]
    if bad:
        raise InputError(f"unknown benchmark {bad[0]!r}; expected one of: {', '.join(TARGETS)}")
    order = list(targets)
    if "baseline" not in order and any(t in NEEDS_BASELINE for t in order) and len(order) > 1:
        order.insert(0, "baseline")
    results, rows = {}, []
    # the in-process targets (rg, lattice) build or read derivations: in a private cache, never the user's
    with tempfile.TemporaryDirectory(prefix="glass-sym-bench-") as tmp:
        saved = {k: os.environ.get(k) for k in (CACHE_DIR_ENV, NO_CACHE_ENV)}
        os.environ[CACHE_DIR_ENV] = tmp
        os.environ.pop(NO_CACHE_ENV, None)
        try:
            for t in order:
                mod = importlib.import_module(TARGETS[t])
                results[t] = mod.run(args)
                if not args.json:
                    print(f"== {t}", flush=True)
                    print(mod.format(results[t]), flush=True)
                if hasattr(mod, "summary") and t != "baseline":
                    rows += mod.summary(results[t])
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    baseline_s = results["baseline"]["seconds"] if "baseline" in results else None
    if args.json:
        if len(targets) == 1:
            print(json.dumps(results[targets[0]], indent=1, sort_keys=True))
        else:
            for row in rows:
                row["baseline_ratio"] = baseline_ratio(row, baseline_s)
                row.setdefault("met", _met(row))
            print(json.dumps({**results, "summary": rows}, indent=1, sort_keys=True))
        return 0
    if rows and len(order) > 1:
        print("== summary")
        print(summary_table(rows, baseline_s))
    return 0
