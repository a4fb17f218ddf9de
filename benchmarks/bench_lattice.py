"""Benchmark: exact lattice sum T_abcd(N0, k = 0) for the cube, N0 = 128 (target < 1 s).

Usage: python benchmarks/bench_lattice.py [--n0 N] [--json]  (same as ``glass-sym bench lattice``).
"""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["main"]


def main(argv=None) -> int:
    from glass_sym.cli.bench import lattice_sum as bench

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n0", type=int, default=128)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    result = bench.run(args)
    print(json.dumps(result, indent=2) if args.json else bench.format(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
