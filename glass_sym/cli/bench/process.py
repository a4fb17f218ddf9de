"""Timed child processes of ``glass-sym bench``: wall time of a command, and a one-line error if it fails.

A benchmark of a failing command means nothing, so a child that exits non-zero ends the bench with
:class:`~glass_sym.errors.BenchError` (the command, its exit status and the last line of its output), which
the CLI prints as one line (exit 2), never as a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from glass_sym.errors import BenchError

__all__ = ["describe", "run_child", "time_child"]


def describe(cmd: list[str], env_changes: dict | None = None) -> str:
    """The command as a user would type it: ``python -m glass_sym X`` is ``glass-sym X``, ``sys.executable`` is
    ``python``; ``env_changes`` (name -> value, None = removed) are shown in front as ``NAME=value``."""
    words = list(cmd)
    if words[:3] == [sys.executable, "-m", "glass_sym"]:
        words = ["glass-sym", *words[3:]]
    elif words and words[0] == sys.executable:
        words[0] = "python"
    env = [f"{k}={v}" for k, v in (env_changes or {}).items() if v is not None]
    return " ".join(env + words)


def run_child(cmd: list[str], env: dict, *, quiet: bool = False, cwd: str | None = None,
              capture_stdout: bool = False) -> str:
    """Run ``cmd`` once in a new process; its stdout is discarded (returned if ``capture_stdout``), its stderr
    is passed on unless ``quiet``.

    Raises
    ------
    BenchError
        the command exited non-zero (message: the command with the environment variables that differ from
        this process's, its exit status and the last line of its output: of its stdout if captured and not empty, else of its
        stderr).
    """
    proc = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE if capture_stdout else subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, errors="replace")
    if proc.returncode != 0:
        changes = {k: env.get(k) for k in set(env) | set(os.environ) if env.get(k) != os.environ.get(k)
                   and k.startswith("GLASS_SYM_") and k != "GLASS_SYM_CACHE_DIR"}
        last = _last_line(proc.stdout or "") or _last_line(proc.stderr)
        raise BenchError(f"the timed command `{describe(cmd, dict(sorted(changes.items())))}` failed with exit "
                         f"status {proc.returncode}" + (f": {last}" if last else ""))
    if proc.stderr and not quiet:
        sys.stderr.write(proc.stderr)
    return proc.stdout or ""


def time_child(cmd: list[str], env: dict, repeat: int = 1, *, quiet: bool = False) -> list[float]:
    """Wall times (s) of ``repeat`` runs of ``cmd`` in new processes (interpreter start included).

    Raises
    ------
    BenchError
        a run exits non-zero (see :func:`run_child`).
    """
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run_child(cmd, env, quiet=quiet)
        out.append(time.perf_counter() - t0)
    return out


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""
