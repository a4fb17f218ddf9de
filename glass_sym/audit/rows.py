r"""One audit row per printed equation: the audit's findings grouped, classified and explained.

:func:`glass_sym.audit.printed.audit_all` returns one :class:`~glass_sym.audit.printed.Finding` per compared *part* (a display
such as (A.19) gives up to six).  This module groups them by (paper version, label) into one row each, with the
parts nested, runs the forensic search (:mod:`glass_sym.audit.forensics`) on every part that differs, and computes one
class per part and per row by the documented rule below (docs/forensics.md).  It works on any finding the audit
produces (derived comparisons, consistency, claims, Table 1 fits and numeric records), so new kinds of record
slot in without changes here.

Classes (worst first, the row takes the worst class of its checked parts)
--------------------------------------------------------------------------
``error``
    printed and derived differ and no benign explanation below applies (the fitting hypotheses, if any, say
    what the printed form is; otherwise "no hypothesis in the searched space fits").
``convention-or-prefactor``
    equal only as contracted with symmetric stresses (``match-symmetrized``), equal up to the printed
    normalization of a q-sum, or differing by one overall factor that contains a dimensional quantity (rho,
    pi, a sound speed squared ...) that the printed line leaves out.
``extraction-artefact``
    a repair of a kind text extraction produces (:func:`glass_sym.audit.forensics.text_repairs`) makes the printed
    text equal to the derived form exactly, *and* the other paper version's copy of the same quantity, as
    printed, equals the derived form.  Both conditions are computed; a repair that fits without a confirming
    copy leaves the class ``error`` (a typo of the paper, explained by the repair).
``rounding``
    a printed number (slope, r, ...) is off beyond half a unit of its last digit, but the computed value
    rounded or truncated to the printed digits gives the printed number (which one is said).
``quotation``
    the printed line quotes another work's published form (``quotes`` in the transcription, e.g. Joffrin and
    Levelut's kernel), it differs from the engine's form, and the difference is one the paper itself states in
    prose claims that the audit confirms (no claim about the quoted quantity classed ``error``): data, not an
    error of the paper.
``verified``
    equal component by component (modulo n.n = 1), or a number within half a unit of its last printed digit.
``unchecked``
    not compared (no derived closed form yet, or the printed text could not be read); only when every part is.

>>> rank_class(["verified", "rounding", "unchecked"])
'rounding'
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from glass_sym import derivations, worker
from glass_sym.errors import GlassSymError
from glass_sym.paper.transcriptions import VERSIONS, load_equations, load_relations
from glass_sym.records import cache

from .classes import CLASSES, classify_fit, rank_class

__all__ = ["CLASSES", "SCHEMA_VERSION", "row_id", "part_id", "audit_rows", "worker_tasks", "rank_class", "classify_fit",
           "investigate", "physicist_text", "step_id", "user_forensics"]

#: audit JSON schema (docs/json.md)
SCHEMA_VERSION = "glass-sym/audit/3"

_CACHE_NAME = "forensics"


def row_id(version: str, label: str) -> str:
    """Stable id of an audit row: ``audit:<version>:<label>`` (label without parentheses)."""
    return f"audit:{version}:{label.replace(' ', '_')}"


def step_id(chain: str, step: str) -> str:
    """Stable id of a derivation step: ``step:<chain>/<step name>``."""
    return f"step:{chain}/{step}"


def part_id(f: dict) -> str:
    """Stable id of one part: the row id, then what it compares (defines[part], claim n, fit id, consistency)."""
    d = f.get("details") or {}
    base = row_id(f["version"], f["label"])
    check = d.get("check")
    if check == "claim":
        return f"{base}/claim-{d.get('item')}"
    if check == "fit":
        return f"{base}/fit-{d.get('fit')}"
    what = d.get("defines") or d.get("quantity") or d.get("name") or "value"
    if d.get("part"):
        what += f"[{d['part']}]"
    if check == "consistency":
        what += "/consistency"
    elif check not in (None, "derived"):
        what += f"/{check}"
    return f"{base}/{what}"


#: "appendix-b/b5_angular_averages (" in the audit's compared_in text
_STEP_REF = re.compile(r"(?:^|; )([a-z0-9-]+/[A-Za-z0-9_]+) \(")
_POSITION = re.compile(r"at position \d+ \(line \d+, col \d+\):\s*")


def physicist_text(text: str) -> str:
    """An explanation without the parser's positions (``at position 152 (line 1, col 153): ``)."""
    return _POSITION.sub("", text).strip()


