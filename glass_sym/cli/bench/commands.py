"""``glass-sym bench audit`` and ``glass-sym bench reproduce``: wall time of whole commands in new processes.

Each is timed with no cache (``GLASS_SYM_NO_CACHE=1``) and with a warm on-disk cache in a temporary cache
directory (filled by one untimed run).  The cold run uses a worker process when the machine has two cores
(:mod:`glass_sym.worker`); the same command in one process (``GLASS_SYM_JOBS=1``) is timed once for comparison.
Goals (issue 14, 2-core machine): ``audit --json`` <= 8 s cold and <= 2 s warm; ``reproduce`` <= 12 s cold and
<= 4 s warm.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile

from glass_sym import worker

from .derive_command import _time, figure, one_process_line, one_process_row
from .process import run_child

__all__ = ["run_command", "format_command", "summary_command", "GOALS"]

#: command -> (arguments after ``glass-sym``, cold goal s, warm goal s)
GOALS = {
    "audit": (["audit", "--json"], 8.0, 2.0),
    "reproduce": (["reproduce", "-o", "{tmp}/report"], 12.0, 4.0),
}


def run_command(name: str, repeat: int = 1) -> dict:
    """Cold and warm wall times (s) of ``glass-sym <GOALS[name]>`` in new processes.

    Raises
    ------
    BenchError
        if a run of the command fails (a benchmark of a failing command means nothing); the message names the
        command and its exit status.
    """
    argv, cold_goal, warm_goal = GOALS[name]
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "glass_sym", *[a.format(tmp=tmp) for a in argv]]
        base = dict(os.environ, GLASS_SYM_CACHE_DIR=os.path.join(tmp, "cache"), MPLBACKEND="Agg")
        base.pop("GLASS_SYM_NO_CACHE", None)
        cold = _time(cmd, dict(base, GLASS_SYM_NO_CACHE="1"), repeat, quiet=True)
        one = _time(cmd, dict(base, GLASS_SYM_NO_CACHE="1", GLASS_SYM_JOBS="1"), 1, quiet=True)
        run_child(cmd, base, quiet=True)  # fill the cache
        warm = _time(cmd, base, repeat, quiet=True)
    return {"command": "glass-sym " + " ".join(argv).replace("{tmp}", "TMP"), "repeat": repeat,
            "cold_s": [round(x, 3) for x in cold], "warm_s": [round(x, 3) for x in warm],
            "cold_median_s": round(statistics.median(cold), 3), "warm_median_s": round(statistics.median(warm), 3),
            "cold_target_s": cold_goal, "warm_target_s": warm_goal, "cpus": worker.usable_cores(),
            "jobs": worker.jobs(), "cold_one_process_s": round(one[0], 3)}


def format_command(res: dict) -> str:
    return (f"{res['command']} (new process, {res['cpus']} cpus, {res['jobs']} jobs)\n"
            f"  cold (GLASS_SYM_NO_CACHE=1): {figure(res['cold_s'], res['cold_median_s'])}  "
            f"target {res['cold_target_s']} s\n"
            + one_process_line(res) +
            f"  warm cache:                 {figure(res['warm_s'], res['warm_median_s'])}  "
            f"target {res['warm_target_s']} s")


def summary_command(res: dict) -> list[dict]:
    return [{"target": f"{res['command']}, cold (new process)", "seconds": res["cold_median_s"],
             "goal_s": res["cold_target_s"]},
            {"target": f"{res['command']}, warm cache (new process)", "seconds": res["warm_median_s"],
             "goal_s": res["warm_target_s"]},
            one_process_row(res["command"], res)]
