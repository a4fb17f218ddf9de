"""Rewrite tests/data/report_reference.json from ``glass-sym reproduce`` (run only when a result of the report is
meant to change: ``tests/test_report_reference.py`` guards speed-ups of the audit and reproduce against changing
any audit status, class, part, forensic finding, verdict, step residual or numeric figure).

The stored object is report.json with the keys of :data:`DROP` removed at every level (timings, paths and
versions; report.json has none today, timings live in timings.json).

Usage: python scripts/update_report_reference.py   (uses the derivation cache of GLASS_SYM_CACHE_DIR, if any)
"""

import json
import os
import pathlib
import subprocess
import sys
import tempfile

#: keys removed before the comparison (not results: timings, file system paths, package versions)
DROP = frozenset({"timings", "seconds", "path", "paths", "outdir", "package_version", "glass_sym_version",
                  "sympy_version", "python_version"})


def normalise(obj):
    """``obj`` with the keys of :data:`DROP` removed recursively (dicts and lists of a JSON tree)."""
    if isinstance(obj, dict):
        return {k: normalise(v) for k, v in obj.items() if k not in DROP}
    if isinstance(obj, list):
        return [normalise(v) for v in obj]
    return obj


def dumps(obj) -> str:
    return json.dumps(normalise(obj), indent=0, sort_keys=True, ensure_ascii=False) + "\n"


REFERENCE = pathlib.Path(__file__).resolve().parents[1] / "tests" / "data" / "report_reference.json"

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, MPLBACKEND="Agg")
        subprocess.run([sys.executable, "-m", "glass_sym", "reproduce", "-o", tmp], check=True,
                       capture_output=True, text=True, env=env)
        report = json.loads((pathlib.Path(tmp) / "report.json").read_text(encoding="utf-8"))
    REFERENCE.write_text(dumps(report), encoding="utf-8")
    print(f"wrote {REFERENCE} ({len(report['sections'])} sections, {len(report['verdicts'])} verdicts)")