# ------------------------------------------------------------------------------- work beside
def worker_tasks() -> list:
    """Tasks for :func:`glass_sym.worker.beside` while the main process runs the whole-paper audit
    (``audit_all`` then :func:`audit_rows`): the derivation chains of
    :data:`~glass_sym.records.derivation.WORKER_CHAINS`, the mpmath confirmations of the numeric records and the
    JL-kernel (B.5) averages of the forensics, in the order the audit needs them; each only when this process and
    the cache do not hold it already.  The main process reads each result as it reads the cache entry of the same
    name and recomputes every comparison."""
    # lazy: start-up time (this module is imported without SymPy)
    from glass_sym.records.derivation import chain_tasks

    from . import forensics_b5, numeric  # lazy: start-up time (this module is imported without SymPy)

    return chain_tasks() + numeric.worker_tasks() + forensics_b5.worker_tasks()


# ------------------------------------------------------------------------------- forensics glue
def _equation_of(f: dict, merged: list):
    d = f.get("details") or {}
    for e in merged:
        if e.defines == d.get("defines") and (e.part or None) == (d.get("part") or None) and e.label == f["label"]:
            return e
    return None


def investigate(findings: Sequence, *, use_cache: bool | None = None) -> dict[str, dict]:
    """Forensic search for every derived-comparison part that differs: part id -> result.

    A result is ``{"fits": [...], "conclusion": str, "searched": [family keys], "other_copies": [...],
    "other_copy_agrees": bool}``.  Results are cached with the derivations (:mod:`glass_sym.records.cache`, same source
    key and HMAC integrity check, entry ``forensics``), so a warm run does not repeat the search.
    """
    dicts = [f if isinstance(f, dict) else f.as_dict() for f in findings]
    todo = [f for f in dicts if f["status"] in ("differs",) and
            ((f.get("details") or {}).get("check") == "derived" or "pieces" in (f.get("details") or {}))]
    ids = sorted({part_id(f) for f in todo})
    if not ids:  # nothing differs: no search (and no derived value to build for one)
        return {}
    use = cache.enabled() if use_cache is None else use_cache
    if use:
        payload = cache.load(_CACHE_NAME)
        if isinstance(payload, dict) and payload.get("schema") == _schema() and sorted(payload.get("results", {})) == ids:
            return payload["results"]
    matched = {(f["version"], f["label"], (f.get("details") or {}).get("defines"), (f.get("details") or {}).get("part"))
               for f in dicts if f["status"] == "match" and (f.get("details") or {}).get("check") == "derived"}
    results = _investigate(todo, matched)
    if use:
        cache.store(_CACHE_NAME, {"schema": _schema(), "results": results})
    return results


def _schema() -> str:
    from .forensics import SCHEMA  # lazy: keeps start-up light (this module is imported without SymPy)

    return SCHEMA


