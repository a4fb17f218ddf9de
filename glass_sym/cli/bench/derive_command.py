"""``glass-sym bench derive``: wall time of ``glass-sym derive all`` in a new process, cold and cached.

Cold: ``GLASS_SYM_NO_CACHE=1`` (SymPy import, every step of the four appendix chains built and checked).
Cached: a warm on-disk cache in a temporary cache directory.  The cold run uses a worker process on a 2-core
machine (:mod:`glass_sym.worker`); the same command in one process (``GLASS_SYM_JOBS=1``) is timed once too.
Targets: cold <= 5 s (issue 14), cached <= 0.6 s (issue 2) on the 2-core machine.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile

from glass_sym import worker

from .process import run_child, time_child

__all__ = ["run", "format", "summary", "figure"]

COLD_TARGET_S = 5.0
CACHED_TARGET_S = 0.6


def _time(cmd: list[str], env: dict, repeat: int, *, quiet: bool = False) -> list[float]:
    """Wall times (s) of ``repeat`` runs of ``cmd`` in new processes (stdout discarded; stderr too if quiet);
    a failing run raises :class:`~glass_sym.errors.BenchError` (:func:`glass_sym.cli.bench.process.time_child`)."""
    return time_child(cmd, env, repeat, quiet=quiet)


def figure(runs: list[float], median: float) -> str:
    """The printed figure of a list of wall times: ``1 run 3.712 s`` for one run, ``median 3.712 s  runs [...]``
    for several (a single run is not a median)."""
    if len(runs) == 1:
        return f"1 run {runs[0]:.3f} s"
    return f"median {median:.3f} s  runs {runs}"


def run(args=None, repeat: int = 1, chain: str = "all") -> dict:
    cmd = [sys.executable, "-m", "glass_sym", "derive", chain]
    with tempfile.TemporaryDirectory() as tmp:
        base = dict(os.environ, GLASS_SYM_CACHE_DIR=tmp)
        base.pop("GLASS_SYM_NO_CACHE", None)
        cold = _time(cmd, dict(base, GLASS_SYM_NO_CACHE="1"), repeat)
        one = _time(cmd, dict(base, GLASS_SYM_NO_CACHE="1", GLASS_SYM_JOBS="1"), 1)
        run_child(cmd, base)  # fill the cache
        warm = _time(cmd, base, max(repeat, 3))
    return {"chain": chain, "repeat": repeat, "cold_s": [round(x, 3) for x in cold],
            "cached_s": [round(x, 3) for x in warm], "cold_median_s": round(statistics.median(cold), 3),
            "cached_median_s": round(statistics.median(warm), 3), "cold_target_s": COLD_TARGET_S,
            "cached_target_s": CACHED_TARGET_S, "cpus": worker.usable_cores(), "jobs": worker.jobs(),
            "cold_one_process_s": round(one[0], 3)}


def one_process_line(res: dict) -> str:
    """The text line of the cold figure in one process (``GLASS_SYM_JOBS=1``, no goal)."""
    return f"  cold, one process (GLASS_SYM_JOBS=1): 1 run {res['cold_one_process_s']:.3f} s\n"


def one_process_row(command: str, res: dict) -> dict:
    """The summary row of the cold figure in one process (``GLASS_SYM_JOBS=1``, no goal)."""
    return {"target": f"{command}, cold, GLASS_SYM_JOBS=1 (no goal)", "seconds": res["cold_one_process_s"],
            "goal_s": None}


def format(res: dict) -> str:  # noqa: A001 - the bench protocol's name
    return (f"glass-sym derive {res['chain']} (new process, {res['cpus']} cpus, {res['jobs']} jobs)\n"
            f"  cold (GLASS_SYM_NO_CACHE=1): {figure(res['cold_s'], res['cold_median_s'])}  target {res['cold_target_s']} s\n"
            + one_process_line(res) +
            f"  cached:                     {figure(res['cached_s'], res['cached_median_s'])}  target {res['cached_target_s']} s")


def summary(res: dict) -> list[dict]:
    return [{"target": f"derive {res['chain']}, cold (new process)", "seconds": res["cold_median_s"],
             "goal_s": res["cold_target_s"]},
            {"target": f"derive {res['chain']}, cached (new process)", "seconds": res["cached_median_s"],
             "goal_s": res["cached_target_s"]},
            one_process_row(f"derive {res['chain']}", res)]
