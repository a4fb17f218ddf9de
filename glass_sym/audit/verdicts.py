r"""A referee's verdict per claim of the paper, computed from the audit rows and the numerics.

Each entry of :data:`CLAIMS` names a claim of the paper in one line, the printed equations it rests on in each
paper version, and which computed evidence bears on it (audit rows, lattice sums, RG flow, Figure 1).  The
verdict is computed, never written down: :func:`verdicts` reads the classes of the audit rows
(:mod:`glass_sym.audit.rows`) and the numeric checks below and applies the rule

``inconclusive``
    nothing that bears on the claim was compared (no derived form, unreadable text, section not run);
``refuted``
    an exact comparison (symbolic, or exact rational numbers) of the claim's own equations classed ``error``:
    the printed form is not what the derivation gives;
``not-reproduced``
    a numeric check (audit records of :data:`NUMERIC_CHECKS`, fit, lattice sum, flow, figure) disagrees with
    the printed number beyond its digits;
``confirmed-with-caveat``
    no error, but a caveat: a convention or prefactor, rounding, an extraction artefact, a part not compared,
    or a numeric caveat (the fixed point exists but the flow does not reach it in the computed range);
``confirmed``
    everything compared agrees (component by component, or within the printed digits).

Numeric checks (documented thresholds):

* lattice (C.20)-(C.23): the exact sums of the two largest N0 (cube) against (C.23) in the same units: the
  ratio C_l/C_t within 5 % and the growth per unit ln N0 within 20 % for l and t, else ``error``;
* fixed point (4.6)/(4.7): every flow that has a fixed point has it at c_l/c_t (relative 1e-6), else
  ``error``; no flow converging within the computed range is a caveat;
* Figure 1: the fitted slope and r recomputed from the printed columns against the printed ones, with the
  rounding rule of :func:`glass_sym.audit.classes.classify_fit`.

Ids: a verdict is ``verdict:<claim key>:<version>``; its ``refs`` are audit row ids (``audit:<version>:<label>``),
derivation steps (``step:<chain>/<name>``), report sections (``section:<key>``) and files.

>>> decide(["verified", "extraction-artefact"], numeric=False)
'confirmed-with-caveat'
>>> decide(["unchecked"], numeric=False)
'inconclusive'
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .classes import classify_fit
from .rows import rank_class

__all__ = ["headline", "readable", "VERDICTS", "CLAIMS", "Claim", "decide", "verdicts", "lattice_evidence", "fixed_point_evidence",
           "figure1_evidence", "verdict_id"]

#: the documented verdict set, in the order of the report
VERDICTS = ("confirmed", "confirmed-with-caveat", "refuted", "not-reproduced", "inconclusive")

#: audit checks whose records are numbers computed numerically (quadrature, flows, fits): their errors make
#: ``not-reproduced``; every other check is an exact comparison and its error makes ``refuted``
NUMERIC_CHECKS = ("numeric", "fit")

_CAVEATS = ("convention-or-prefactor", "extraction-artefact", "rounding", "caveat")


@dataclass(frozen=True)
class Claim:
    """One claim of the paper: ``key``, one-line ``text``, ``labels`` per version, evidence ``sources``."""

    key: str
    text: str
    labels: Mapping[str, tuple[str, ...]]
    sources: tuple[str, ...] = ("audit",)
    numeric: bool = False
    #: the labels that state the claim itself (default: all); the others support it
    core: tuple[str, ...] | None = None
    #: within the core rows, only parts of these audit checks state the claim (``claim``: the prose factors);
    #: the row's other parts support it
    core_checks: tuple[str, ...] | None = None

    def is_core(self, label: str) -> bool:
        return self.core is None or label in self.core


CLAIMS: tuple[Claim, ...] = (
    Claim("corrected-interaction",
          "The phonon-mediated TTLS-TTLS coupling is Lambda(x) = -tilde Lambda(n)/(8 pi rho c_t^2 |x|^3) with "
          "the corrected tilde Lambda",
          {"jpcm2020": ("A.18", "2.19"), "preprint": ("2.14", "2.15", "A15")}),
    Claim("fourier-route",
          "Lambda(q) from completing the square and its Fourier transforms f1, f2 (regulated, then lambda -> 0)",
          {"jpcm2020": ("A.11", "A.12", "A.13", "A.14", "A.16", "A.17"),
           "preprint": ("A9", "A10", "A11", "A13", "A14")}),
    Claim("jl-factors",
          "Joffrin-Levelut's coupling differs from the corrected one by the factors stated in (A.19)",
          {"jpcm2020": ("A.1", "A.19"), "preprint": ("A1", "A16")}, core=("A.19", "A16"), core_checks=("claim",)),
    Claim("b5-smallness",
          "(B.5): the correction from the TTLS displacement has the printed angular averages (smallness argument)",
          {"jpcm2020": ("B.2", "B.3", "B.5"), "preprint": ("2.17",)}, core=("B.5",)),
    Claim("d6-smallness",
          "(D.6): the electric dipole-dipole contribution has the printed l/t prefactors (smallness argument)",
          {"jpcm2020": ("D.2", "D.3", "D.6"), "preprint": ("5.2", "5.3")}, core=("D.6",)),
    Claim("lattice-sums",
          "(C.20)-(C.23): the super-block lattice sum grows as ln N0 with the printed l and t prefactors",
          {"jpcm2020": ("C.19", "C.23", "C.24")}, ("audit", "lattice"), True, core=("C.23", "lattice")),
    Claim("kramers-kronig",
          "Re chi of the TTLS by Kramers-Kronig: (2.9), its small beta hbar omega form (2.10) < 0, and (3.5)",
          {"jpcm2020": ("2.9", "2.10", "3.5", "C.25")}),
    Claim("fixed-point",
          "(4.6)/(4.7): the real-space RG flow has the fixed point gamma_l/gamma_t = c_l/c_t",
          {"jpcm2020": ("4.1", "4.3", "4.4", "4.6", "4.7")}, ("audit", "rg"), True, core=("4.6", "4.7", "rg")),
    Claim("table1-fits",
          "Table 1: the fitted slopes and correlation coefficients r of c_l/c_t against (gamma_l/gamma_t)_exp",
          {"jpcm2020": ("Table 1",), "preprint": ("Table 1",)}, ("audit",), True),
    Claim("figure1",
          "Figure 1: theory c_l/c_t against experiment lies on the printed line y = s x with the printed r",
          {"jpcm2020": ("Figure 1",), "preprint": ("Figure 1",)}, ("figure1",), True),
)

_SHORT = {"jpcm2020": "J", "preprint": "P"}


def verdict_id(key: str, version: str) -> str:
    return f"verdict:{key}:{version}"


def decide(classes: Sequence[str], *, numeric: bool) -> str:
    """The verdict from evidence classes (audit-row classes plus numeric ``verified``/``caveat``/``error``)."""
    checked = [c for c in classes if c != "unchecked"]
    if not checked:
        return "inconclusive"
    if "error" in checked:
        return "not-reproduced" if numeric else "refuted"
    if any(c in _CAVEATS for c in checked) or len(checked) < len(classes):
        return "confirmed-with-caveat"
    return "confirmed"


# ------------------------------------------------------------------------------- numeric evidence
def lattice_evidence(data: Sequence[dict] | None) -> tuple[str, str, list[str]]:
    """(class, sentence, refs) from the lattice section's records (cube, the two largest N0)."""
    if not data:
        return "unchecked", "the lattice sums did not run", ["section:lattice"]
    cube = sorted((d for d in data if d.get("shape") == "cube"), key=lambda d: d["n0"])
    if len(cube) < 2:
        return "unchecked", "fewer than two cube sizes computed", ["section:lattice"]
    a, b = cube[-2], cube[-1]
    ratio = b["C_l"] / b["C_t"]
    pratio = b["paper_C_l"] / b["paper_C_t"]
    ln = math.log(b["n0"] / a["n0"])
    grow = {p: (b[f"C_{p}"] - a[f"C_{p}"]) / ln for p in "lt"}
    pgrow = {p: (b[f"paper_C_{p}"] - a[f"paper_C_{p}"]) / ln for p in "lt"}
    ok = abs(ratio / pratio - 1) <= 0.05 and all(abs(grow[p] / pgrow[p] - 1) <= 0.2 for p in "lt")
    flipped = [p for p in "lt" if (b[f"C_{p}"] > 0) != (b[f"paper_C_{p}"] > 0)]
    sign = (f"the exact C_{' and C_'.join(flipped)} ha{'ve' if len(flipped) > 1 else 's'} the opposite sign to "
            f"(C.23); " if flipped else "")
    sentence = (sign + f"exact sums at N0 = {b['n0']} give C_l/C_t = {ratio:.4g} against {pratio:.4g} from (C.23), and "
                f"grow by {grow['l']:.3g} (l), {grow['t']:.3g} (t) per unit ln N0 against {pgrow['l']:.3g}, "
                f"{pgrow['t']:.3g}")
    return ("verified" if ok else "error"), sentence, ["section:lattice"]