def _investigate(todo: list[dict], matched: set = frozenset()) -> dict[str, dict]:
    # lazy: start-up time (this module is imported without SymPy; the search needs the whole audit engine)
    from .forensics import FAMILIES, conclusion, search
    # lazy: start-up time (this module is imported without SymPy)
    from .printed import (_ENGINE_FORMS, AuditContext, _against, _apply_relations, _measure_kind, _merge_terms,
                          _parse_relations, _tag)

    ctx = AuditContext()
    eqs = {v: load_equations(v) for v in VERSIONS}
    merged = {v: _merge_terms(eqs[v]) for v in VERSIONS}
    rels = {v: _parse_relations(load_relations(v)) for v in VERSIONS}
    related: dict[str, Any] = {}
    for name in sorted(set(derivations.PROVIDES) | set(_ENGINE_FORMS)):
        try:
            related[name] = ctx.derived(name)
        except GlassSymError:
            continue

    def value(e, version):
        derived = ctx.derived(_against(e))
        p = ctx.printed(e, derived_refs=True, equations=eqs[version])
        return _apply_relations(p, derived, rels[version])[0]

    def one(f: dict) -> tuple[str, dict] | None:
        """The forensic result of one differing part (JSON), or None."""
        pid = part_id(f)
        d = f.get("details") or {}
        if "pieces" in d:  # a numeric record with its squared amplitudes: family (vi)
            r = _pieces_forensics(d)
            return None if r is None else (pid, r)
        if f["version"] not in merged:  # a user's expression: see user_forensics
            return None
        e = _equation_of(f, merged[f["version"]])
        if e is None:
            return None
        against = _against(e)
        derived = ctx.derived(against)
        if derived is None:
            return None
        try:
            printed = value(e, f["version"])
        except GlassSymError:
            printed = None
        others, agrees = [], False
        from .forensics import equal_exactly  # lazy: keeps start-up light (this module is imported without SymPy)

        for v in VERSIONS:
            if v == e.version:
                continue
            for o in merged[v]:
                if o.defines != e.defines or _against(o) != against or _measure_kind(o) != _measure_kind(e):
                    continue
                whole = (o.part or None) in (None, "tilde", "prefactor", "definition", "regulated") or \
                    type(o).__name__ == "_Merged"
                if not whole and (o.part or None) != (e.part or None):
                    continue
                try:
                    ov = value(o, v)
                except GlassSymError:
                    continue
                tag = f"{_tag(o)} of the {v}"
                ok = (v, o.label, o.defines, o.part) in matched or equal_exactly(ov, derived)
                agrees = agrees or ok
                others.append((tag, ov, ok))
        repairs = []
        if getattr(e, "latex", ""):
            for field in ("latex", "prefactor"):
                text = getattr(e, field, None)
                if not text:
                    continue
                # lazy: keeps start-up light (this module is imported without SymPy)
                from .forensics import text_repairs

                for what, new in text_repairs(text):
                    e2 = dataclasses.replace(e, **{field: new})

                    def thunk(e2=e2, version=f["version"]):
                        p = ctx._printed(e2, True, eqs[version])
                        return _apply_relations(p, derived, rels[version])[0]

                    where = "" if field == "latex" else " (in the prefactor)"
                    repairs.append((what + where, thunk))
        fits = search(printed, derived, against=against, others=[(t, v) for t, v, _ in others],
                      related=related, repairs=repairs)
        return pid, {"fits": fits, "conclusion": conclusion(fits), "searched": list(FAMILIES),
                     "other_copies": [{"copy": t, "equals_derived": ok} for t, _, ok in others],
                     "other_copy_agrees": agrees, "printed_readable": printed is not None}

    # the searches are independent: shared with a worker process on a multi-core machine (glass_sym.worker)
    found = worker.split(len(todo), lambda i: one(todo[i]))
    return {pid: r for pid, r in (x for x in found if x is not None)}


def _rational(text) -> Any:
    """An exact rational from a record's number ('94/53', '8', 1.25): Fraction parsing, never evaluation."""
    import sympy as sp  # lazy: start-up time (loaded only when this function runs)

    return sp.Rational(Fraction(str(text)))


def _pieces_forensics(d: dict) -> dict | None:
    """Family (vi) for a numeric record: ``details`` with ``printed_value`` and ``pieces`` {name: value}
    (rational numbers or their strings), optionally ``full`` (the squared sum with interference)."""
    # lazy: start-up time (this module is imported without SymPy)
    from .forensics import (FAMILIES, conclusion,  # lazy: keeps start-up light (this module is imported without SymPy)
                            search_pieces)

    try:
        printed = _rational(d["printed_value"])
        pieces = {str(k): _rational(v) for k, v in dict(d["pieces"]).items()}
        full = _rational(d["full"]) if d.get("full") is not None else None
    except (KeyError, ValueError, TypeError, ZeroDivisionError):
        return None
    fits = search_pieces(printed, pieces, full)
    return {"fits": fits, "conclusion": conclusion(fits), "searched": ["interference"], "other_copies": [],
            "other_copy_agrees": False, "printed_readable": True, "families_known": list(FAMILIES)}


