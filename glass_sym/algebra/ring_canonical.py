"""Canonical forms modulo |v| = 1 of rational functions, computed in sparse polynomial rings (exact, fast path).

:func:`glass_sym.algebra.tensor.canonical` decides equality of two expressions on the unit sphere(s) by the normal form
of the numerator modulo v1^2 + v2^2 + v3^2 - 1 (one relation per unit vector present), then ``sympy.cancel``
of that normal form over the denominator.  This module computes the same value without SymPy's generic
simplification (``signsimp``, ``factor_terms``/``gcd_terms``, ``reduced`` on expressions):

1. numerator and denominator (``as_numer_denom``) are converted into one sparse polynomial ring over QQ, or
   over the Gaussian rationals QQ<I> when ``I`` occurs, whose generators are the free symbols and ``pi``, in
   the order ``sympy.sring`` (and so ``sympy.cancel``) would choose;
2. the numerator is reduced modulo the unit relations (``PolyElement.rem``: the relations of different vectors
   have coprime leading terms v1^2, so they are a Groebner basis and the remainder is the unique normal form,
   the same one ``sympy.reduced`` gives);
3. numerator and denominator are cancelled by their polynomial gcd (``PolyElement.cancel``, what
   ``sympy.cancel`` calls after building the same ring), and converted back.

Only expressions made of symbols, rational numbers, ``pi`` and ``I`` with integer powers are taken; for anything
else (radicals, functions, floats) :func:`ring_canonical` returns ``None`` and the caller uses the general
SymPy path, which stays the reference (``tests/test_ring_canonical.py`` compares both on the audit's and the
derivations' real inputs).  No numeric sampling: every step is exact polynomial arithmetic.
"""

from __future__ import annotations

import functools

import sympy as sp
from sympy.polys.polyutils import _sort_gens

__all__ = ["ring_canonical", "ring_is_zero"]


def _atoms_ok(expr: sp.Expr) -> bool:
    """Symbols, rationals, pi, I, sums, products and integer powers only (a polynomial or rational function)."""
    stack = [expr]
    while stack:
        e = stack.pop()
        if e.is_Symbol or e.is_Rational or e is sp.pi or e is sp.I:
            continue
        if e.is_Add or e.is_Mul:
            stack.extend(e.args)
        elif e.is_Pow:
            if not e.exp.is_Integer:
                return False
            stack.append(e.base)
        else:
            return False
    return True


@functools.lru_cache(maxsize=256)
def _ring(gens: tuple, gaussian: bool):
    ring, *_ = sp.ring(gens, sp.QQ_I if gaussian else sp.QQ, order="lex")
    return ring


def _relations(ring, units) -> list | None:
    """v1^2 + v2^2 + v3^2 - 1 in ``ring`` for each unit vector whose components occur; None if v1 is not the
    first of its components in the ring's order (then the leading term would not be v1^2 as in the reference
    path, and the normal form could differ)."""
    pos = {g: i for i, g in enumerate(ring.symbols)}
    rels = []
    for comps in units:
        idx = [pos[c] for c in comps]
        if idx[0] != min(idx):
            return None
        gens = [ring.gens[i] for i in idx]
        rels.append(sum(g**2 for g in gens) - 1)
    return rels


def _prepare(expr: sp.Expr, unit_vectors):
    """(ring, numerator, denominator, relations) or None when the fast path does not apply."""
    if not _atoms_ok(expr):
        return None
    num, den = expr.as_numer_denom()
    syms = num.free_symbols | den.free_symbols
    units = [tuple(comps) for comps in unit_vectors if syms & set(comps)]
    gens = set(syms) | {c for comps in units for c in comps}
    if num.has(sp.pi) or den.has(sp.pi):
        gens.add(sp.pi)
    gaussian = num.has(sp.I) or den.has(sp.I)
    ring = _ring(tuple(_sort_gens(list(gens))), gaussian)
    rels = _relations(ring, units)
    if rels is None:
        return None
    try:
        pn, pd = ring.from_expr(num), ring.from_expr(den)
    except (ValueError, TypeError, sp.polys.polyerrors.CoercionFailed, sp.polys.polyerrors.GeneratorsError):
        return None
    return ring, pn, pd, rels


def ring_is_zero(expr: sp.Expr, unit_vectors) -> bool | None:
    """Is ``expr`` zero modulo the unit relations?  ``None`` when the fast path does not apply.

    ``unit_vectors``: the component triples (v1, v2, v3) of every unit vector.
    """
    prep = _prepare(expr, unit_vectors)
    if prep is None:
        return None
    _, pn, _, rels = prep
    return not (pn.rem(rels) if rels else pn)


