r"""Audit of printed equations against the derived closed forms: findings, computed, never encoded.

For every transcribed equation (:mod:`glass_sym.paper.transcriptions`) the printed right-hand side is parsed
(:mod:`glass_sym.parse.parser`) and compared with the registered closed form of the quantity it defines
(:func:`glass_sym.records.derivation.get`):

* component-wise modulo n.n = 1 (the difference tensor, every component in canonical form);
* if that fails, after symmetrization in (ij) and (kl), i.e. as contracted with symmetric stresses;
* structure by structure (:mod:`glass_sym.algebra.structures`): which structure differs, by what factor, which are
  missing or extra, whether the whole difference is one overall factor, a sign or a renaming c_t <-> c_l.

alpha = 1 - c_t^2/c_l^2 is identified on both sides.  Relations the text states between printed symbols
(``[[relation]]`` in the transcriptions, e.g. preprint N m / a^3 = rho after (A3)) are applied to the printed
side first, and the finding says which one was used.  Printed calculus (q-integrals, x-derivatives,
lambda -> 0) is evaluated by :mod:`glass_sym.parse.calculus`; the regulated (lambda-dependent) forms (A.16) are
compared with the Fourier engine's regulated values (``f1_regulated``, ``f2_regulated``).  Then statements of the same quantity within one
paper version are compared with each other (``inconsistent``), the prose claims about the Joffrin–Levelut
factors are recomputed, and the Table 1 fits are taken from :mod:`glass_sym.paper.table1`.

Statuses: ``match``, ``match-symmetrized``, ``differs``, ``inconsistent``, ``not-derived`` (no registered
closed form for that quantity yet) and ``unparsed`` (the printed LaTeX could not be read; a limitation of
the parser or transcription, never a verdict on the paper).

The comparison of one printed value with one derived value is :mod:`glass_sym.audit.compare` (re-exported
here); this module drives it over both paper versions, the claims and the fits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from glass_sym.algebra.indexnotation import IndexExpr
from glass_sym.algebra.structures import decompose_index, diff_structures, expand_alpha, pretty, symmetrize_index
from glass_sym.errors import DivergentExpressionError, GlassSymError, InputError, ParseError, UnknownTensorError
from glass_sym.paper import table1
from glass_sym.paper.transcriptions import VERSIONS, load_claims, load_equations, load_relations
from glass_sym.parse.parser import parse_latex, parse_measure, phase_kind, split_equations
from glass_sym.records.named_forms import _ENGINE_FORMS
from glass_sym.symbols import SCALAR_SYMBOLS, q

from . import display_cache
from .averages import AVERAGE_FORMS, audit_average
# the comparison engine; STATUSES, Finding, audit_expressions, derived_value, known_forms, resolve_form re-exported
from .compare import (_NOTATION, _PART_FORMS, _WHOLE_PARTS, STATUSES, Finding, _align, _differing_components, _expand,
                      _pairs, _rank, audit_expressions, derived_value, known_forms, parse_error_status, resolve_form)
from .numeric import merge_records  # computed records for sections 2-4, (C.24), (C.25) (issue 12)
from .parse_cache import flush, parsed
from .typed import audit_typed, split_typed

__all__ = ["STATUSES", "Finding", "audit_expressions", "audit_equation", "audit_all", "derived_value",
           "AuditContext", "known_forms", "resolve_form"]

def audit_equation(latex: str, against: str | None, indices: Sequence[str] | None = None, *,
                   label: str = "user", version: str = "user") -> Finding:
    r"""Audit a user's LaTeX right-hand side against the registered closed form ``against``.

    ``indices``: the order of the printed free indices, mapped position by position onto the derived form's
    indices (default: same letters, else alphabetical order).  Named tensors ``\tilde\Lambda`` may appear
    and stand for the derived forms.  Raises :class:`InputError` for an unknown name or a rank mismatch and
    :class:`ParseError` for unreadable LaTeX.

    >>> audit_equation(r"\frac{1}{4\pi x^3}(\delta_{jl} - 3 n_j n_l)", "f2").status
    'match'

    A whole equation ``LHS = RHS`` is audited against the form its left side names
    (:func:`glass_sym.audit.typed.audit_typed`, which also takes declared vectors and scalars).
    """
    if split_typed(latex)[0] is not None or against is None:
        return audit_typed(latex, against, indices, label=label, version=version)
    value = resolve_form(against)
    printed = _parse(latex, _tensors(against, derived=True))
    return audit_expressions(printed, value, label=label, version=version, against=against, indices=indices)


def _tensors(defines: str, *, derived: bool, printed_lookup=None) -> dict:
    out = {}
    jl = "_jl" in defines
    for key, name in _NOTATION.items():
        if jl:
            name = name.replace("lambda_tilde", "lambda_tilde_jl")
        if derived:
            v = derived_value(name)
        else:
            v = printed_lookup(name) if printed_lookup else None
        if v is not None:
            out[key] = v
    return out


def _parse(latex: str, tensors: dict):
    if tensors:
        return parse_latex(latex, tensors=tensors)
    return parsed(latex, lambda: parse_latex(latex, tensors=None))


# ------------------------------------------------------------------------------- the whole audit
def audit_all(versions: Sequence[str] | None = None, *, claims: bool = True, fits: bool = True) -> list[Finding]:
    """Audit every transcribed equation, the internal consistency, the prose claims and the Table 1 fits.

    Order is deterministic: per version (journal first) the equations in file order, then the consistency
    findings, then the claims; the fits last.
    """
    display_cache.load()  # display texts of coefficients (verified cache; the comparisons are recomputed)
    ctx = AuditContext()
    out: list[Finding] = []
    for v in (versions or list(VERSIONS)):
        out.extend(ctx.audit_version(v, claims=claims))
    if fits:
        out.extend(_audit_fits(versions))

    flush()  # parsed transcriptions into the on-disk cache
    display_cache.flush()
    return merge_records(out, versions)


class AuditContext:
    """Caches parsed and derived values within one audit run."""

    def __init__(self):
        self._parsed: dict = {}
        self._derived: dict = {}

    def derived(self, name: str):
        if name not in self._derived:
            self._derived[name] = derived_value(name)
        return self._derived[name]

    # ---------------------------------------------------------------- printed values
    def printed(self, e, *, derived_refs: bool, equations=None):
        """Value stated by equation ``e`` (prefactor x summand for q-sums; q -> q qhat), cached."""
        key = (e.version, e.key, derived_refs)
        if key not in self._parsed:
            try:
                self._parsed[key] = self._printed(e, derived_refs, equations)
            except GlassSymError as exc:
                self._parsed[key] = exc
        v = self._parsed[key]
        if isinstance(v, GlassSymError):
            raise v
        return v

    def _printed(self, e, derived_refs, equations):
        if isinstance(e, _Merged):
            total = None
            for x in e.members:
                v = self.printed(x, derived_refs=derived_refs, equations=equations)
                if total is None:
                    total = v
                else:
                    total = total + (v.reorder(total.indices) if isinstance(v, IndexExpr) else v)
            return total

        def lookup(name):
            cands = [x for x in (equations or []) if x.defines == name and x.latex and not _refers(x.latex)]
            same = [x for x in cands if x.label == e.label]
            for x in same + cands:
                try:
                    return self.printed(x, derived_refs=False, equations=equations)
                except GlassSymError:
                    continue
            return None

        if not _refers(e.latex):
            tensors = {}
        elif derived_refs:
            tensors = _tensors(e.defines, derived=True)
        else:
            tensors = _tensors(e.defines, derived=False, printed_lookup=lookup)
        value = _parse(e.latex, tensors)
        if e.measure:
            value = _q_to_qhat(value)
            if e.prefactor:
                value = value * _parse(e.prefactor, {})
        return value

    # ---------------------------------------------------------------- one version
    def audit_version(self, version: str, *, claims: bool = True) -> list[Finding]:
        eqs = load_equations(version)
        relations = _parse_relations(load_relations(version))
        out = []
        for e in _merge_terms(eqs):
            out.append(self.audit_printed(e, eqs, relations))
        out.extend(self.consistency(eqs))
        if claims:
            claims = load_claims(version)
            found = [self.audit_claim(c, eqs, claims) for c in claims]
            _compose_claims(claims, found)
            out.extend(found)
        return out

    def audit_printed(self, e, eqs, relations=()) -> Finding:
        base = {"check": "derived", "defines": e.defines, "part": e.part, "source_line": e.source_line}
        if e.defines in AVERAGE_FORMS:  # printed numbers of (B.5), (D.6) against the derived averages
            averages = self.derived(AVERAGE_FORMS[e.defines])
            if averages is not None:
                return audit_average(e, eqs, averages, Finding)
        against = _against(e)
        derived = self.derived(against)
        if derived is None:
            return Finding(e.label, e.version, "not-derived", f"no registered closed form for {against!r} yet", base)
        try:
            # a split (part 1 + part 2) sums the *printed* parts: with the engine's parts it would compare the
            # engine's sum with itself, a check that cannot fail
            printed = self.printed(e, derived_refs=e.part != "split", equations=eqs)
        except ParseError as exc:  # classified by type (glass_sym.errors), never by message text
            msg = str(exc)
            if e.part == "split" and isinstance(exc, UnknownTensorError):
                return Finding(e.label, e.version, "not-derived",
                               "the sum of the printed parts cannot be formed: a part as printed is not readable "
                               "(its own part of this row says why)", {**base, "against": against})
            status, text = parse_error_status(exc)
            extra = {"against": against} if isinstance(exc, DivergentExpressionError) else {}
            return Finding(e.label, e.version, status, text, {**base, **extra, "parse_error": msg})
        printed, used = _apply_relations(printed, derived, relations)
        try:
            foreign = _foreign(printed, derived) if e.measure else frozenset()
            f = audit_expressions(printed, derived, label=e.label, version=e.version, against=against,
                                  foreign=foreign)
        except InputError as exc:
            return Finding(e.label, e.version, "differs", f"cannot be compared with {against}: {exc}",
                           {**base, "error": str(exc)})
        f.details = {**base, **f.details}
        if used:
            f.details["relations"] = used
            f.explanation += "; using " + ", ".join(u["relation"] for u in used)
        if e.measure:
            first = e.members[0] if isinstance(e, _Merged) else e
            f.details["measure"] = first.measure
            f.details["measure_kind"] = _measure_kind(e) or None
            f.details["phase"] = first.phase
            f.details["phase_kind"] = _phase_kind(first.phase)
            f.details["summand_even_in_q"] = _even_in_qhat(derived)
        return f

    # ---------------------------------------------------------------- internal consistency
    def consistency(self, eqs) -> list[Finding]:
        groups: dict[tuple, list] = {}
        for e in _merge_terms(eqs):
            if e.part in _WHOLE_PARTS or isinstance(e, _Merged):
                groups.setdefault((e.defines, _measure_kind(e)), []).append(e)
        out = []
        for (name, _), members in groups.items():
            vals = []
            for e in members:
                try:
                    vals.append((e, _expand(self.printed(e, derived_refs=False, equations=eqs))))
                except GlassSymError:
                    continue
            if len(vals) < 2:
                continue
            classes: list[list] = []
            for e, v in vals:
                for cl in classes:
                    if _rank(cl[0][1]) == _rank(v) and _consistent(cl[0][1], v):
                        cl.append((e, v))
                        break
                else:
                    classes.append([(e, v)])
            if len(classes) == 1:
                continue
            derived = self.derived(name)

            def agrees(cl):
                try:
                    return derived is not None and _rank(derived) == _rank(cl[0][1]) and \
                        _consistent(_align(cl[0][1], derived), _expand(derived))
                except GlassSymError:
                    return False

            ref = max(classes, key=lambda cl: (len(cl), agrees(cl), -min(x[0].source_line for x in cl)))
            ref_labels = ", ".join(_tag(x[0]) for x in ref)
            for cl in classes:
                if cl is ref:
                    continue
                for e, v in cl:
                    rv = ref[0][1]
                    details = {"check": "consistency", "defines": name, "part": e.part, "source_line": e.source_line,
                               "against": [_tag(x[0]) for x in ref]}
                    try:
                        sub = audit_expressions(v, rv, label=e.label, version=e.version, against=ref_labels)
                        details.update({k: sub.details[k] for k in ("structures", "overall_factor", "renaming")
                                        if k in sub.details})
                        why = sub.explanation.replace("derived with", "the other statement with")
                    except InputError as exc:
                        why = str(exc)
                    out.append(Finding(e.label, e.version, "inconsistent",
                                       f"{_tag(e)} states {name} differently from {ref_labels}: {why}", details))
        return out

    # ---------------------------------------------------------------- prose claims
    def audit_claim(self, c, eqs, claims=()) -> Finding:
        details: dict[str, Any] = {"check": "claim", "item": c.item, "about": c.about, "ours": c.ours,
                                   "theirs": c.theirs, "printed_factor": c.factor, "source_line": c.source_line,
                                   "relation": "ours = factor * theirs"}
        ours = self.derived(c.ours) if c.ours else None
        theirs_eq = [e for e in _merge_terms(eqs) if e.defines == c.theirs and e.part != "split"]
        if ours is None or not theirs_eq:
            return Finding(c.label, c.version, "not-derived",
                           f"claim {c.item} ({c.about}): no derived {c.ours!r} or printed {c.theirs!r} to compare",
                           details)
        try:
            theirs = _align(self.printed(theirs_eq[0], derived_refs=True, equations=eqs), ours)
        except GlassSymError as exc:
            return Finding(c.label, c.version, "unparsed", f"claim {c.item}: printed {c.theirs} not readable: {exc}",
                           details)
        details["theirs_equation"] = _tag(theirs_eq[0])
        comp = diff_structures(decompose_index(ours), decompose_index(theirs))
        pairs = _pairs(_rank(ours))
        sym = diff_structures(decompose_index(symmetrize_index(ours, pairs)),
                              decompose_index(symmetrize_index(theirs, pairs))) if pairs else comp
        fc, fs = comp.overall_factor, sym.overall_factor
        details["factor_componentwise"] = None if fc is None else pretty(fc)
        details["factor_symmetrized"] = None if fs is None else pretty(fs)
        # diff_structures names its sides printed/derived; here the first side is ours (derived), the second
        # the printed Joffrin-Levelut form: relabel the columns so that they say which is which
        details["structures"] = _ours_theirs(comp.rows)
        details["structures_symmetrized"] = _ours_theirs(sym.rows)
        if c.factor is None:
            n_ours = len(decompose_index(ours))
            n_theirs = len(decompose_index(theirs))
            details.update(structures_ours=n_ours, structures_theirs=n_theirs)
            holds = fc is None and fs is not None
            expl = (f"claim {c.item} ({c.about}): ours has {n_ours} structures, theirs {n_theirs}; "
                    f"component-wise factor {details['factor_componentwise']}, "
                    f"symmetrized factor {details['factor_symmetrized']}")
            return Finding(c.label, c.version, "match" if holds else "differs", expl, details)
        theirs_derived = self.derived(c.theirs)
        if theirs_derived is not None:
            dd = diff_structures(decompose_index(symmetrize_index(ours, pairs) if pairs else ours),
                                 decompose_index(symmetrize_index(theirs_derived, pairs) if pairs else theirs_derived))
            details["factor_vs_derived_theirs_symmetrized"] = None if dd.overall_factor is None else \
                pretty(dd.overall_factor)
        want = sp.Rational(c.factor)
        base = next((b for b in claims if b.label == c.label and b.item == c.builds_on and b.factor), None) \
            if c.builds_on else None
        if base is not None:  # as worded, this statement adds to the base statement's factor
            want = want * sp.Rational(base.factor)
            details["builds_on"] = c.builds_on
            details["composed_factor"] = pretty(want)

        def agrees(f):
            if f is None:
                return False
            f = expand_alpha(f)
            if base is not None:
                return sp.simplify(f - want) == 0
            if c.about.startswith("sign"):  # a sign statement: only the sign of the factor is claimed
                return f.is_number and bool(sp.sign(f) == sp.sign(want))
            return sp.simplify(f - want) == 0

        got_c, got_s = agrees(fc), agrees(fs)
        status = "match" if got_c else "match-symmetrized" if got_s else "differs"
        worded = (f"; as worded it builds on claim {c.builds_on} (factor {base.factor}): combined factor "
                  f"{details['composed_factor']}") if base is not None else ""
        expl = (f"claim {c.item} ({c.about}): printed factor {c.factor}{worded} (ours = factor * theirs, theirs = printed "
                f"{_tag(theirs_eq[0])}); computed {details['factor_componentwise'] or 'no single factor'} "
                f"component-wise, {details['factor_symmetrized'] or 'no single factor'} symmetrized")
        return Finding(c.label, c.version, status, expl, details)


# ------------------------------------------------------------------------------- helpers
def _compose_claims(claims, found) -> None:
    """A base statement that fails read alone but whose follow-up statements (``builds_on``) all hold as
    composed: mark it ``holds_in_combination`` (the wording is ambiguous, the combination is right)."""
    for c, f in zip(claims, found):
        if f.status != "differs":
            continue
        users = [(u, g) for u, g in zip(claims, found) if u.label == c.label and u.builds_on == c.item]
        if users and all(g.status in ("match", "match-symmetrized") for _, g in users):
            combo = ", ".join(f"{g.details.get('composed_factor')} on {u.ours}" for u, g in users)
            f.details["holds_in_combination"] = [u.item for u, _ in users]
            f.explanation += (f"; read alone no single factor holds, but the statements that build on it "
                              f"({', '.join(u.item for u, _ in users)}) compose to {combo}, which the derivation "
                              f"confirms: ambiguous wording, the combination holds")


def _ours_theirs(rows: list[dict]) -> list[dict]:
    """Structure rows of a claim comparison with the columns ``ours`` (derived) and ``theirs`` (printed)."""
    names = {"printed": "ours", "derived": "theirs"}
    return [{names.get(k, k): v for k, v in row.items()} for row in rows]


def _tag(e) -> str:
    return f"({e.label})" + (f"[{e.part}]" if e.part else "")


def _measure_kind(e) -> str:
    """'sum', 'integral' or '' (statements with different measures are not compared with each other).

    The measure is read by :func:`glass_sym.parse.parser.parse_measure`; text it cannot read is classified by
    its leading macro.
    """
    m = e.measure or ""
    if isinstance(e, _Merged):
        m = e.members[0].measure or ""
    if not m or m == "merged":
        return ""
    try:
        return parse_measure(m).kind
    except GlassSymError:
        return "integral" if "\\int" in m else "sum" if "\\sum" in m else ""


def _phase_kind(text):
    """'+', '-' or 'cos' for a printed phase e^{iq.x}, e^{-iq.x}, cos(q.x); None if it cannot be read."""
    try:
        return phase_kind(text) if text else None
    except GlassSymError:
        return None


def _against(e) -> str:
    """The form a printed statement is compared with: ``defines``, or ``defines + '_regulated'`` for the
    regulated part when the audit knows that form (:data:`_ENGINE_FORMS`)."""
    suffix = _PART_FORMS.get(e.part or "")
    if suffix and e.defines + suffix in _ENGINE_FORMS:
        return e.defines + suffix
    return e.defines


def _parse_relations(relations) -> list[tuple]:
    """[(relation, lhs - rhs as a SymPy expression)] of the transcribed relations (parsed, never evaluated)."""
    out = []
    for rel in relations:
        (lhs, rhs), = split_equations(rel.latex)
        out.append((rel, parse_latex(lhs) - parse_latex(rhs)))
    return out


def _syms(x) -> set:
    cs = x.coefficients() if isinstance(x, IndexExpr) else [sp.sympify(x)]
    return set().union(*[c.free_symbols for c in cs]) if cs else set()


def _apply_relations(printed, derived, relations):
    """Rewrite printed symbols the derivation does not use by the stated relations.

    For each relation lhs = rhs that shares such a symbol with the printed value, the first of them (by name)
    is solved for (a unique solution is required) and substituted.  Returns (value, [used relation records]).
    """
    used = []
    for rel, expr in relations:
        foreign = sorted((s for s in _syms(printed) & expr.free_symbols if s not in _syms(derived)), key=str)
        if not foreign:
            continue
        s = foreign[0]
        sol = sp.solve(expr, s, dict=False)
        if len(sol) != 1:
            continue
        rule = {s: sol[0]}
        printed = printed.map_coefficients(lambda c: sp.cancel(c.xreplace(rule))) if isinstance(printed, IndexExpr) \
            else sp.cancel(sp.sympify(printed).xreplace(rule))
        used.append({"relation": f"({rel.label}) {rel.latex}", "source_line": rel.source_line,
                     "substitution": f"{s} -> {sp.sstr(sol[0])}"})
    return printed, used


def _refers(latex: str) -> bool:
    """Does the printed text refer to a named tensor (tilde Lambda and its parts)?"""
    return "\\Lambda" in latex


def _consistent(a, b) -> bool:
    try:
        return _differing_components(a, b) == 0
    except InputError:  # different free indices: not the same statement
        return False


def _q_to_qhat(value):
    """Write components of q as q qhat (the summand of a q-sum is a function of qhat only)."""
    if isinstance(value, IndexExpr):
        return value.substitute_vector("q", "qhat", q).map_coefficients(sp.cancel)
    return value


def _even_in_qhat(value) -> bool:
    """Every term has an even number of qhat factors: cos(q.x) and e^{iq.x} give the same sum over q."""
    if not isinstance(value, IndexExpr):
        return True
    return all(sum(1 for f in m if f[0] == "v" and f[1] == "qhat") % 2 == 0 for m in value.terms)


def _foreign(printed, derived) -> frozenset:
    """Symbols of the printed form that are neither in the derived form nor shared physics symbols."""
    def syms(x):
        cs = x.coefficients() if isinstance(x, IndexExpr) else [sp.sympify(x)]
        return set().union(*[c.free_symbols for c in cs]) if cs else set()

    known = set(SCALAR_SYMBOLS.values()) | syms(derived)
    return frozenset(s for s in syms(printed) if s not in known)


@dataclass(frozen=True)
class _Merged:
    """Several printed terms of one display (parts term_1, term_2, ...) read as one statement."""

    label: str
    version: str
    defines: str
    part: str
    source_line: int
    members: tuple

    @property
    def key(self):
        return (self.label, self.part, self.defines)

    latex = ""
    measure = "merged"
    prefactor = None
    phase = None


def _merge_terms(eqs) -> list:
    """Equations in file order, with the parts ``term_*`` of one (label, defines) merged into one entry."""
    out, seen = [], {}
    for e in eqs:
        if e.part and e.part.startswith("term_"):
            k = (e.label, e.defines)
            if k in seen:
                continue
            members = tuple(x for x in eqs if (x.label, x.defines) == k and x.part and x.part.startswith("term_"))
            m = _Merged(e.label, e.version, e.defines, "+".join(x.part for x in members), e.source_line, members)
            seen[k] = m
            out.append(m)
        else:
            out.append(e)
    return out


def _audit_fits(versions=None) -> list[Finding]:
    """Table 1 fits from :mod:`glass_sym.paper.table1`: differs when slope or r is off beyond rounding."""
    out = []
    vs = versions or [None]
    for v in vs:
        for f in table1.check_fits(v):
            details = {"check": "fit", "fit": f["id"], "printed_slope": f["printed_slope"],
                       "printed_r": f["printed_r"], "slope": f["slope"], "r": f["r"],
                       "slope_unrounded": f["slope_unrounded"], "r_unrounded": f["r_unrounded"],
                       "materials": f["materials"], "x": f["x"], "y": f["y"], "model": f["model"],
                       "reproduced_by": f["reproduced_by"], "source_lines": f["source_lines"],
                       "slope_interval": f["slope_interval"], "r_interval": f["r_interval"],
                       "figure": f["figure"]}
            out.append(Finding("Table 1", f["version"], "differs" if f["flag"] else "match",
                               f"fit {f['id']}: {f['explanation']}", details))
    return out
