"""Audit of the printed angular-average numbers of (B.5) and (D.6) against the derived averages.

The derivation chains compute the averages (``b5_angular_averages`` in appendix-b, ``d6_angular_averages`` in
appendix-d) and check them; comparing them with what the journal prints is an audit finding, made here:

* (B.5) prints the bracket of dE_alpha^(2)/dt as ``const(alpha) + x_coeff(alpha) x(omega)`` for alpha = l, t.
  The derived contraction is chi_t^2 (4 s0 + 4 x s1 + x^2 s2), so const must be c * s0 and x_coeff c * s1 with
  one normalization c common to the four printed polynomials (the prefactor in front of both lines is the same
  and is not rebuilt).  For every printed polynomial the audit solves printed(alpha) = c * engine(g alpha)
  exactly (:func:`glass_sym.physics.absorption.relate_polynomials`): g = 1 with one common c reproduces the print;
  g != 1 or different c's do not, and the finding says which c and g would.
* (D.6) prints the factors 94/960 (l) and 53/960 (t) in front of a common expression.  For every way of
  counting the dipole pair the engine computes (unordered pair, ordered pair, Delta mu only, Delta p only)
  the audit forms printed/derived for l and for t: the print is reproduced by a counting whose two ratios are
  equal (a common normalization), and not reproduced when no counting gives equal ratios.

>>> from glass_sym.audit.averages import AVERAGE_FORMS
>>> sorted(AVERAGE_FORMS)
['b5_bracket_l', 'b5_bracket_t', 'd6_prefactor']
"""

from __future__ import annotations

import functools

import sympy as sp

from glass_sym.parse.parser import parse_latex
from glass_sym.physics.absorption import relate_polynomials
from glass_sym.symbols import alpha

__all__ = ["AVERAGE_FORMS", "audit_average"]

#: printed quantity -> registered closed form it is compared with
AVERAGE_FORMS = {"b5_bracket_l": "b5_angular_averages", "b5_bracket_t": "b5_angular_averages",
                 "d6_prefactor": "d6_angular_averages"}

_B5_COLUMN = {"const": 0, "x": 1}  # printed part -> column of s0, s1, s2
_POL_ROW = {"l": 0, "t": 1}
_D6_VARIANTS = ("pair", "ordered", "delta_mu_only", "delta_p_only")
_D6_WORDS = {"pair": "the unordered pair", "ordered": "the ordered pair", "delta_mu_only": "Delta mu alone",
             "delta_p_only": "Delta p alone"}


def audit_average(e, equations, derived, finding_cls):
    """The Finding for one printed (B.5) or (D.6) entry ``e`` (an :class:`~glass_sym.paper.transcriptions.Equation`).

    ``equations`` are all transcribed equations of the version (the other entries of the same display are
    needed: the normalization is common), ``derived`` the registered matrix of averages.
    """
    if e.defines.startswith("b5_bracket_"):
        return _audit_b5(e, equations, derived, finding_cls)
    return _audit_d6(e, equations, derived, finding_cls)


def _printed_number(latex: str) -> sp.Expr:
    value = parse_latex(latex)
    return value.to_tensor()[()] if hasattr(value, "to_tensor") else value


def _relation(engine, printed):
    return _relation_memo(sp.sympify(engine), sp.sympify(printed))


@functools.lru_cache(maxsize=256)
def _relation_memo(engine, printed):
    """Memoized per process (each (B.5) entry's relation is needed by every entry of its display; SymPy
    expressions compare structurally, so a hit is the same input)."""
    return relate_polynomials(sp.expand(engine), sp.expand(printed))