# ------------------------------------------------------------------------------- classification
_DIMENSIONAL = ("prefactor",)


def _classify(f: dict, forensic: dict | None) -> tuple[str, str]:
    status = f["status"]
    d = f.get("details") or {}
    expl = physicist_text(f.get("explanation", ""))
    check = d.get("check")
    if check == "fit":
        return classify_fit(d)
    if check == "claim" and status == "differs" and d.get("holds_in_combination"):
        return "convention-or-prefactor", expl + " (caveat: ambiguous wording)"
    if status == "match":
        if d.get("normalization"):
            return "convention-or-prefactor", expl
        return "verified", expl
    if status == "match-symmetrized":
        return "convention-or-prefactor", expl + " (holds as contracted with symmetric stresses, not component-wise)"
    if status in ("not-derived", "unparsed"):
        where = _STEP_REF.findall(d.get("compared_in") or "")
        if where:
            return "unchecked", (f"not compared in the audit (no derived closed form for {d.get('defines')!r}); the "
                                 f"printed numbers are compared only in derivation step {', '.join(where)}")
        return "unchecked", expl
    if forensic is None:
        return "error", expl
    fits = forensic.get("fits", [])
    repair_fits = [x for x in fits if x["family"] == "extraction" and x.get("factor") == "1"]
    if repair_fits and forensic.get("other_copy_agrees"):
        copies = ", ".join(c["copy"] for c in forensic.get("other_copies", []) if c["equals_derived"])
        return "extraction-artefact", (f"printed = derived once {repair_fits[0]['repair']}; the other version's "
                                       f"copy {copies} prints the derived form (limitation: without the PDF an "
                                       f"extraction slip and a typo of this version cannot be told apart)")
    pref = [x for x in fits if x["family"] == "sign-or-factor" and x.get("kind") in _DIMENSIONAL]
    if pref:
        return "convention-or-prefactor", pref[0]["hypothesis"] + " (a prefactor the printed line leaves out)"
    return "error", forensic.get("conclusion") or expl


def user_forensics(latex: str, against: str, finding) -> dict[str, dict]:
    """Forensic search for a user's typed right-hand side (``audit --latex TEX --against NAME``) that differs:
    {part id: result}, empty when it matches."""
    # lazy: start-up time (this module is imported without SymPy)
    from .forensics import (FAMILIES, conclusion,  # lazy: keeps start-up light (this module is imported without SymPy)
                            search, text_repairs)
    # lazy: start-up time (this module is imported without SymPy)
    from .printed import (_ENGINE_FORMS, _parse,  # lazy: keeps start-up light (this module is imported without SymPy)
                          _tensors, derived_value)

    f = finding if isinstance(finding, dict) else finding.as_dict()
    if f["status"] != "differs":
        return {}
    derived = derived_value(against)
    tensors = _tensors(against, derived=True)
    try:
        printed = _parse(latex, tensors)
    except GlassSymError:
        printed = None
    related = {}
    for name in sorted(set(derivations.PROVIDES) | set(_ENGINE_FORMS)):
        try:
            related[name] = derived_value(name)
        except GlassSymError:
            continue
    repairs = [(what, (lambda t=new: _parse(t, tensors))) for what, new in text_repairs(latex)]
    fits = search(printed, derived, against=against, related=related, repairs=repairs)
    return {part_id(f): {"fits": fits, "conclusion": conclusion(fits), "searched": list(FAMILIES),
                         "other_copies": [], "other_copy_agrees": False, "printed_readable": printed is not None}}


