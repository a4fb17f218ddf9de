"""Benchmark: cold and cached ``glass-sym derive appendix-a`` in new processes (issue 2, item 9).

Run: ``python benchmarks/bench_derive.py [--json]``.
"""

import json
import sys

from glass_sym.cli.bench.derive_command import format, run

if __name__ == "__main__":
    res = run(repeat=5)
    print(json.dumps(res, indent=1) if "--json" in sys.argv else format(res))