def _audit_b5(e, equations, derived, finding_cls):
    entries = [x for x in equations if x.label == e.label and x.defines.startswith("b5_bracket_")]
    relations = {}
    for x in entries:
        pol = x.defines.rsplit("_", 1)[1]
        relations[(pol, x.part)] = _relation(derived[_POL_ROW[pol], _B5_COLUMN[x.part]], _printed_number(x.latex))
    pol = e.defines.rsplit("_", 1)[1]
    mine = relations[(pol, e.part)]
    engine = sp.expand(derived[_POL_ROW[pol], _B5_COLUMN[e.part]])
    printed = sp.expand(_printed_number(e.latex))
    what = f"{'constant part' if e.part == 'const' else 'coefficient of x(omega)'} of the {pol} bracket"
    engine_word = "4 s0" if e.part == "const" else "4 s1"
    details = {"check": "derived-numbers", "defines": e.defines, "part": e.part, "source_line": e.source_line,
               "against": "b5_angular_averages", "derived": sp.sstr(engine), "printed": sp.sstr(printed),
               "relation": "printed(alpha) = c * derived(g * alpha)"}
    if mine is None:
        details.update(c=None, g=None)
        return finding_cls(e.label, e.version, "differs",
                           f"{what}: printed {sp.sstr(printed)} is not c x the derived {sp.sstr(engine)} "
                           f"(the alpha-dependence of {engine_word}/4) for any constant c, not even with alpha "
                           "rescaled: not reproduced", details)
    c, g = mine
    details.update(c=sp.sstr(c), g=sp.sstr(g))
    common = {r[0] for r in relations.values() if r is not None and r[1] == 1}
    all_plain = all(r is not None and r[1] == 1 for r in relations.values())
    if g == 1 and all_plain and len(common) == 1:
        return finding_cls(e.label, e.version, "match",
                           f"{what}: printed = {sp.sstr(c)} x derived, with the same factor for every printed "
                           "polynomial of (B.5) (the common prefactor is not rebuilt)", details)
    if g == 1:
        others = ", ".join(f"{p} {k}: " + ("none" if r is None else f"c = {sp.sstr(r[0])}, g = {sp.sstr(r[1])}")
                           for (p, k), r in sorted(relations.items()))
        return finding_cls(e.label, e.version, "differs",
                           f"{what}: printed = {sp.sstr(c)} x derived, but the four printed polynomials of (B.5) "
                           f"need different factors or alpha rescalings ({others})", details)
    same = len({r for r in relations.values()}) == 1
    details["same_relation_for_all"] = same
    return finding_cls(e.label, e.version, "differs",
                       f"{what}: printed {sp.sstr(printed)} = {sp.sstr(c)} x derived({sp.sstr(g * alpha)}), i.e. "
                       f"reproduced only with alpha -> {sp.sstr(g)} alpha; the derived polynomial is "
                       f"{sp.sstr(engine)}" + (f"; the same c = {sp.sstr(c)} and alpha -> {sp.sstr(g)} alpha fit all "
                                               f"{len(relations)} printed polynomials of (B.5), a consistent change "
                                               "of the alpha-dependence rather than scattered misprints"
                                               if same else ""), details)


def _audit_d6(e, equations, derived, finding_cls):
    entries = {x.part: x for x in equations if x.label == e.label and x.defines == "d6_prefactor"}
    printed = {p: _printed_number(x.latex).as_coeff_Mul()[0] for p, x in entries.items()}
    details = {"check": "derived-numbers", "defines": e.defines, "part": e.part, "source_line": e.source_line,
               "against": "d6_angular_averages", "printed": {p: sp.sstr(v) for p, v in sorted(printed.items())},
               "variants": {}}
    if set(printed) != {"l", "t"}:
        return finding_cls(e.label, e.version, "differs",
                           f"(D.6) transcription has parts {sorted(printed)}; both l and t are needed", details)
    fits = []
    for col, var in enumerate(_D6_VARIANTS):
        el, et = derived[0, col], derived[1, col]
        cl, ct = sp.Rational(printed["l"]) / el, sp.Rational(printed["t"]) / et
        details["variants"][var] = {"derived_l": sp.sstr(el), "derived_t": sp.sstr(et),
                                    "derived_ratio": sp.sstr(el / et), "printed_over_derived_l": sp.sstr(cl),
                                    "printed_over_derived_t": sp.sstr(ct)}
        if cl == ct:
            fits.append((var, cl))
    ratio = sp.sstr(printed["l"] / printed["t"])
    shown = {p: f"{sp.sstr(v * 960)}/960" if (v * 960).is_integer else sp.sstr(v) for p, v in printed.items()}
    if fits:
        var, c = fits[0]
        details["reproduced_by"] = [v for v, _ in fits]
        return finding_cls(e.label, e.version, "match",
                           f"printed l/t = {ratio} reproduced by counting {_D6_WORDS[var]} (printed = {sp.sstr(c)} "
                           "x derived for both waves; the common prefactor is not rebuilt)", details)
    tried = "; ".join(f"{_D6_WORDS[v]} {details['variants'][v]['derived_ratio']}" for v in _D6_VARIANTS)
    return finding_cls(e.label, e.version, "differs",
                       f"printed l/t = {ratio} (factors {shown['l']}, {shown['t']}); the "
                       f"derived l/t ratios are {tried}: no counting of the dipole pair reproduces the print",
                       details)
