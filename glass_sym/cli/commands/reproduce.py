"""``glass-sym reproduce [-o DIR]``: the main job.  Every report section, one report led by a verdict per claim.

Writes ``report.md`` (verdicts first, then a ran/agrees table of the sections, then the sections),
``report.json`` (``schema_version``, ``verdicts``, ``sections``; deterministic: two runs give identical bytes)
and ``timings.json`` into DIR (default ``glass-sym-report/``, not setuptools' ``build/``), plus whatever the
sections write (LaTeX/PDF, figures), and prints every path it wrote.

Exit status 0 when every section ran and every check passed, whatever the verdicts (a refuted claim is a
result); 1 when a section could not run or a check failed (an unverified derivation step, a PDF that failed).
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import json
import os
import sys
import time
from pathlib import Path

from glass_sym import worker
from glass_sym.audit.verdicts import VERDICTS, headline, verdicts
from glass_sym.errors import GlassSymError, OutputError
from glass_sym.fileio import atomic_write
from glass_sym.output import report as _report  # _report.SECTIONS read at run time (tests replace it)
from glass_sym.output.report import SCHEMA_VERSION, Section

from .derive import add_cache_argument, apply_cache_flag

HELP = "run everything (derivations, audit, numerics) and write one report"


def add_arguments(p) -> None:
    p.add_argument("-o", "--outdir", default="glass-sym-report", metavar="DIR",
                   help="output directory (default: glass-sym-report/)")
    add_cache_argument(p)


def _say(line: str) -> None:
    """Print a progress line; a reader that went away (``glass-sym reproduce | head -1``) does not stop the run:
    the rest of its output goes to /dev/null and the report is still written."""
    try:
        print(line, flush=True)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _atomic_text(path: Path, text: str) -> None:
    atomic_write(path, text)


def run(args) -> int:
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
    # lazy: start-up time (each subcommand loads only what it runs)
    from glass_sym.audit.rows import worker_tasks

    def tasks() -> list:
        return worker_tasks() + [(_TASK_PREFIX + m, functools.partial(_section_json, m, outdir))
                                 for m in WORKER_SECTIONS if m in _report.SECTIONS]

    with worker.beside(tasks):  # cold runs: a second core computes the numerics sections and parts of the audit
        for modname in _report.SECTIONS:
            t0 = time.perf_counter()
            sec = _from_worker(worker.take(_TASK_PREFIX + modname))
            if sec is None:
                sec = _section(modname, outdir)
                sec.timings = {"seconds": round(time.perf_counter() - t0, 3), **sec.timings}
            timings[sec.key] = sec.timings
            sections.append(sec)
            _say(f"[{'ran' if sec.ok else 'FAILED':6s}] {sec.title}")
    verdict_list, verdict_error = _verdicts(sections)
    md = _markdown(sections, verdict_list, verdict_error)

    rg = next((s.data for s in sections if s.key == "rg" and s.ok and isinstance(s.data, dict)), {})
    report = {"schema_version": SCHEMA_VERSION,
              "ok": all(s.ok for s in sections) and verdict_error is None,
              "headline": headline(rg.get("rg")),
              "verdicts": verdict_list,
              "sections": [{"id": f"section:{s.key}", "key": s.key, "title": s.title, "ok": s.ok, "ran": s.ok,
                            "agrees": _agrees(s.key, verdict_list), "data": s.data} for s in sections]}
    if verdict_error:
        report["verdicts_error"] = verdict_error
    written = [outdir / "report.md", outdir / "report.json", outdir / "timings.json"]
    _atomic_text(written[0], md)
    _atomic_text(written[1], json.dumps(report, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    _atomic_text(written[2], json.dumps(timings, indent=1, sort_keys=True) + "\n")
    files = written + [Path(f) for s in sections for f in s.files]
    _say("wrote:")
    for f in files:
        _say(f"  {f}")
    counts = {v: sum(1 for x in verdict_list if x["verdict"] == v) for v in VERDICTS}
    _say("verdicts: " + ", ".join(f"{n} {v}" for v, n in counts.items() if n))
    bad = [s.title for s in sections if not s.ok] + (["verdicts"] if verdict_error else [])
    if bad:
        _say(f"glass-sym reproduce: {len(bad)} part(s) did not run or failed a check: {', '.join(bad)}")
        return 1
    return 0


#: sections a worker process writes while the main process runs the others (glass_sym.worker): the numerics, which
#: need no audit result; in this order (the RG section's message is the largest: last, so the worker never waits
#: for the main process to read it before starting another section)
WORKER_SECTIONS = ("glass_sym.output.sections.lattice", "glass_sym.output.sections.rg")
_TASK_PREFIX = "section:"


def _section(modname: str, outdir: Path) -> Section:
    key = modname.rsplit(".", 1)[-1]
    try:
        return importlib.import_module(modname).section(outdir)
    except (GlassSymError, OSError) as exc:  # one broken section does not hide the others
        return Section(key, key, f"**Section failed:** {exc}\n", {"error": str(exc)}, ok=False)


def _section_json(modname: str, outdir: Path) -> dict:
    """A section computed in a worker, as JSON (its files are written by the worker, atomically)."""
    t0 = time.perf_counter()
    sec = _section(modname, outdir)
    sec.timings = {"seconds": round(time.perf_counter() - t0, 3), **sec.timings}
    return dataclasses.asdict(sec)


def _from_worker(got) -> Section | None:
    if not isinstance(got, dict):
        return None
    try:
        return Section(**got)
    except TypeError:
        return None


#: which report sections each claim's evidence comes from (for the "agrees with the paper" column)
_SECTION_CLAIMS = {"audit": None, "lattice": ("lattice-sums",), "rg": ("fixed-point", "figure1", "kramers-kronig")}


def _verdicts(sections) -> tuple[list, str | None]:
    data = {s.key: s.data for s in sections if s.ok}
    try:
        rows = (data.get("audit") or {}).get("rows", [])
        rg = data.get("rg") or {}
        return verdicts(rows, lattice=data.get("lattice"), rg=rg.get("rg"), figure1=rg.get("figure1"),
                        figure_files=rg.get("figure_files", ())), None
    except (GlassSymError, KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
        return [], f"{type(exc).__name__}: {exc}"


def _agrees(key: str, verdict_list: list) -> str:
    """'yes' / 'no' / 'partly' / 'not compared' / 'n/a' from the verdicts whose evidence the section holds."""
    if key not in _SECTION_CLAIMS:
        return "n/a"
    keys = _SECTION_CLAIMS[key]
    vs = [v["verdict"] for v in verdict_list
          if keys is None and any(r.startswith("audit:") for r in v["refs"])
          or keys is not None and v["id"].split(":")[1] in keys]
    if not vs or all(v == "inconclusive" for v in vs):
        return "not compared"
    bad = sum(v in ("refuted", "not-reproduced") for v in vs)
    good = sum(v.startswith("confirmed") for v in vs)
    return "yes" if bad == 0 and good == len(vs) else "no" if good == 0 else "partly"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _labels(labels) -> str:
    return ", ".join(lab if lab[0] in "TF" else f"({lab})" for lab in labels)


def _markdown(sections, verdict_list, verdict_error) -> str:
    md = ["# glass-sym report", "",
          "D. Zhou, *Universal ratio of TTLS-phonon coupling constants in low-temperature amorphous solids*, "
          "J. Phys.: Condens. Matter 32, 055704 (2020) (J), and its preprint (P).", "",
          "## Verdicts", ""]
    if verdict_error:
        md += [f"**Verdicts could not be computed:** {verdict_error}", ""]
    counts = {v: sum(1 for x in verdict_list if x["verdict"] == v) for v in VERDICTS}
    md += [", ".join(f"{n} {v}" for v, n in counts.items() if n) + ".", ""]
    rg = next((s.data for s in sections if s.key == "rg" and s.ok and isinstance(s.data, dict)), {})
    lines = headline(rg.get("rg"))
    if lines:
        md += ["**Key physics finding (RG flow, Kramers-Kronig):** " + " ".join(lines), ""]
    for verdict in VERDICTS:  # the first screen: which claims hold, which do not
        names: dict[str, list[str]] = {}
        for x in verdict_list:
            if x["verdict"] == verdict:
                names.setdefault(x["id"].split(":")[1], []).append("J" if x["version"] == "jpcm2020" else "P")
        if names:
            md.append(f"- **{verdict}**: " + "; ".join(f"{k} ({', '.join(v)})" for k, v in names.items()))
    md += ["",
           "Verdicts are computed from the audit rows and the numerics (rule: docs/forensics.md): `confirmed`, "
           "`confirmed-with-caveat`, `refuted` (an exact comparison differs), `not-reproduced` (a recomputed "
           "number differs beyond its printed digits), `inconclusive` (not compared).", "",
           "| claim | version | labels | verdict | evidence | refs |", "|---|---|---|---|---|---|"]
    for v in verdict_list:
        refs = ", ".join(f"`{r}`" for r in v["refs"][:4]) + (f" +{len(v['refs']) - 4}" if len(v["refs"]) > 4 else "")
        md.append(f"| {_cell(v['claim'])} | {v['version']} | {_labels(v['labels'])} | **{v['verdict']}** | "
                  f"{_cell(v['evidence'])} | {refs} |")
    md += ["", "## Sections", "", "| section | ran | agrees with the paper |", "|---|---|---|"]
    md += [f"| {s.title} | {'yes' if s.ok else 'FAILED'} | {_agrees(s.key, verdict_list)} |" for s in sections]
    for s in sections:
        md += ["", f"## {s.title}", "", s.markdown.rstrip(), ""]
    return "\n".join(md).rstrip() + "\n"