def fixed_point_evidence(rg: Any) -> tuple[str, str, list[str]]:
    """(class, sentence, refs) from the RG section's flow records."""
    if not isinstance(rg, list) or not rg:
        return "unchecked", "the RG flow did not run", ["section:rg"]
    with_fp = [r for r in rg if r.get("fixed_point_ratio") is not None]
    wrong = [r for r in with_fp if abs(r["fixed_point_ratio"] / r["velocity_ratio"] - 1) > 1e-6]
    counts: dict[str, int] = {}
    for r in rg:
        counts[f"{r.get('status')} ({r.get('part')})"] = counts.get(f"{r.get('status')} ({r.get('part')})", 0) + 1
    tally = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    if not with_fp:
        return "unchecked", f"no flow has a fixed point to compare ({tally})", ["section:rg"]
    if wrong:
        r = wrong[0]
        return "error", (f"{len(wrong)} of {len(with_fp)} flows have their fixed point away from c_l/c_t, e.g. "
                         f"{r['material']}: {r['fixed_point_ratio']:.6g} vs {r['velocity_ratio']:.6g}"), ["section:rg"]
    conv = [r for r in rg if r.get("converged")]
    if not conv:
        return "caveat", (f"the fixed point of the recursion equals c_l/c_t in all {len(with_fp)} flows that have "
                          f"one, but no flow reaches it in the computed range ({tally})"), ["section:rg"]
    return "verified", f"fixed point at c_l/c_t in all {len(with_fp)} flows; {len(conv)} converge ({tally})", \
        ["section:rg"]


