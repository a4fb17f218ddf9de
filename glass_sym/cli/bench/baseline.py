"""``glass-sym bench baseline``: the plain SymPy baseline (:mod:`glass_sym.cli.bench.baseline_sympy`) in a new process.

Its wall time is the denominator of the "baseline ratio" that ``glass-sym bench`` prints for every target
(a ratio below 1 means the target, a whole ``glass-sym`` job, takes less time than the naive SymPy computation of
Lambda(q), tilde Lambda and the JL relations alone).

>>> "seconds" in KEYS
True
"""

from __future__ import annotations

import subprocess
import sys
import time

__all__ = ["run", "format", "summary", "KEYS"]

KEYS = ("seconds", "ok", "output")


def run(args=None) -> dict:
    """Time ``python -m glass_sym.cli.bench.baseline_sympy`` as a whole process (interpreter start included)."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "glass_sym.cli.bench.baseline_sympy"], capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "ok": proc.returncode == 0, "output": proc.stdout.strip()}


def format(result: dict) -> str:  # noqa: A001 - the bench protocol's name
    return f"{result['output']}\n  whole process: {result['seconds']:.2f} s"


def summary(result: dict) -> list[dict]:
    return [{"target": "baseline: plain SymPy Lambda(q), tilde Lambda, JL", "seconds": result["seconds"],
             "goal_s": None, "ratio": None}]
