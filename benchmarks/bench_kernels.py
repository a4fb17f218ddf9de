"""Benchmark: generated tilde Lambda kernel vs a straightforward numpy.einsum implementation vs SymPy.

The einsum baseline lives in :mod:`glass_sym.cli.bench.einsum_baseline` (shipped with the package).

Usage: python benchmarks/bench_kernels.py [--points N] [--sample S] [--json]
(same as ``glass-sym bench kernels [--json]``, which calls :func:`glass_sym.cli.bench.kernel_speed.run`).
"""

from __future__ import annotations

import argparse
import json
import sys

from glass_sym.cli.bench.einsum_baseline import einsum_tilde_lambda, einsum_tilde_lambda_components  # noqa: F401

__all__ = ["einsum_tilde_lambda", "einsum_tilde_lambda_components", "main"]


def main(argv=None) -> int:
    from glass_sym.cli.bench import kernel_speed as bench

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--points", type=int, default=1_000_000)
    p.add_argument("--sample", type=int, default=100, help="points evaluated with SymPy")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    result = bench.run(args)
    print(json.dumps(result, indent=2) if args.json else bench.format(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