def figure1_evidence(fig: Mapping | None, version: str, files: Sequence[str] = (),
                     rows: Sequence[dict] = ()) -> tuple[str, str, list[str]]:
    """(class, sentence, refs) for Figure 1: the fit its caption states (the Table 1 audit part whose fit carries
    ``figure = "Figure 1"``), else the fits of the RG section's Figure 1 data."""
    word = "journal" if version == "jpcm2020" else "preprint"
    figs = [f for f in files if "figure1" in f]
    mine = [f for f in figs if word in f or "fits" in f]
    refs = ["section:rg", *(mine or figs)]
    caption = [(r, p) for r in rows if r["version"] == version and r["label"] == "Table 1" for p in r["parts"]
               if (p.get("details") or {}).get("figure") == "Figure 1"]
    if caption:
        cls = rank_class([p["class"] for _, p in caption])
        says = "; ".join(f"the caption's fit {p['details'].get('fit')} ({p['details'].get('y')} = "
                         f"{p['details'].get('printed_slope')} x {p['details'].get('x')}, r = "
                         f"{p['details'].get('printed_r')}): {p['explanation']}" for _, p in caption)
        return cls, says, [*(p["id"] for _, p in caption), *refs]
    if not fig:
        return "unchecked", "Figure 1 was not drawn", refs
    prefix = "journal" if version == "jpcm2020" else "preprint"
    fits = [f for f in fig.get("fits", []) if str(f.get("name", "")).startswith(prefix)]
    if not fits:
        return "unchecked", "no fit of this version drawn", refs
    classes, says = [], []
    for f in fits:
        cls, why = classify_fit({"printed_slope": f["slope_printed"], "printed_r": f["r_printed"],
                                 "slope": f["slope_from_printed_column"], "r": f["r_from_printed_column"]})
        classes.append(cls)
        says.append(f"{f['name']}: {why}")

    return rank_class(classes), "; ".join(says), refs