def audit_rows(findings: Sequence | None = None, *, forensics: bool = True,
               use_cache: bool | None = None, extra_forensics: dict | None = None) -> list[dict[str, Any]]:
    """One record per (version, label), in the audit's order, each with nested ``parts`` and a ``class``.

    Record fields: ``id``, ``label``, ``version``, ``class``, ``explanation`` (the worst part's, in words),
    ``parts`` (each: ``id``, ``status``, ``class``, ``explanation``, ``what``, ``details`` and, for parts that
    differ, ``forensics``), ``refs`` (derivation steps the parts compare with).
    """
    from .printed import audit_all  # lazy: keeps start-up light (this module is imported without SymPy)

    if findings is None:
        findings = audit_all()
    dicts = [f if isinstance(f, dict) else f.as_dict() for f in findings]
    foren = investigate(dicts, use_cache=use_cache) if forensics else {}
    foren = {**foren, **(extra_forensics or {})}
    steps = _step_refs()
    rows: dict[tuple, dict] = {}
    derived_class: dict[tuple, tuple[str, str]] = {}
    parts: list[tuple[tuple, dict]] = []
    for f in dicts:
        d = f.get("details") or {}
        pid = part_id(f)
        cls, why = _classify(f, foren.get(pid))
        part = {"id": pid, "what": _what(f), "status": f["status"], "class": cls, "explanation": why,
                "audit_explanation": physicist_text(f.get("explanation", "")), "details": d}
        if pid in foren:
            part["forensics"] = foren[pid]
        elif d.get("check") == "fit" and cls == "error":
            from .forensics_fit import fit_forensics  # lazy: start-up time (this module is imported without SymPy)

            part["forensics"] = fit_forensics(d["fit"])
            fits = part["forensics"]["fits"]
            part["explanation"] = why = why + ("; " + fits[0]["hypothesis"] if fits else
                                               "; no hypothesis in the searched space fits")
        elif d.get("against") == "b5_angular_averages" and f["status"] == "differs" and \
                (b5 := _b5(f["version"], d)) is not None:
            part["forensics"] = b5
            if b5["fits"]:
                part["explanation"] = why = b5["fits"][0]["hypothesis"]
        elif f["status"] in ("differs", "inconsistent", "match-symmetrized") or cls in ("error", "rounding"):
            part["forensics"] = _outside(d, f["status"])
        ref = steps.get(d.get("against") if isinstance(d.get("against"), str) else None)
        refs = [ref] if ref else []
        refs += ["step:" + w for w in _STEP_REF.findall(d.get("compared_in") or "")]
        part["refs"] = refs
        key = (f["version"], f["label"])
        if check_is_derived(d):
            derived_class[(key, d.get("defines"), d.get("part"))] = (cls, why)
        parts.append((key, part))
    _quotations(parts)
    for key, part in parts:
        d = part["details"]
        if d.get("check") == "consistency":
            inherited = derived_class.get((key, d.get("defines"), d.get("part")))
            if inherited:
                part["class"] = inherited[0]
                part["explanation"] += f" (this statement: {inherited[1]})"
        row = rows.setdefault(key, {"id": row_id(*key), "label": key[1], "version": key[0], "parts": []})
        row["parts"].append(part)
    out = []
    for row in rows.values():
        cls = rank_class([p["class"] for p in row["parts"]])
        worst = next(p for p in row["parts"] if p["class"] == cls)
        n = len(row["parts"])
        counts = {}
        for p in row["parts"]:
            counts[p["class"]] = counts.get(p["class"], 0) + 1
        tally = ", ".join(f"{counts[c]} {c}" for c in CLASSES if c in counts)
        row["class"] = cls
        row["explanation"] = f"{worst['what']}: {worst['explanation']}" + (f" ({n} parts: {tally})" if n > 1 else "")
        row["unchecked_parts"] = counts.get("unchecked", 0) if cls != "unchecked" else 0
        if row["unchecked_parts"] and cls == "verified":
            row["explanation"] += (f"; caveat: {row['unchecked_parts']} part(s) not compared, so the equation is "
                                   f"verified only in the parts compared")
        row["refs"] = sorted({r for p in row["parts"] for r in p["refs"]})
        out.append({k: row[k] for k in ("id", "label", "version", "class", "explanation", "unchecked_parts", "refs",
                                        "parts")})
    return out


def _b5(version: str, d: dict) -> dict | None:
    from .forensics_b5 import b5_forensics  # lazy: keeps start-up light (this module is imported without SymPy)

    try:
        return b5_forensics(version, d)
    except GlassSymError:
        return None


