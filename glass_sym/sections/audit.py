"""Report section: the audit of both papers' printed equations, claims and Table 1 fits (glass_sym.audit)."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from ..report import Section

__all__ = ["section"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def section(outdir: Path) -> Section:
    """The audit table in Markdown and the records as data (deterministic order: that of audit_all)."""
    from ..audit import STATUSES, audit_all

    t0 = time.perf_counter()
    findings = audit_all()
    elapsed = time.perf_counter() - t0
    counts = Counter(f.status for f in findings)
    summary = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])
    lines = [f"{len(findings)} findings: {summary}.", "",
             "Statuses: `match` (component-wise equal modulo n.n = 1), `match-symmetrized` (equal as contracted "
             "with symmetric stresses), `differs`, `inconsistent` (two statements in one paper disagree), "
             "`not-derived` (no closed form registered yet), `unparsed` (the printed LaTeX could not be read). "
             "Format and method: docs/audit.md.", "",
             "| label | version | status | explanation |", "|---|---|---|---|"]
    for f in findings:
        lines.append(f"| {_cell(f.label)} | {f.version} | {f.status} | {_cell(f.explanation)} |")
    return Section("audit", "Audit of the printed equations", "\n".join(lines),
                   [f.as_dict() for f in findings], ok=True,  # findings are results, not failures
                   timings={"audit_seconds": round(elapsed, 3)})