# ------------------------------------------------------------------------------- verdicts
def _row_sentence(row: dict, version: str) -> str:
    return f"({row['label']}) [{_SHORT.get(version, version)}] {row['explanation']}" if row["label"][0].isdigit() \
        or row["label"][0] in "ABCD" else f"{row['label']} [{_SHORT.get(version, version)}] {row['explanation']}"


def _part_sentence(row: dict, part: dict, version: str) -> str:
    what = "" if part["explanation"].startswith("claim ") else f"{part['what']}: "
    return f"({row['label']}) [{_SHORT.get(version, version)}] {what}{part['explanation']}"


def verdicts(rows: Sequence[dict], *, lattice: Sequence[dict] | None = None, rg: Any = None,
             figure1: Mapping | None = None, figure_files: Sequence[str] = (),
             claims: Sequence[Claim] = CLAIMS) -> list[dict[str, Any]]:
    """One verdict per (claim, paper version): ``id``, ``claim``, ``version``, ``labels``, ``verdict``,
    ``evidence`` (one sentence), ``refs`` (ids of audit rows, derivation steps, sections, files), ``classes``
    (the evidence classes the verdict was computed from)."""
    by = {(r["version"], r["label"]): r for r in rows}
    # rule: inconclusive when the claim's own evidence (core labels, numeric checks) was not compared;
    # errors of supporting equations make a caveat, not the verdict
    out = []
    for c in claims:
        for version, labels in c.labels.items():
            evidence: list[tuple[str, str, list[str]]] = []
            support: list[tuple[str, str, list[str]]] = []
            exact_errors: set[str] = set()  # ids of rows/parts whose error comes from an exact comparison
            if "audit" in c.sources:
                for lab in labels:
                    row = by.get((version, lab))
                    if row is None:
                        continue
                    for p in row["parts"]:
                        if p["class"] == "error" and (p.get("details") or {}).get("check") not in NUMERIC_CHECKS:
                            exact_errors.update((p["id"], row["id"]))
                    if c.is_core(lab) and c.core_checks:
                        for p in row["parts"]:
                            mine = (p.get("details") or {}).get("check") in c.core_checks
                            item = (p["class"], _part_sentence(row, p, version), [p["id"], *p.get("refs", [])])
                            (evidence if mine else support).append(item)
                        continue
                    cls, sentence = row["class"], _row_sentence(row, version)
                    skipped = [p for p in row["parts"] if p["class"] == "unchecked"]
                    if cls == "verified" and skipped:  # a part not compared: never fully verified
                        cls = "caveat"
                        sentence = (f"({row['label']}) [{_SHORT.get(version, version)}] agrees in the parts "
                                    f"compared, but {len(skipped)} part(s) not compared ({skipped[0]['what']})")
                    item = (cls, sentence, [row["id"], *row.get("refs", [])])
                    (evidence if c.is_core(lab) else support).append(item)
            if "lattice" in c.sources:
                evidence.append(lattice_evidence(lattice))
            if "rg" in c.sources:
                evidence.append(fixed_point_evidence(rg))
            if "figure1" in c.sources:
                evidence.append(figure1_evidence(figure1, version, figure_files, rows))
            if not evidence:
                evidence.append(("unchecked", f"the claim's own equation ({', '.join(c.core or ())}) is not "
                                              f"transcribed for this version", []))
            classes = [e[0] for e in evidence]
            exact_error = not c.numeric and any(
                e[0] == "error" and e[2] and e[2][0] in exact_errors for e in evidence)
            if any(x != "unchecked" for x in classes):  # supporting equations add caveats, never the verdict
                classes += ["caveat" if e[0] == "error" else e[0] for e in support if e[0] != "unchecked"]
                evidence += [("caveat" if e[0] == "error" else e[0], "supporting " + e[1], e[2]) for e in support]
            else:
                evidence += [(e[0], "supporting " + e[1], e[2]) for e in support]
            verdict = decide(classes, numeric=not exact_error)
            sentence = readable(_evidence_sentence(verdict, evidence))
            if c.key == "fixed-point":
                sentence = _fixed_point_sentence(rows, version) or sentence
            if c.key.endswith("-smallness") and verdict == "refuted":
                sentence += ("; whether the smallness (negligibility) still holds with the derived numbers is "
                             "not assessed")
            out.append({"id": verdict_id(c.key, version), "claim": c.text, "version": version,
                        "labels": list(labels), "verdict": verdict,
                        "evidence": sentence, "evidence_full": _evidence_sentence(verdict, evidence),
                        "refs": sorted({r for e in evidence for r in e[2]}), "classes": classes})
    return out