def _outside(d: dict, status: str) -> dict:
    """The forensic record of a discrepancy the symbolic search does not apply to, saying so and why."""
    check = d.get("check")
    if check in ("numeric",) or "printed_value" in d:
        why = "numeric record: outside the symbolic hypothesis space (the search compares exact closed forms)"
    elif check == "claim":
        why = ("a prose statement of a factor: the computed factor is the finding; outside the symbolic "
               "hypothesis space")
    elif check == "fit":
        why = "explained by rounding of the printed digits; no hypothesis search needed"
    elif check == "consistency":
        why = "two printed statements of the same quantity compared with each other; each is searched in its own part"
    elif status == "match-symmetrized":
        why = "equal as contracted with symmetric stresses: a convention, not searched"
    else:
        why = ("the search did not apply (no readable printed form or no derived form to compare with); "
               "no hypothesis in the searched space fits")
    return {"fits": [], "conclusion": why, "searched": [], "other_copies": [], "other_copy_agrees": False,
            "printed_readable": None}


def _quoted() -> dict[tuple, str]:
    """(version, label, defines, part) -> the work the printed line quotes (``quotes`` of the transcription)."""
    return {(e.version, e.label, e.defines, e.part): e.quotes for e in load_equations() if e.quotes}


def _quotations(parts: list[tuple[tuple, dict]]) -> None:
    """Re-class differing parts that quote another work: ``quotation`` when the paper's own prose claims about
    the quoted quantity are confirmed (none ``error``, at least one compared), else they stay as they are."""
    quoted = _quoted()
    claims: dict[str, list[dict]] = {}
    for key, part in parts:
        d = part["details"]
        if d.get("check") == "claim" and d.get("theirs"):
            claims.setdefault(key[0], []).append(part)
    for key, part in parts:
        d = part["details"]
        who = quoted.get((key[0], key[1], d.get("defines"), d.get("part")))
        if not who or not check_is_derived(d) or part["status"] != "differs":
            continue
        base = str(d.get("defines"))
        mine = [c for c in claims.get(key[0], []) if base.startswith(str(c["details"]["theirs"]))
                or str(c["details"]["theirs"]).startswith(base)]
        checked = [c for c in mine if c["class"] != "unchecked"]
        if not checked or any(c["class"] == "error" for c in checked):
            continue
        factors = ", ".join(f"claim {c['details'].get('item')} ({c['details'].get('about')})" for c in checked)
        from .forensics_quote import part_factors  # lazy: keeps start-up light (this module is imported without SymPy)

        pf = part_factors(key[0], key[1], str(d.get("defines")), d.get("part"))
        how = pf["text"] if pf else part["explanation"]
        if pf and isinstance(part.get("forensics"), dict):
            part["forensics"] = {**part["forensics"], "part_factors": pf,
                                 "conclusion": pf["text"] + "; " + str(part["forensics"].get("conclusion", ""))}
        part["class"] = "quotation"
        part["explanation"] = (f"quotes {who}'s published form, which differs from the derived one ({how}); the "
                               f"paper states this difference itself, and its statements are confirmed: {factors}")


def check_is_derived(d: dict) -> bool:
    return d.get("check") in (None, "derived")


def _what(f: dict) -> str:
    d = f.get("details") or {}
    check = d.get("check")
    if check == "claim":
        return f"prose claim {d.get('item')} ({d.get('about')})"
    if check == "fit":
        return f"fit {d.get('fit')}"
    name = d.get("defines") or d.get("quantity") or "value"
    part = f" [{d['part']}]" if d.get("part") else ""
    if check == "consistency":
        return f"{name}{part} vs the same paper's other statement"
    return f"{name}{part}"


def _step_refs() -> dict[str, str]:
    """closed-form name -> step id of the step that registered it (built chains only)."""
    # lazy: start-up time (this module is imported without SymPy)
    from glass_sym.records.derivation import (  # lazy: keeps start-up light (this module is imported without SymPy)
        build, chains)

    out = {}
    for chain in chains():
        try:
            d = build(chain)
        except GlassSymError:
            continue
        for name, cf in d.closed_forms.items():
            out[name] = step_id(chain, cf.step.name)
    return out
