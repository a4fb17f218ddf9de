"""Benchmark of the RG sweep (same code as ``glass-sym bench rg``): python benchmarks/bench_rg.py [--json]."""

import json
import sys

from glass_sym.cli.bench import rg_grid as rg

if __name__ == "__main__":
    result = rg.run()
    print(json.dumps(result, indent=2) if "--json" in sys.argv[1:] else rg.format(result))