def _evidence_sentence(verdict: str, evidence: list[tuple[str, str, list[str]]]) -> str:
    if not evidence:
        return "no printed equation of this claim is transcribed"
    if verdict in ("refuted", "not-reproduced"):
        pick = [e for e in evidence if e[0] == "error"]
    elif verdict == "confirmed-with-caveat":
        pick = [e for e in evidence if e[0] in _CAVEATS] or [e for e in evidence if e[0] == "unchecked"]
    elif verdict == "inconclusive":
        return "not compared: " + evidence[0][1]
    else:
        n = len(evidence)
        return (f"all {n} compared items agree: " if n > 1 else "the compared item agrees: ") + evidence[0][1]
    return pick[0][1]


def _fixed_point_sentence(rows: Sequence[dict], version: str) -> str | None:
    """(4.6): the flow's ratio against the printed one, and the flow's own limit (a limit exists elsewhere)."""
    for r in rows:
        if r["version"] != version or r["label"] != "4.6":
            continue
        for p in r["parts"]:
            d = p.get("details") or {}
            if p["class"] == "error" and d.get("value") is not None and d.get("printed") is not None:
                lim = d.get("flow_limit")
                tail = (f"; the flow's own limit is {lim:.3g}: the flow has a limit, but not at the printed value"
                        if lim is not None else "")
                return (f"the flow gives Im χ̃_l/Im χ̃_t = {d['value']:.3g} against the printed c_l²/c_t² = "
                        f"{d['printed']:.3g}{tail}")
    return None


