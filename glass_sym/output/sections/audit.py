"""Report section: one audit row per printed equation of both papers, with its parts, class and forensics.

The rows come from :func:`glass_sym.audit.rows.audit_rows` (claims and Table 1 fits included); the classes and
the rule behind them are documented there and in docs/forensics.md.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from glass_sym.audit.rows import CLASSES, SCHEMA_VERSION, audit_rows
from glass_sym.output.report import Section

__all__ = ["section"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def section(outdir: Path) -> Section:
    """The audit table in Markdown (one line per printed equation) and the rows as data."""
    from glass_sym.audit.printed import audit_all  # lazy: keeps start-up light (this module is imported without SymPy)
    t0 = time.perf_counter()
    findings = audit_all()
    t1 = time.perf_counter()
    rows = audit_rows(findings)
    t2 = time.perf_counter()
    counts = Counter(r["class"] for r in rows)
    summary = ", ".join(f"{counts[c]} {c}" for c in CLASSES if counts[c])
    nparts = sum(len(r["parts"]) for r in rows)
    nun = sum(p["class"] == "unchecked" for r in rows for p in r["parts"])
    lines = [f"{len(rows)} printed equations ({nparts - nun} compared parts, {nun} not compared): {summary}.", "",
             "Classes (computed, rule in docs/forensics.md): `error` (differs; the fitting hypothesis, or none, is "
             "named), `convention-or-prefactor`, `extraction-artefact` (a text-extraction repair fits and the other "
             "version's copy prints the derived form), `rounding` (printed digits explain it), `quotation` (quotes another "
             "work's form; the paper states the difference and the audit confirms it), `verified` (every part "
             "compared agrees; a row with a part not compared says so), `unchecked` (not compared yet). Parts and forensics: report.json, section `audit`.", "",
             "| id | class | explanation |", "|---|---|---|"]
    for r in rows:
        lines.append(f"| `{r['id']}` | {r['class']} | {_cell(r['explanation'])} |")
    return Section("audit", "Audit of the printed equations", "\n".join(lines),
                   {"schema_version": SCHEMA_VERSION, "rows": rows}, ok=True,  # classes are results, not failures
                   timings={"audit_seconds": round(t1 - t0, 3), "rows_seconds": round(t2 - t1, 3)})
