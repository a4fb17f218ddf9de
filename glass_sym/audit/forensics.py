r"""Forensics: which simple slip turns the derived form into the printed one?

When a printed right-hand side differs from the derived closed form, :func:`search` tries a documented,
bounded, deterministic space of hypotheses H and keeps every one for which ``printed = H(derived)`` holds
*exactly* (component by component modulo n.n = 1, alpha = 1 - c_t^2/c_l^2 identified; the same test as the
audit's ``match``).  Two exact rational sample points only reject candidates early; nothing is fitted
numerically, and a surviving candidate is decided by the exact comparison: a hypothesis either reproduces
the printed form or it does not.

The searched families (docs/forensics.md):

``symbol-swap`` (i)
    c_t -> c_l, c_l -> c_t, c_t <-> c_l applied to the derived form, with alpha kept as a symbol and inside
    alpha; alpha -> g alpha for g in :data:`ALPHA_SCALES`; each also with one overall rational factor.
``sign-or-factor`` (ii)
    printed = c x derived for one overall factor c (a sign, a rational number, or a dimensional prefactor such
    as -8 pi rho c_t^2 that the printed line leaves out).
``term`` (iii)
    one term of the derived form dropped or duplicated (its alpha^0 and alpha^1 parts separately too); a term
    that the other paper version's copy of the same equation prints and this copy lacks.
``extraction`` (iv)
    repairs of the printed LaTeX of the kinds text extraction produces (:func:`text_repairs`): a subscript t
    read as l (and back), an index letter doubled (``n_i n_i`` for ``n_i n_l``), a factor printed after its
    closing bracket (``\right] \delta_{jk}``), ``\bar`` for ``\tilde``.  The repaired text is parsed again
    and compared exactly (alone and with an overall factor).
``related-form`` (v)
    printed = c x R for another registered closed form R of the same rank (an earlier or uncorrected form of
    the kernel used in place of the one the label claims, e.g. the Joffrin-Levelut tensor for the corrected one).
``interference`` (vi)
    for results that are squared sums of amplitudes and carry their pieces (``pieces`` in an audit record):
    the printed value equals a sum of the squared pieces without the interference terms, or single pieces.
``reduced`` (vii)
    printed = derived x f or derived / f for the reduction factors f in :data:`REDUCTION_FACTORS` (reduced
    versus unreduced susceptibilities).

Bounds: every family is a finite list fixed by the two forms (their terms, their symbols, the registry), at
most one text repair combined with one value hypothesis; the order of the results is the order above.

>>> import sympy as sp
>>> from glass_sym.symbols import alpha
>>> [f["family"] for f in search(sp.Integer(-2) * (1 + alpha), 1 + alpha)]
['sign-or-factor']
>>> search(10 * (1 - 2 * alpha) / 3, 1 + alpha)[0]["hypothesis"]
'printed = 10/3 x (derived with alpha -> -2 alpha)'
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from itertools import combinations
from typing import Any

import sympy as sp

from glass_sym.algebra.indexnotation import IndexExpr, monomial_at
from glass_sym.algebra.structures import (decompose_index, diff_structures, expand_alpha, pretty, restore_alpha,
                                          same_decomposition, structure_name)
from glass_sym.errors import GlassSymError, InputError
from glass_sym.symbols import VECTOR_SYMBOLS, alpha, beta as _beta, c_l, c_t, hbar as _hbar, omega as _omega

from .compare import _align as align, _differing_components

__all__ = ["FAMILIES", "ALPHA_SCALES", "REDUCTION_FACTORS", "SCHEMA", "search", "text_repairs", "equal_exactly",
           "overall_factor", "search_pieces", "conclusion", "NO_FIT"]

SCHEMA = "glass-sym/forensics/1"

#: family key -> (number in the issue's list, what it covers)
FAMILIES: dict[str, tuple[str, str]] = {
    "symbol-swap": ("i", "c_t/c_l swapped (also inside alpha), alpha -> g alpha"),
    "sign-or-factor": ("ii", "a sign or one overall factor"),
    "term": ("iii", "a term dropped or duplicated, or a term of the other version's copy missing"),
    "extraction": ("iv", "a text-extraction slip of the printed LaTeX repaired"),
    "related-form": ("v", "another registered closed form used in place of the claimed one"),
    "interference": ("vi", "squared sum of amplitudes without interference terms"),
    "reduced": ("vii", "reduced versus unreduced quantity"),
}

#: alpha -> g alpha tried by the symbol-swap family
ALPHA_SCALES = tuple(sp.Rational(g) for g in ("-4", "-3", "-2", "-1", "-1/2", "1/2", "2", "3", "4"))

#: name -> factor f tried by the reduced family (printed = derived * f and derived / f)
REDUCTION_FACTORS: dict[str, sp.Expr] = {"1 - e^{-beta hbar omega}": 1 - sp.exp(-_beta * _hbar * _omega),
                                         "1 - e^{-beta omega}": 1 - sp.exp(-_beta * _omega)}

NO_FIT = "no hypothesis in the searched space fits"

_SWAPS = (("c_t -> c_l", {c_t: c_l}), ("c_l -> c_t", {c_l: c_t}), ("c_t <-> c_l", {c_t: c_l, c_l: c_t}))


# ------------------------------------------------------------------------------- exact comparison
def _rank(x) -> int:
    return len(x.indices) if isinstance(x, IndexExpr) else 0


def _align(printed, derived):
    return align(printed, derived)


def _expand(x):
    if isinstance(x, IndexExpr):
        return x.map_coefficients(expand_alpha)
    return expand_alpha(sp.sympify(x))


def equal_exactly(printed, derived) -> bool:
    """printed = derived component by component modulo n.n = 1 (alpha identified); False on rank mismatch.

    >>> equal_exactly(alpha, 1 - c_t**2 / c_l**2)
    True
    """
    if _rank(printed) != _rank(derived):
        return False
    try:
        p = _align(printed, derived)
        return _differing_components(_expand(p), _expand(derived)) == 0
    except (InputError, GlassSymError):
        return False


def overall_factor(printed, derived):
    """The single factor c with printed = c x derived (structure by structure), or None."""
    if _rank(printed) != _rank(derived):
        return None
    try:
        if not isinstance(derived, IndexExpr):
            d = sp.sympify(derived)
            if d == 0:
                return None
            f = sp.factor(sp.cancel(_expand(printed) / _expand(d)))
            return f if not f.has(*_vector_syms()) else None
        p = _align(printed, derived)
        return diff_structures(decompose_index(p), decompose_index(derived)).overall_factor
    except (InputError, GlassSymError):
        return None


def _vector_syms():
    return [s for v in VECTOR_SYMBOLS.values() for s in v]


def _scale(x, c):
    return x * c


def _subs(x, rule):
    if isinstance(x, IndexExpr):
        return x.map_coefficients(lambda v: v.xreplace(rule))
    return sp.sympify(x).xreplace(rule)


def _fit(family: str, hypothesis: str, **extra) -> dict[str, Any]:
    return {"family": family, "number": FAMILIES[family][0], "hypothesis": hypothesis,
            "check": "printed - H(derived) = 0 component by component modulo n.n = 1 (exact)", **extra}


#: two rational sample points: unit vectors on the unit sphere (Pythagorean quadruples), other symbols fixed
_POINTS = (
    {"n": (sp.Rational(2, 7), sp.Rational(3, 7), sp.Rational(6, 7)),
     "m": (sp.Rational(1, 3), sp.Rational(-2, 3), sp.Rational(2, 3)),
     "qhat": (sp.Rational(2, 3), sp.Rational(2, 3), sp.Rational(1, 3)), "c_l": 5, "c_t": 3},
    {"n": (sp.Rational(-4, 9), sp.Rational(1, 9), sp.Rational(8, 9)),
     "m": (sp.Rational(6, 11), sp.Rational(6, 11), sp.Rational(-7, 11)),
     "qhat": (sp.Rational(3, 13), sp.Rational(-4, 13), sp.Rational(12, 13)), "c_l": 13, "c_t": 5},
)


def _point_rule(point: dict, symbols) -> dict:
    rule = {}
    for name, vec in VECTOR_SYMBOLS.items():
        vals = point.get(name) or tuple(sp.Rational(k + len(name), 7 + k) for k in range(3))
        rule.update(dict(zip(vec, vals)))
    rule[c_l], rule[c_t] = sp.Integer(point["c_l"]), sp.Integer(point["c_t"])
    rule[alpha] = 1 - rule[c_t] ** 2 / rule[c_l] ** 2
    for s in sorted(symbols, key=str):
        if s not in rule:  # any other symbol: a fixed rational from its name (deterministic)
            rule[s] = sp.Rational(sum(map(ord, s.name)) % 89 + 3, 17)
    return rule


#: (id(x), k) -> (x, fingerprint): the printed value is fingerprinted once per search, not once per candidate
_FINGERPRINTS: dict = {}


def _fingerprint(x, k: int) -> tuple | None:
    """Exact values of every component of x at sample point k (None if a value is not a number).

    Each coefficient is evaluated once at the point (exact rationals, or exact numbers with pi, I, radicals),
    then the components are sums of those values times the point's vector components: the same exact values
    as expanding every explicit component after substitution (no floats)."""
    key = (id(x), k)
    hit = _FINGERPRINTS.get(key)
    if hit is not None and hit[0] is x:
        return hit[1]
    # candidates are rebuilt by every hypothesis: equal ones (the same indices and terms in the same order, SymPy
    # expressions compared structurally) share their values
    ckey = _content_key(x, k)
    vals = _FINGERPRINTS_BY_CONTENT.get(ckey, _MISSING) if ckey is not None else _MISSING
    if vals is _MISSING:
        vals = _fingerprint_uncached(x, k)
        if ckey is not None:
            if len(_FINGERPRINTS_BY_CONTENT) > 8192:
                _FINGERPRINTS_BY_CONTENT.clear()
            _FINGERPRINTS_BY_CONTENT[ckey] = vals
    if len(_FINGERPRINTS) > 4096:
        _FINGERPRINTS.clear()
    _FINGERPRINTS[key] = (x, vals)
    return vals


_FINGERPRINTS_BY_CONTENT: dict = {}
_MISSING = object()


def _content_key(x, k: int):
    if isinstance(x, IndexExpr):
        return ("IndexExpr", tuple(x.indices), tuple(x.terms.items()), k)
    if isinstance(x, sp.Basic):
        return ("expr", x, k)
    return None


def _fingerprint_reference(x, k: int) -> tuple | None:
    """:func:`_fingerprint` by the plain route: every explicit component, substituted, expanded (the reference
    the fast route is tested against)."""

    if isinstance(x, IndexExpr):
        syms = set().union(*[c.free_symbols for c in x.coefficients()]) if x.terms else set()
        rule = _point_rule(_POINTS[k], syms)
        vals = tuple(sp.expand(x.component(dict(zip(x.indices, values))).xreplace(rule))
                     for values in itertools.product(range(3), repeat=len(x.indices)))
    else:
        e = sp.sympify(x)
        rule = _point_rule(_POINTS[k], e.free_symbols)
        vals = (sp.expand(e.xreplace(rule)),)
    return vals if all(v.is_number for v in vals) else None


def _rational_components(x, coeffs, rule) -> tuple:
    """The components of ``x`` at a point where every coefficient and vector component is rational, in exact
    rational arithmetic (``fractions.Fraction``; the same values as the SymPy route, without building SymPy
    sums and products)."""

    q = {s: Fraction(int(v.p), int(v.q)) for s, v in rule.items() if getattr(v, "is_Rational", False)}
    cf = [(m, Fraction(int(cv.p), int(cv.q))) for m, cv in coeffs]
    out = []
    for values in itertools.product(range(3), repeat=len(x.indices)):
        at = dict(zip(x.indices, values))
        total = Fraction(0)
        for m, cv in cf:
            comps = monomial_at(m, at)
            if comps is not None:
                for s in comps:
                    cv = cv * q[s]
                total += cv
        out.append(sp.Rational(total.numerator, total.denominator))
    return tuple(out)


def _fingerprint_uncached(x, k: int) -> tuple | None:

    if isinstance(x, IndexExpr):
        syms = set().union(*[c.free_symbols for c in x.coefficients()]) if x.terms else set()
        rule = _point_rule(_POINTS[k], syms)
        coeffs = [(m, sp.expand(c.xreplace(rule))) for m, c in x.terms.items()]
        vecs = x.vectors()
        if all(cv.is_Rational for _, cv in coeffs) and vecs <= set(VECTOR_SYMBOLS) and all(
                rule[s].is_Rational for v in vecs for s in VECTOR_SYMBOLS[v]):
            return _rational_components(x, coeffs, rule)
        out = []
        for values in itertools.product(range(3), repeat=len(x.indices)):
            at = dict(zip(x.indices, values))
            parts = []
            for m, cv in coeffs:
                comps = monomial_at(m, at)
                if comps is not None:
                    parts.append(sp.Mul(cv, *(rule[s] for s in comps)))
            out.append(sp.expand(sp.Add(*parts)))
        vals = tuple(out)
    else:
        e = sp.sympify(x)
        rule = _point_rule(_POINTS[k], e.free_symbols)
        vals = (sp.expand(e.xreplace(rule)),)
    return vals if all(v.is_number for v in vals) else None


def _sample_ratio(printed, candidate):
    """c such that printed = c x candidate at both sample points (exact numbers), else None."""
    c = None
    for k in range(len(_POINTS)):
        a, b = _fingerprint(printed, k), _fingerprint(candidate, k)
        if a is None or b is None or len(a) != len(b):
            return None
        for u, v in zip(a, b):
            if v == 0:
                if u != 0:
                    return None
                continue
            if u.is_Rational and v.is_Rational:  # exact rationals: cancel and expand are the identity here
                r = u / v
                if c is None:
                    c = r
                elif (r != c) if c.is_Rational else (sp.expand(r - c) != 0):
                    return None
                continue
            r = sp.cancel(u / v)
            if c is None:
                c = r
            elif sp.expand(r - c) != 0:
                return None
    return c


def _is_number(x) -> bool:
    return not isinstance(x, IndexExpr) and sp.sympify(x).is_number


def _with_factor(printed, candidate) -> sp.Expr | None:
    """1 if printed = candidate, c (rational, != 0) if printed = c x candidate exactly, else None.

    Two exact rational sample points reject most candidates cheaply; a survivor is decided by the exact
    canonical comparison (:func:`equal_exactly`), never by the samples.
    """
    if _rank(printed) != _rank(candidate):
        return None
    try:
        c = _sample_ratio(_align(printed, candidate), candidate)
    except (InputError, GlassSymError):
        return None
    if c is None or not c.is_Rational or c == 0:
        return None
    if c != 1 and _is_number(printed) and _is_number(candidate):
        return None  # any two numbers differ by a rational factor: not a hypothesis
    if equal_exactly(printed, _scale(candidate, c)):
        return c
    return None


def _times(c, what: str) -> str:
    return what if c == 1 else f"{sp.sstr(c)} x ({what})"


# ------------------------------------------------------------------------------- value-level families
def _family_factor(printed, derived) -> list[dict]:
    if _is_number(printed) and _is_number(derived):
        return []  # any two numbers differ by a factor: not a hypothesis
    c = overall_factor(printed, derived)
    if c is None or c == 1 or c == 0 or not equal_exactly(printed, _scale(derived, c)):
        return []
    if c == -1:
        return [_fit("sign-or-factor", "printed = -derived (the overall sign)", factor="-1", kind="sign")]
    if c.is_Rational:
        return [_fit("sign-or-factor", f"printed = {sp.sstr(c)} x derived (an overall rational factor)",
                     factor=sp.sstr(c), kind="rational")]
    names = ", ".join(sorted(str(s) for s in c.free_symbols))
    kind = "prefactor" if c.free_symbols and not (c.free_symbols <= {alpha, c_l, c_t} and
                                                  expand_alpha(c).free_symbols <= {c_l, c_t}) else "speed-ratio"
    return [_fit("sign-or-factor", f"printed = {pretty(c)} x derived (an overall factor of {names})",
                 factor=pretty(c), kind=kind)]


def _family_swaps(printed, derived) -> list[dict]:
    out = []
    for name, rule in _SWAPS:
        seen = False
        for how, cand in (("alpha kept", _subs(derived, rule)), ("also inside alpha", _subs(_expand(derived), rule))):
            if _noop(cand, derived):
                continue
            c = _with_factor(printed, cand)
            if c is not None and not seen:
                seen = True
                out.append(_fit("symbol-swap", "printed = " + _times(c, f"derived with {name}, {how}"),
                                swap=name, inside_alpha=how != "alpha kept", factor=sp.sstr(c)))
    if _has(derived, alpha) or _has(printed, alpha):
        base = derived if _has(derived, alpha) else _restore(derived)
        for g in ALPHA_SCALES:
            if g == 1:
                continue
            cand = _subs(base, {alpha: g * alpha})
            if _noop(cand, derived):
                break
            if _sample_ratio(cand, derived) is not None:  # alpha -> g alpha is only a factor here: family (ii)
                break
            c = _with_factor(printed, cand)
            if c is not None:
                out.append(_fit("symbol-swap", "printed = " + _times(c, f"derived with alpha -> {sp.sstr(g)} alpha"),
                                alpha_scale=sp.sstr(g), factor=sp.sstr(c)))
    return out


def _noop(candidate, derived) -> bool:
    """The transformation changed nothing (same fingerprint at both points): not a hypothesis."""
    return all(_fingerprint(candidate, k) == _fingerprint(derived, k) for k in range(len(_POINTS)))


def _restore(x):
    if isinstance(x, IndexExpr):
        return x.map_coefficients(restore_alpha)
    return restore_alpha(x)


def _has(x, s) -> bool:
    if isinstance(x, IndexExpr):
        return any(c.has(s) for c in x.coefficients())
    return sp.sympify(x).has(s)


def _terms(x) -> list[tuple[str, Any]]:
    """(description, term) for every term of x, and the alpha^0 / alpha^1 parts of coefficients a0 + a1 alpha."""
    out = []
    if isinstance(x, IndexExpr):
        items = [(mono, c) for mono, c in sorted(x.terms.items(), key=lambda t: structure_name(t[0]))]
    else:
        items = [((), t) for t in sp.Add.make_args(sp.expand(sp.sympify(x)))]
    for mono, c in items:
        parts = [(c, "")]
        cr = sp.expand(_restore_scalar(c))
        if cr.has(alpha):
            try:
                poly = sp.Poly(cr, alpha)
                if poly.degree() == 1:
                    a0, a1 = poly.coeff_monomial(1), poly.coeff_monomial(alpha) * alpha
                    parts += [(p, w) for p, w in ((a0, " (its alpha^0 part)"), (a1, " (its alpha part)")) if p != 0]
            except sp.PolynomialError:
                pass
        for coeff, what in parts:
            term = IndexExpr({mono: coeff}, x.indices) if isinstance(x, IndexExpr) else coeff
            label = f"{pretty(coeff)} {structure_name(mono)}".strip() if mono else pretty(coeff)
            out.append((label + what, term))
    if isinstance(x, IndexExpr):
        out += _groups(x)
    return out


def _groups(x: IndexExpr) -> list[tuple[str, Any]]:
    """Printed brackets as groups of terms: the terms in which a vector other than n carries one given index
    (m_j (n_l d_ik + n_k d_il + n_i d_kl) ...), all of them or those with a given number of deltas, whole and by
    power of alpha.  Bounded by (vectors x indices x delta counts x 3)."""
    out = []
    keys = sorted({(f[1], f[2]) for mono in x.terms for f in mono if f[0] == "v" and f[1] not in ("n", "qhat")})
    for vec, idx in keys:
        carrying = {mono: c for mono, c in x.terms.items() if ("v", vec, idx) in mono}
        ndeltas = sorted({sum(1 for f in mono if f[0] == "d") for mono in carrying})
        for nd in [None] + (ndeltas if len(ndeltas) > 1 else []):
            members = {m: c for m, c in carrying.items() if nd is None or sum(1 for f in m if f[0] == "d") == nd}
            kind = "" if nd is None else f", {nd} delta{'' if nd == 1 else 's'}"
            out += _group(x, vec, idx, members, kind)
    return out


def _group(x: IndexExpr, vec: str, idx: str, members: dict, kind: str) -> list[tuple[str, Any]]:
    out = []
    if len(members) < 2:
        return out
    out.append((f"group of terms with {vec}_{idx}{kind} ({len(members)} terms)", IndexExpr(members, x.indices)))
    for power, name in ((0, "alpha^0"), (1, "alpha")):
        part = {}
        for mono, c in members.items():
            cr = sp.expand(_restore_scalar(c))
            try:
                k = sp.Poly(cr, alpha).coeff_monomial(alpha**power) * alpha**power
            except sp.PolynomialError:
                k = 0
            if k != 0:
                part[mono] = k
        if len(part) >= 2 and (len(part) < len(members) or power == 1):
            terms = " + ".join(f"{pretty(c)} {structure_name(m)}" for m, c in
                               sorted(part.items(), key=lambda t: structure_name(t[0])))
            out.append((f"{name} terms with {vec}_{idx}{kind} ({terms})", IndexExpr(part, x.indices)))
    return out


def _restore_scalar(c):
    return restore_alpha(c)


def _dec(x):
    if isinstance(x, IndexExpr):
        return decompose_index(_expand(x))
    return decompose_index(_expand(x))


def _family_terms(printed, derived, others: Sequence[tuple[str, Any]]) -> list[dict]:
    out = []
    try:
        p = _align(printed, derived)
    except (InputError, GlassSymError):
        return out
    diff = _expand(derived) - _expand(p)  # what the printed form lacks
    dd, dn = _dec(diff), _dec(-diff)
    for what, term in _terms(derived):
        dt = _dec(term)
        if same_decomposition(dd, dt) and equal_exactly(p, derived - term):
            out.append(_fit("term", f"printed = derived without its term {what}", term=what, kind="dropped"))
        elif same_decomposition(dn, dt) and equal_exactly(p, derived + term):
            out.append(_fit("term", f"printed = derived with its term {what} counted twice", term=what,
                            kind="duplicated"))
    for tag, other in others:
        if other is None or _rank(other) != _rank(derived) or not equal_exactly(other, derived):
            continue
        try:
            o = _align(other, derived)
        except (InputError, GlassSymError):
            continue
        extra = _expand(o) - _expand(p)
        for what, term in _terms(o):
            if same_decomposition(_dec(extra), _dec(term)) and equal_exactly(p, o - term):
                out.append(_fit("term", f"printed = the other version's copy {tag} without its term {what} "
                                        f"(that copy equals the derived form)", term=what, kind="other-copy",
                                other=tag))
    return out


def _with_dominant_factor(printed, derived, others) -> list[dict]:
    """Depth two: one overall factor shared by most structures, then a term/group or symbol hypothesis."""
    if not isinstance(derived, IndexExpr):
        return []
    try:
        p = _align(printed, derived)
        dec_p, dec_d = decompose_index(_expand(p)), decompose_index(_expand(derived))
    except (InputError, GlassSymError):
        return []
    counts: dict = {}
    for name, dv in dec_d.items():
        pv = dec_p.get(name)
        if pv is None or dv == 0:
            continue
        f = sp.factor(sp.cancel(pv / dv))
        if f.has(*_vector_syms()):
            continue
        counts[f] = counts.get(f, 0) + 1
    if not counts:
        return []
    best = max(sorted(counts, key=sp.default_sort_key), key=lambda k: counts[k])
    if best == 1 or 2 * counts[best] < len(dec_d):
        return []
    scaled = p * (1 / best)
    sub = _family_swaps(scaled, derived) + _family_terms(scaled, derived, others)
    return [{**f, "hypothesis": f"printed = {pretty(best)} x ({f['hypothesis'].replace('printed = ', '', 1)})",
             "outer_factor": pretty(best)} for f in sub]


def _family_related(printed, derived, related: Mapping[str, Any], against: str | None) -> list[dict]:
    out = []
    for name in sorted(related):
        value = related[name]
        if name == against or value is None or _rank(value) != _rank(derived):
            continue
        if isinstance(value, IndexExpr) and len(value.indices) != len(derived.indices):
            continue
        try:
            if _sample_ratio(_align(value, derived), derived) is not None:
                continue  # R is a multiple of the derived form itself: family (ii), not another form
        except (InputError, GlassSymError):
            continue
        c = _with_factor(printed, value)
        if c is not None:
            out.append(_fit("related-form", "printed = " + _times(c, f"the closed form {name}")
                            + f" (used in place of {against or 'the derived form'})", form=name, factor=sp.sstr(c)))
    return out


def _family_reduced(printed, derived) -> list[dict]:
    if isinstance(derived, IndexExpr):
        return []
    out = []
    for name, f in REDUCTION_FACTORS.items():
        for how, cand in (("times", derived * f), ("divided by", derived / f)):
            if sp.simplify(_expand(printed) - _expand(cand)) == 0:
                out.append(_fit("reduced", f"printed = derived {how} ({name}) (reduced vs unreduced)", factor=name))
    return out


def search_pieces(printed, pieces: Mapping[str, Any], full=None) -> list[dict]:
    """Family (vi): the printed value equals a sum of squared pieces without interference terms.

    ``pieces``: name -> value of |A_k|^2 (exact SymPy numbers or expressions); ``full``: |sum A_k|^2.  Every
    non-empty subset of pieces (at most 6 pieces, 63 subsets) is summed (with one overall rational factor
    when the values are not plain numbers); a subset that reproduces ``printed`` exactly is a fit.

    >>> search_pieces(sp.Rational(3), {"a": 1, "b": 2})[0]["hypothesis"]
    'printed = a + b (squared amplitudes summed without interference terms)'
    """

    names = sorted(pieces)[:6]
    out = []
    for k in range(1, len(names) + 1):
        for sub in combinations(names, k):
            total = sum((sp.sympify(pieces[n]) for n in sub), sp.S.Zero)
            c = _with_factor(printed, total)
            if c is not None and not (full is not None and equal_exactly(total, full)):
                what = " + ".join(sub)
                kind = "(squared amplitudes summed without interference terms)" if k > 1 else "(one amplitude only)"
                out.append(_fit("interference", "printed = " + _times(c, what) + f" {kind}", pieces=list(sub),
                                factor=sp.sstr(c)))
    return out


# ------------------------------------------------------------------------------- text repairs
_SUB_T_L = re.compile(r"c_\{?([tl])\}?")
_DOUBLED = re.compile(r"([nm])_\{?([a-z])\}?(\s*)([nm])_\{?([a-z])\}?")
_OUTSIDE = re.compile(r"(\\right[\]\)])(\s*)(\\delta_\{[a-z]{2}\})")


def text_repairs(latex: str, indices: Iterable[str] = "ijkl") -> list[tuple[str, str]]:
    r"""Repairs of the kinds text extraction produces, as (description, repaired LaTeX), deterministic order.

    * every occurrence of ``c_t``/``c_l`` flipped to the other subscript, one at a time;
    * a vector index doubled inside one product (``n_i n_i``): the second letter replaced by each other free
      index;
    * a ``\delta_{ab}`` printed just after a closing ``\right]``/``\right)``: moved inside the bracket;
    * ``\bar`` read as ``\tilde``.

    >>> [d for d, _ in text_repairs(r"1 - \frac{c_{l}^{2}}{c_{l}^{2}}")]
    ['the 1st c_l read as c_t', 'the 2nd c_l read as c_t']
    >>> text_repairs(r"n_i n_i \delta_{jk}")[2]
    ('n_i n_i read as n_i n_l', 'n_i n_l \\delta_{jk}')
    """
    out: list[tuple[str, str]] = []
    count: dict[str, int] = {}
    for m in _SUB_T_L.finditer(latex):
        s = m.group(1)
        count[s] = count.get(s, 0) + 1
        other = "l" if s == "t" else "t"
        new = latex[:m.start()] + m.group(0).replace(s, other) + latex[m.end():]
        out.append((f"the {_ordinal(count[s])} c_{s} read as c_{other}", new))
    idx = list(indices)
    for m in _DOUBLED.finditer(latex):
        a, i, sp_, b, j = m.groups()
        if i != j:
            continue
        for k in idx:
            if k == i:
                continue
            new = latex[:m.start()] + f"{a}_{i}{sp_}{b}_{k}" + latex[m.end():]
            out.append((f"{a}_{i} {b}_{i} read as {a}_{i} {b}_{k}", new))
    for m in _OUTSIDE.finditer(latex):
        new = latex[:m.start()] + m.group(3) + " " + m.group(1) + latex[m.end():]
        out.append((f"{m.group(3).replace(chr(92), '')} printed after its closing bracket moved inside it", new))
    if "\\bar" in latex:
        out.append(("\\bar read as \\tilde", latex.replace("\\bar", "\\tilde")))
    return out


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


# ------------------------------------------------------------------------------- the search
def search(printed, derived, *, against: str | None = None, others: Sequence[tuple[str, Any]] = (),
           related: Mapping[str, Any] | None = None, repairs: Sequence[tuple[str, Callable[[], Any]]] = (),
           pieces: Mapping[str, Any] | None = None) -> list[dict]:
    """Every hypothesis of the searched space that reproduces ``printed`` exactly from ``derived``.

    Parameters
    ----------
    printed, derived : IndexExpr or SymPy expression
        The printed value (``None`` when the printed text could not be read: only repairs are tried) and the
        derived closed form, same rank.
    against : str, optional
        Name of the derived form (for the wording, and excluded from ``related``).
    others : sequence of (tag, value)
        The other paper version's printed copies of the same equation (family iii).
    related : mapping name -> value
        Other registered closed forms (family v).
    repairs : sequence of (description, thunk)
        Repaired printed texts (family iv), each a thunk returning the re-parsed value (raises GlassSymError if
        still unreadable).
    pieces : mapping name -> value, optional
        Squared amplitudes (family vi).

    Returns
    -------
    list of dict
        ``family``, ``number`` (i-vii), ``hypothesis`` (one line), ``check`` and family-specific fields.
    """
    out: list[dict] = []
    if printed is not None:
        out += _family_swaps(printed, derived)
        out += _family_factor(printed, derived)
        out += _family_terms(printed, derived, others)
    for what, thunk in repairs:
        try:
            value = thunk()
        except GlassSymError:
            continue
        if value is None or _rank(value) != _rank(derived):
            continue
        c = _with_factor(value, derived)
        if c is not None:
            text = f"printed = derived once {what}" if c == 1 else \
                f"printed = {sp.sstr(c)} x derived once {what}"
            out.append(_fit("extraction", text, repair=what, factor=sp.sstr(c)))
        elif printed is None:  # unreadable as printed: what does the repaired text say?
            sub = _family_swaps(value, derived) + _family_terms(value, derived, others)
            for f in sub:
                out.append({**f, "hypothesis": f"once {what}: {f['hypothesis']}", "repair": what})
    if printed is not None and not out:
        out += _with_dominant_factor(printed, derived, others)
    if printed is not None:
        if related:
            out += _family_related(printed, derived, related, against)
        if pieces:
            out += search_pieces(printed, pieces)
        out += _family_reduced(printed, derived)
    seen, uniq = set(), []
    for f in out:
        if f["hypothesis"] not in seen:
            seen.add(f["hypothesis"])
            uniq.append(f)
    return uniq


#: which fitting hypothesis explains best (most specific first); an overall factor says least
PREFERENCE = ("extraction", "term", "symbol-swap", "related-form", "interference", "reduced", "sign-or-factor")


def conclusion(fits: Sequence[dict]) -> str:
    """One line: the most specific fitting hypothesis (:data:`PREFERENCE`), or :data:`NO_FIT`."""
    if not fits:
        return NO_FIT
    fits = sorted(fits, key=lambda f: PREFERENCE.index(f["family"]))
    more = f" ({len(fits) - 1} more fitting hypothes{'is' if len(fits) == 2 else 'es'})" if len(fits) > 1 else ""
    return fits[0]["hypothesis"] + more
