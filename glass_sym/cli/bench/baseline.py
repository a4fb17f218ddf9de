"""``glass-sym bench baseline``: the plain SymPy baseline (:mod:`glass_sym.cli.bench.baseline_sympy`) in a new process.

Its wall time is the denominator of the "baseline ratio" that ``glass-sym bench`` prints for every target
(a ratio below 1 means the target, a whole ``glass-sym`` job, takes less time than the naive SymPy computation of
Lambda(q), tilde Lambda and the JL relations alone).

>>> "seconds" in KEYS
True
"""

from __future__ import annotations

import os
import sys
import time

from .process import run_child

__all__ = ["run", "format", "summary", "KEYS"]

KEYS = ("seconds", "ok", "output")


def run(args=None) -> dict:
    """Time ``python -m glass_sym.cli.bench.baseline_sympy`` as a whole process (interpreter start included).

    Raises
    ------
    BenchError
        the script fails (exit status non-zero): a failed baseline is no denominator.
    """
    t0 = time.perf_counter()
    out = run_child([sys.executable, "-m", "glass_sym.cli.bench.baseline_sympy"], dict(os.environ), quiet=True,
                    capture_stdout=True)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "ok": True, "output": out.strip()}


def format(result: dict) -> str:  # noqa: A001 - the bench protocol's name
    return f"{result['output']}\n  whole process: {result['seconds']:.2f} s"


def summary(result: dict) -> list[dict]:
    return [{"target": "baseline: plain SymPy Lambda(q), tilde Lambda, JL", "seconds": result["seconds"],
             "goal_s": None, "ratio": None}]
