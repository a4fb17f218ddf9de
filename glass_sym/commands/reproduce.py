"""``glass-sym reproduce [-o DIR]``: the main job.  Every report section, one report.

Writes ``report.md``, ``report.json`` (deterministic: two runs give identical bytes) and ``timings.json`` into
DIR (default ``build/``), plus whatever the sections write (LaTeX/PDF, figures).  Prints a short summary and
exits 1 if any section failed.
"""

from __future__ import annotations

import importlib
import json
import time
from pathlib import Path

from ..errors import GlassSymError, OutputError
from .derive import add_cache_argument, apply_cache_flag

HELP = "run everything (derivations, audit, numerics) and write one report"


def add_arguments(p) -> None:
    p.add_argument("-o", "--outdir", default="build", metavar="DIR", help="output directory (default: build/)")
    add_cache_argument(p)


def _atomic_text(path: Path, text: str) -> None:
    from ..fileio import atomic_write

    atomic_write(path, text)


def run(args) -> int:
    from ..report import SECTIONS, Section

    apply_cache_flag(args)
    outdir = Path(args.outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output directory {str(outdir)!r}: {exc.strerror or exc}") from None
    if not outdir.is_dir():
        raise OutputError(f"output path {str(outdir)!r} is not a directory")
    sections: list[Section] = []
    timings: dict[str, float | dict] = {}
    for modname in SECTIONS:
        t0 = time.perf_counter()
        key = modname.rsplit(".", 1)[-1]
        try:
            sec = importlib.import_module(modname).section(outdir)
        except (GlassSymError, OSError) as exc:  # one broken section does not hide the others
            sec = Section(key, key, f"**Section failed:** {exc}\n", {"error": str(exc)}, ok=False)
        timings[sec.key] = {"seconds": round(time.perf_counter() - t0, 3), **sec.timings}
        sections.append(sec)
        print(f"[{'ok' if sec.ok else 'FAILED':6s}] {sec.title}")
    md = ["# glass-sym report", "",
          "D. Zhou, *Universal ratio of TTLS-phonon coupling constants in low-temperature amorphous solids*, "
          "J. Phys.: Condens. Matter 32, 055704 (2020), and its preprint.", "",
          "| section | status |", "|---|---|"]
    md += [f"| {s.title} | {'ok' if s.ok else 'FAILED'} |" for s in sections]
    for s in sections:
        md += ["", f"## {s.title}", "", s.markdown.rstrip(), ""]
    report = {"ok": all(s.ok for s in sections),
              "sections": [{"key": s.key, "title": s.title, "ok": s.ok, "data": s.data} for s in sections]}
    _atomic_text(outdir / "report.md", "\n".join(md).rstrip() + "\n")
    _atomic_text(outdir / "report.json", json.dumps(report, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    _atomic_text(outdir / "timings.json", json.dumps(timings, indent=1, sort_keys=True) + "\n")
    print(f"wrote {outdir / 'report.md'}, {outdir / 'report.json'}")
    bad = [s.title for s in sections if not s.ok]
    if bad:
        print(f"glass-sym reproduce: {len(bad)} section(s) failed: {', '.join(bad)}")
        return 1
    return 0