def headline(rg: Any, rows: Sequence[dict] = ()) -> list[str]:
    """The most important physics findings, computed from the RG section's flow records (full and thermal
    Kramers-Kronig parts): the sign of K, how many flows diverge or have a fixed point, the size of the second
    term of (4.3) relative to the first.  Empty when the flows did not run."""
    if not isinstance(rg, list) or not rg:
        return []
    out = []
    for part, words in (("full", "With the full Kramers-Kronig transform (C.25)"),
                        ("thermal", "With its thermal part only")):
        recs = [r for r in rg if r.get("part") == part]
        if not recs:
            continue
        ks = sorted({round(r["K_l"], 6) for r in recs})
        div = sum(r.get("status") == "divergent" for r in recs)
        fp = sum(r.get("fixed_point_ratio") is not None for r in recs)
        ratios = [t["second_over_first"] for r in recs for t in (r.get("eq_4_3_terms") or {}).values()]
        k = ", ".join(f"{x:+.3g}" for x in ks)
        sign = "> 0" if all(x > 0 for x in ks) else "< 0" if all(x < 0 for x in ks) else "of both signs"
        text = f"{words}, K = {k} {sign}: "
        if div == len(recs):
            text += f"every material's flow diverges ({div} of {len(recs)}), no fixed point"
        else:
            text += (f"{fp} of {len(recs)} flows have a fixed point, {div} diverge, "
                     f"{sum(bool(r.get('converged')) for r in recs)} converge in the computed range")
        if ratios:
            big = min(ratios) > 10
            text += (f"; the second term of (4.3) is {min(ratios):.2g} to {max(ratios):.2g} times the first "
                     f"({'>> 1 as the paper assumes' if big else 'not >> 1 as the paper assumes'})")
        out.append(text + ".")
    if len(out) == 2 and "no fixed point" in out[0] and "< 0" in out[1]:
        out[1] = out[1].replace("With its thermal part only", "The paper's sign argument survives only for the "
                                "thermal part", 1).replace("even there", "")
        out[1] = out[1].replace("; the second term", "; even there the second term", 1)
    return out


_SUP = {"2": "²", "3": "³", "4": "⁴"}


def readable(text: str) -> str:
    """A verdict cell in a physicist's words: one sentence, code notation rewritten as readable math.

    >>> readable("printed 688*alpha**2 + 176*alpha + 55 = 10/3 x derived(-2*alpha); the rest")
    'printed 688α² + 176α + 55 = 10/3 × derived(−2α); the rest'
    >>> readable("b5_bracket_l [const]: constant part + -0.918939 n0M^2 (4 parts: 4 error)")
    'constant part − 0.918939 n0M^2'
    """

    t = re.sub(r"\s*\(\d+ parts: [^)]*\)", "", text)
    t = re.sub(r"\s*\[\d+ parts: [^\]]*\]", "", t)
    t = re.sub(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+ \[[a-z_0-9+]+\]: ", "", t)  # engine name [part]:
    t = re.sub(r" \([a-z]+(?:_[a-z0-9]+)+\)", "", t)  # (factor_part_1)
    t = re.sub(r"\b([a-z]+)_([a-z]{3,}) \[([a-z_0-9+]+)\]", lambda m: f"the printed {m.group(2)}", t)
    t = re.sub(r"\(\+\d+ more\)", "", t)
    t = t.replace("velocity_ratio", "c_l/c_t").replace("gamma_ratio", "γ_l/γ_t")
    t = re.sub(r"\bon lambda_tilde_(\d)\b", r"on part (\1)", t)
    t = re.sub(r"\*\*\((-?\d+)\)", lambda m: "^(" + m.group(1) + ")", t)
    t = re.sub(r"\*\*(\d)", lambda m: _SUP.get(m.group(1), "^" + m.group(1)), t)
    t = re.sub(r"(\d)\*(?=[A-Za-z(])", r"\1", t)
    t = t.replace("*", "·").replace("+ -", "− ").replace("(-", "(−")
    t = re.sub(r"\balpha\b", "α", t).replace("alpha", "α")
    t = re.sub(r"(?<=\d) x (?=\S)", " × ", t)
    # one sentence: the clauses that carry the finding (a hypothesis, a negative) first, others while short
    clauses = [c.strip() for c in t.split("; ") if c.strip()]
    key = re.compile(r"neither|\bno\b|\bnot\b|exchanged|inverted|printed =|opposite sign|limit|Joffrin|"
                     r"reproduce|smallness")
    keep = {i for i, c in enumerate(clauses) if key.search(c)} or {0}
    keep.add(0)
    for i, c in enumerate(clauses):
        if sum(len(clauses[j]) for j in keep) + len(c) <= 300:
            keep.add(i)
    t = "; ".join(clauses[i] for i in sorted(keep)).rstrip(".,;:")
    return t[:420] + ("…" if len(t) > 420 else "")