#: per-process memo of :func:`ring_canonical_memo` and :func:`ring_cancel_memo`: the audit asks for the same few
#: dozen expressions hundreds of times.  Keys are SymPy expressions, which compare structurally (exact: a Float
#: never equals a Rational, symbols with other assumptions differ), and the unit-vector triples.  The public
#: :func:`ring_canonical` and :func:`ring_cancel` always compute (the tests compare them with the reference path).
_MEMO: dict = {}
_MEMO_MAX = 20000


def ring_canonical_memo(expr: sp.Expr, unit_vectors) -> sp.Expr | None:
    """:func:`ring_canonical`, memoized per process."""
    units = tuple(tuple(c) for c in unit_vectors)
    return _memoized("canonical", expr, units, lambda: _ring_canonical_now(expr, units))


def ring_cancel_memo(expr: sp.Expr) -> sp.Expr | None:
    """:func:`ring_cancel`, memoized per process."""
    return _memoized("cancel", expr, None, lambda: _ring_cancel_now(expr))


def _memoized(kind: str, expr, extra, compute):
    if not isinstance(expr, sp.Basic):
        return compute()
    key = (kind, expr, extra)
    try:
        return _MEMO[key]
    except KeyError:
        pass
    value = compute()
    if len(_MEMO) >= _MEMO_MAX:
        _MEMO.clear()
    _MEMO[key] = value
    return value


def ring_canonical(expr: sp.Expr, unit_vectors) -> sp.Expr | None:
    """The canonical form of :func:`glass_sym.algebra.tensor.canonical` (same SymPy expression), or ``None`` when the
    expression is not a rational function of symbols, ``pi`` and ``I`` (then the reference path is used).

    ``unit_vectors``: the component triples (v1, v2, v3) of every unit vector.
    """
    return _ring_canonical_now(expr, unit_vectors)


def _ring_canonical_now(expr: sp.Expr, unit_vectors) -> sp.Expr | None:
    prep = _prepare(expr, unit_vectors)
    if prep is None:
        return None
    ring, pn, pd, rels = prep
    rem = pn.rem(rels) if rels else pn
    if not rem:
        return sp.S.Zero
    if pd == ring.one:
        return rem.as_expr()
    p, q = rem.cancel(pd)
    return p.as_expr() / q.as_expr()


def ring_cancel(expr: sp.Expr) -> sp.Expr | None:
    """``sympy.cancel(expr)`` (the same SymPy expression) for a rational function of symbols, ``pi`` and ``I``
    with rational coefficients, by the gcd in a sparse ring; ``None`` otherwise (then call ``sympy.cancel``)."""
    return _ring_cancel_now(expr)


def _ring_cancel_now(expr: sp.Expr) -> sp.Expr | None:
    expr = sp.sympify(expr)
    if expr.is_Number:
        return expr
    if not expr.free_symbols and not expr.has(sp.pi):
        return None
    prep = _prepare(expr, ())
    if prep is None:
        return None
    ring, pn, pd, _ = prep
    if not pn:
        return sp.S.Zero
    if pd == ring.one:
        return pn.as_expr()
    p, q = pn.cancel(pd)
    return p.as_expr() / q.as_expr()


def common_numerators(coefficients, extra_symbols=()):
    """The coefficients over one common denominator, in one sparse ring: ``(ring, numerators)`` with
    ``coefficient_k = numerators[k] / D`` for a polynomial D (the lcm of the denominators, not returned), or
    ``None`` when some coefficient is not a rational function of symbols, ``pi`` and ``I``.

    ``extra_symbols``: generators the ring must have besides the coefficients' symbols (unit-vector
    components multiplied in later).  For deciding which components vanish modulo the unit relations: the
    numerator of a sum over the common denominator is the sum of the numerators.
    """
    coefficients = [sp.sympify(c) for c in coefficients]
    if not all(_atoms_ok(c) for c in coefficients):
        return None
    fr = [c.as_numer_denom() for c in coefficients]
    gens = set(extra_symbols)
    gaussian = False
    for n, d in fr:
        gens |= n.free_symbols | d.free_symbols
        if n.has(sp.pi) or d.has(sp.pi):
            gens.add(sp.pi)
        gaussian = gaussian or n.has(sp.I) or d.has(sp.I)
    ring = _ring(tuple(_sort_gens(list(gens))), gaussian)
    try:
        pairs = [(ring.from_expr(n), ring.from_expr(d)) for n, d in fr]
    except (ValueError, TypeError, sp.polys.polyerrors.CoercionFailed, sp.polys.polyerrors.GeneratorsError):
        return None
    den = functools.reduce(lambda a, b: a.lcm(b), [d for _, d in pairs], ring.one)
    return ring, [n * den.exquo(d) for n, d in pairs]
