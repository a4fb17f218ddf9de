"""``glass-sym bench [TARGET ...] [--json]``: run the benchmarks registered in :mod:`glass_sym.cli.bench`."""

from __future__ import annotations

import importlib
import json

from glass_sym.cli.bench import NEEDS_BASELINE, TARGETS
from glass_sym.errors import InputError

HELP = "run benchmarks (baseline, derive, lattice, kernels, rg, audit, reproduce) and print their figures"


def add_arguments(p) -> None:
    p.add_argument("targets", nargs="*", metavar="TARGET", help="benchmarks to run (default: all)")
    p.add_argument("--json", action="store_true", help="print the results as JSON")


def summary_table(rows: list[dict], baseline_s: float | None) -> str:
    """The table ``glass-sym bench`` prints last: target, figure, goal, met, ratio to the SymPy baseline."""
    lines = [f"{'target':<62} {'figure':>9} {'goal':>8} {'met':>4} {'/baseline':>9}"]
    for row in rows:
        goal = row.get("goal_s")
        met = row.get("met", None if goal is None else row["seconds"] <= goal)
        ratio = "" if not baseline_s else f"{row['seconds'] / baseline_s:8.3f}x"
        lines.append(f"{row['target'][:62]:<62} {row['seconds']:8.3f}s {'' if goal is None else f'{goal:7.2f}s':>8} "
                     f"{'' if met is None else ('yes' if met else 'NO'):>4} {ratio:>9}")
    if baseline_s:
        lines.append(f"baseline: plain SymPy script (glass_sym/cli/bench/baseline_sympy.py), {baseline_s:.2f} s per process")
    return "\n".join(lines)


def run(args) -> int:
    targets = args.targets or list(TARGETS)
    bad = [t for t in targets if t not in TARGETS]
    if bad:
        raise InputError(f"unknown benchmark {bad[0]!r}; expected one of: {', '.join(TARGETS)}")
    order = list(targets)
    if "baseline" not in order and any(t in NEEDS_BASELINE for t in order) and len(order) > 1:
        order.insert(0, "baseline")
    results, rows = {}, []
    for t in order:
        mod = importlib.import_module(TARGETS[t])
        results[t] = mod.run(args)
        if not args.json:
            print(f"== {t}", flush=True)
            print(mod.format(results[t]), flush=True)
        if hasattr(mod, "summary") and t != "baseline":
            rows += mod.summary(results[t])
    baseline_s = results["baseline"]["seconds"] if "baseline" in results else None
    if args.json:
        if len(targets) == 1:
            print(json.dumps(results[targets[0]], indent=1, sort_keys=True))
        else:
            for row in rows:
                row["baseline_ratio"] = row["seconds"] / baseline_s if baseline_s else None
            print(json.dumps({**results, "summary": rows}, indent=1, sort_keys=True))
        return 0
    if rows and len(order) > 1:
        print("== summary")
        print(summary_table(rows, baseline_s))
    return 0
