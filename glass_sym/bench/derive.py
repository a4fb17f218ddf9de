"""``glass-sym bench derive``: wall time of ``glass-sym derive appendix-a`` in a new process, cold and cached.

Cold: ``GLASS_SYM_NO_CACHE=1`` (SymPy import, every step built and checked).  Cached: a warm on-disk cache in a
temporary cache directory.  Targets (issue 2): cold <= 3 s, cached <= 0.6 s on the 2-core machine.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

__all__ = ["run", "format"]


def _time(cmd: list[str], env: dict, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
        out.append(time.perf_counter() - t0)
    return out


def run(args=None, repeat: int = 3, chain: str = "appendix-a") -> dict:
    cmd = [sys.executable, "-m", "glass_sym", "derive", chain]
    with tempfile.TemporaryDirectory() as tmp:
        base = dict(os.environ, GLASS_SYM_CACHE_DIR=tmp)
        base.pop("GLASS_SYM_NO_CACHE", None)
        cold = _time(cmd, dict(base, GLASS_SYM_NO_CACHE="1"), repeat)
        subprocess.run(cmd, env=base, check=True, stdout=subprocess.DEVNULL)  # fill the cache
        warm = _time(cmd, base, repeat)
    return {"chain": chain, "repeat": repeat, "cold_s": [round(x, 3) for x in cold],
            "cached_s": [round(x, 3) for x in warm], "cold_median_s": round(statistics.median(cold), 3),
            "cached_median_s": round(statistics.median(warm), 3), "cold_target_s": 3.0, "cached_target_s": 0.6,
            "cpus": os.cpu_count()}


def format(res: dict) -> str:
    return (f"glass-sym derive {res['chain']} (new process, {res['repeat']} runs, {res['cpus']} cpus)\n"
            f"  cold (GLASS_SYM_NO_CACHE=1): median {res['cold_median_s']:.3f} s  runs {res['cold_s']}  target {res['cold_target_s']} s\n"
            f"  cached:                     median {res['cached_median_s']:.3f} s  runs {res['cached_s']}  target {res['cached_target_s']} s")
