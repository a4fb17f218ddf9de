"""``glass-sym bench tests``: wall time of the README test command's pytest run, ``python -m pytest -q``.

The command runs once in a new process in the source checkout (the directory above the ``glass_sym`` package
that holds both ``pyproject.toml`` and ``tests/``), with ``GLASS_SYM_CACHE_DIR``, ``GLASS_SYM_JOBS`` and
``GLASS_SYM_NO_CACHE`` removed from its environment (the suite makes its own cache and sets its own jobs, as in
a fresh shell).  The figure is the wall time of the whole process (interpreter start, collection, the
pytest-xdist workers of the pytest addopts); the passed/failed counts come from pytest's last line.  Goal
(issue 14): <= 60 s on the 2-core machine.  The installation step of the README command is not timed.

From an installed package (no checkout with ``tests/`` beside it) the target has no figure: its result says
``not available: no source checkout with tests/`` and its summary row has ``seconds`` None (printed ``n/a``).
Inside a pytest run (``PYTEST_CURRENT_TEST`` set) it does not start the suite again either, so it cannot recurse.
A failing test run (non-zero exit status) ends the bench with a one-line
:class:`~glass_sym.errors.BenchError`.

>>> parse_summary("3 failed, 1062 passed, 2 skipped, 1 warning in 57.31s")["failed"]
3
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import glass_sym
from glass_sym.errors import BenchError

from .process import describe, run_child

__all__ = ["run", "format", "summary", "checkout_root", "parse_summary", "child_environment", "GOAL_S",
           "NO_CHECKOUT", "IN_PYTEST"]

#: issue 14: the pytest run of the README test command takes <= 60 s
GOAL_S = 60.0
#: the note of a target without a source checkout (an installed package)
NO_CHECKOUT = "not available: no source checkout with tests/"
#: the note inside a pytest run (the suite is not started from within itself)
IN_PYTEST = "not available: inside a pytest run (the suite is not run from within itself)"
#: removed from the test run's environment: the suite chooses its own cache directory and jobs
REMOVED_ENV = ("GLASS_SYM_CACHE_DIR", "GLASS_SYM_JOBS", "GLASS_SYM_NO_CACHE", "GLASS_SYM_TEST_SESSION_CACHE")

_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|warnings?|deselected|rerun)\b")
_DURATION = re.compile(r"\bin (\d+(?:\.\d+)?)s\b")


def command() -> list[str]:
    """The pytest run of the README test command, with this interpreter."""
    return [sys.executable, "-m", "pytest", "-q"]


def checkout_root(package_dir: str | os.PathLike | None = None) -> Path | None:
    """The source checkout of the ``glass_sym`` package (or of ``package_dir``): its parent directory if that
    holds both ``pyproject.toml`` and a ``tests/`` directory, else None (an installed package)."""
    pkg = Path(package_dir) if package_dir is not None else Path(glass_sym.__file__).resolve().parent
    root = pkg.parent
    return root if (root / "pyproject.toml").is_file() and (root / "tests").is_dir() else None


def child_environment(environ: dict | None = None) -> dict:
    """``environ`` (default: this process's) without :data:`REMOVED_ENV`."""
    return {k: v for k, v in (os.environ if environ is None else environ).items() if k not in REMOVED_ENV}


def parse_summary(text: str) -> dict:
    """The counts of pytest's last summary line in ``text`` (the last line with ``in N.NNs``):
    ``{"passed": int, "failed": int, "errors": int, "skipped": int, ..., "pytest_s": float, "line": str}``;
    passed, failed, errors and skipped are always present (0 if not printed).

    Raises
    ------
    BenchError
        no such line (the output is not a pytest summary).
    """
    lines = [ln.strip().strip("=").strip() for ln in text.splitlines() if _DURATION.search(ln)]
    if not lines:
        tail = text.strip().splitlines()[-1:] or [""]
        raise BenchError(f"no pytest summary line (\"N passed ... in T s\") in the test run's output; last line: "
                         f"{tail[0][:200]!r}")
    line = lines[-1]
    out = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    for n, kind in _COUNT.findall(line):
        kind = {"error": "errors", "warning": "warnings"}.get(kind, kind)
        out[kind] = out.get(kind, 0) + int(n)
    out["pytest_s"] = float(_DURATION.search(line).group(1))
    out["line"] = line
    return out


def _not_available(note: str, root: Path | None) -> dict:
    return {"command": describe(command()), "root": None if root is None else str(root), "available": False,
            "note": note, "seconds": None, "goal_s": GOAL_S, "meets_target": None}


def run(args=None) -> dict:
    """Time ``python -m pytest -q`` once in the checkout (see the module docstring); a dict with ``seconds``
    (wall time, None if not available), ``goal_s``, ``meets_target``, the counts of :func:`parse_summary` and
    ``note`` (None, or why there is no figure).

    Raises
    ------
    BenchError
        the test run fails (non-zero exit status) or prints no pytest summary line.
    """
    root = checkout_root()
    if root is None:
        return _not_available(NO_CHECKOUT, None)
    if os.environ.get("PYTEST_CURRENT_TEST"):
        return _not_available(IN_PYTEST, root)
    t0 = time.perf_counter()
    out = run_child(command(), child_environment(), quiet=True, cwd=str(root), capture_stdout=True)
    seconds = time.perf_counter() - t0
    counts = parse_summary(out)
    return {"command": describe(command()), "root": str(root), "available": True, "note": None,
            "seconds": round(seconds, 3), "goal_s": GOAL_S, "meets_target": seconds <= GOAL_S, **counts}


def format(result: dict) -> str:  # noqa: A001 - the bench protocol's name
    """Two lines: the command and where it ran; its wall time, the goal and pytest's counts (or the note)."""
    head = f"README test command: {result['command']}"
    if not result["available"]:
        return f"{head}\n  {result['note']}"
    return (f"{head} (in {result['root']}, new process; {', '.join(REMOVED_ENV)} unset)\n"
            f"  1 run {result['seconds']:.3f} s  target {result['goal_s']} s: "
            f"{'met' if result['meets_target'] else 'NOT met'}; {result['passed']} passed, {result['failed']} failed "
            f"(pytest: {result['line']})")


def summary(result: dict) -> list[dict]:
    """One row: the wall time of the test run against 60 s (``seconds`` None and the note in the label if not
    available); no ratio to the SymPy baseline (``"ratio": False``)."""
    label = f"README test command ({result['command']}"
    if not result["available"]:
        return [{"target": f"{label}): {result['note']}", "seconds": None, "goal_s": result["goal_s"],
                 "ratio": False}]
    return [{"target": f"{label}, new process): {result['passed']} passed, {result['failed']} failed",
             "seconds": result["seconds"], "goal_s": result["goal_s"], "ratio": False}]
