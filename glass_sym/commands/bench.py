"""``glass-sym bench [TARGET ...] [--json]``: run the benchmarks registered in :mod:`glass_sym.bench`."""

from __future__ import annotations

import importlib
import json

from ..errors import InputError

HELP = "run benchmarks (derive, kernels, lattice, rg) and print their figures"


def add_arguments(p) -> None:
    p.add_argument("targets", nargs="*", metavar="TARGET", help="benchmarks to run (default: all)")
    p.add_argument("--json", action="store_true", help="print the results as JSON")


def run(args) -> int:
    from ..bench import TARGETS

    targets = args.targets or list(TARGETS)
    bad = [t for t in targets if t not in TARGETS]
    if bad:
        raise InputError(f"unknown benchmark {bad[0]!r}; expected one of: {', '.join(TARGETS)}")
    results = {}
    for t in targets:
        mod = importlib.import_module(TARGETS[t])
        results[t] = mod.run(args)
        if not args.json:
            print(f"== {t}")
            print(mod.format(results[t]))
    if args.json:
        print(json.dumps(results[targets[0]] if len(targets) == 1 else results, indent=1, sort_keys=True))
    return 0
