"""Report section: every derivation chain, its checked steps, and the LaTeX/PDF export."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from glass_sym.audit.rows import step_id
from glass_sym.errors import OutputError
from glass_sym.output.report import Section

__all__ = ["section"]


def section(outdir: Path) -> Section:
    from glass_sym.output.latex import (  # lazy: keeps start-up light (this module is imported without SymPy)
        compile_pdf, write_tex)
    from glass_sym.records.derivation import (  # lazy: keeps start-up light (this module is imported without SymPy)
        build, chains)

    t0 = time.perf_counter()
    built = [build(name) for name in chains()]
    t_build = time.perf_counter() - t0
    lines = ["| chain | label | step | verified | residual |", "|---|---|---|---|---|"]
    data = []
    for d in built:
        recs = d.as_dicts()
        data.append({"derivation": d.name, "title": d.title, "ok": d.ok,
                     "steps": [{"id": step_id(d.name, r["name"]),
                                **{k: r[k] for k in ("label", "name", "title", "verified", "residual")}}
                               for r in recs]})
        for r in recs:
            res = r["residual"] if len(r["residual"]) < 60 else r["residual"][:57] + "..."
            lines.append(f"| {d.name} | {r['label'] or ''} | {r['name']} | {'yes' if r['verified'] else 'NO'} | "
                         f"`{res}` |")
    texdir = Path(outdir) / "latex"
    paths = write_tex(built, texdir)
    pdf_note = ""
    pdf = None
    if shutil.which("pdflatex"):
        try:
            pdf = compile_pdf(paths[-1])
        except OutputError as exc:
            pdf_note = f"PDF failed: {exc}"
    else:
        pdf_note = "PDF skipped: pdflatex not installed (apt-get install texlive-latex-base texlive-latex-recommended)"
    findings = []
    for d in built:
        for r in d.as_dicts():
            for note in r["notes"]:
                text = note["text"] + (f" (audit record {note['ref']})" if note["ref"] else "")
                findings.append(f"- **{d.name} {r['label'] or ''} `{r['name']}`** ({note['kind']}): "
                                + text.replace("\n", " ").strip())
    n = sum(len(d.steps) for d in built)
    ok = sum(1 for d in built for s in d.steps if s.verified)
    md = [f"{ok}/{n} steps verified across {len(built)} chain(s).", "",
          f"LaTeX: `{texdir.name}/{Path(paths[-1]).name}`" + (f", PDF: `{texdir.name}/{Path(pdf).name}`" if pdf else ""),
          *(["", pdf_note] if pdf_note else []), "", *lines,
          *(["", "### Notes on the steps (assumptions, remarks, pointers to audit findings)", "", *findings] if findings else [])]
    return Section("derivations", "Derivations (appendices rebuilt and checked)", "\n".join(md),
                   {"chains": data, "verified": ok, "steps": n, "pdf": bool(pdf)},
                   ok=all(d.ok for d in built) and not pdf_note.startswith("PDF failed"),
                   timings={"build_seconds": round(t_build, 3)},
                   files=[str(p) for p in paths] + ([str(pdf)] if pdf else []))
