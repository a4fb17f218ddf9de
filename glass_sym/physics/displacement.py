"""First-order change of a pair kernel K(x_s - x_s') when the blocks are displaced (Appendices B and D).

A phonon moves block s by u(x_s); the separation x = x_s - x_s' becomes x + Delta x with
Delta x = u(x_s) - u(x_s') = Delta_x m (|Delta x| = ``DELTA_X``, direction the unit vector m).  To first order

    K(x + Delta_x m) = K(x) + Delta_x m_p d_p K(x) + O(Delta_x^2).

:func:`first_order_change` computes m_p d_p K for a kernel given as an :class:`IndexExpr` in n = x/|x| with
coefficients in r = |x| (the form of every registered real-space closed form): n_a -> x_a/r, the derivative
d/dx_p by the index calculus chain rule (:meth:`IndexExpr.diff`), x -> r n, and the new index p contracted
with m (n_p m_p -> cos(theta) = m.n, written out as m1 n1 + m2 n2 + m3 n3; delta_ap m_p -> m_a).

:func:`explicit_first_order_change` is the independent route used by the checks: the same directional
derivative of every explicit component, differentiated by SymPy in Cartesian x1, x2, x3.

>>> from glass_sym.algebra.indexnotation import scalar
>>> from glass_sym.symbols import r
>>> first_order_change(scalar(1 / r)).coefficients()
[-(m1*n1 + m2*n2 + m3*n3)/r**2]
"""

from __future__ import annotations

import functools

import sympy as sp

from glass_sym.algebra.indexnotation import IndexExpr
from glass_sym.errors import InputError
from glass_sym.symbols import DELTA_X, VECTOR_SYMBOLS, M, N, r

__all__ = ["DELTA_X", "cos_theta", "contract_vector", "first_order_change", "explicit_first_order_change"]

#: |Delta x_{ss'}| = |u(x_s) - u(x_s')|: :data:`glass_sym.symbols.DELTA_X` (the parser's symbol), re-exported here

_FRESH = "p"


def cos_theta(a: str = "m", b: str = "n") -> sp.Expr:
    """cos(theta) = m.n written out in components (``m1*n1 + m2*n2 + m3*n3``).

    >>> cos_theta()
    m1*n1 + m2*n2 + m3*n3
    """
    if a not in VECTOR_SYMBOLS or b not in VECTOR_SYMBOLS:
        raise InputError(f"vectors must be among {sorted(VECTOR_SYMBOLS)}, got {a!r}, {b!r}")
    return sum(x * y for x, y in zip(VECTOR_SYMBOLS[a], VECTOR_SYMBOLS[b]))


def contract_vector(expr: IndexExpr, index: str, vector: str) -> IndexExpr:
    """sum_index expr_{..index..} v_index: contract one free index with the vector ``vector``.

    A factor w_index becomes the scalar w.v (in components) in the coefficient; delta_{a index} becomes v_a.

    >>> from glass_sym.algebra.indexnotation import delta, vec
    >>> contract_vector(delta("i", "p") * 2, "p", "m").indices
    ('i',)
    """
    if index not in expr.indices:
        raise InputError(f"index {index!r} is not a free index of {expr.indices}")
    terms: dict = {}
    for mono, c in expr.terms.items():
        rest = []
        coeff = c
        for f in mono:
            if f[0] == "v" and f[2] == index:
                coeff = coeff * cos_theta(f[1], vector)
            elif f[0] == "d" and index in (f[1], f[2]):
                other = f[2] if f[1] == index else f[1]
                rest.append(("v", vector, other))
            else:
                rest.append(f)
        key = tuple(sorted(rest))
        terms[key] = terms.get(key, sp.S.Zero) + coeff
    out = IndexExpr(terms, [i for i in expr.indices if i != index])
    return out.map_coefficients(sp.expand)


def first_order_change(expr: IndexExpr, direction: str = "m") -> IndexExpr:
    """m_p d/dx_p of a kernel given in n = x/|x| with coefficients in r (index calculus route).

    Parameters
    ----------
    expr : IndexExpr
        K(x) in the vector ``n`` with coefficients depending on ``r`` (and parameters).
    direction : str
        The unit vector of the displacement (default ``'m'``).

    Returns
    -------
    IndexExpr
        D with K(x + Delta_x m) = K(x) + Delta_x D + O(Delta_x^2), same free indices as ``expr``.

    >>> from glass_sym.algebra.indexnotation import vec
    >>> d = first_order_change(vec("n", "i"))
    >>> d.to_tensor()[0]
    m1/r - n1*(m1*n1 + m2*n2 + m3*n3)/r
    """
    if "x" in expr.vectors():
        raise InputError("the kernel must be written in n = x/|x| and r, not in x")
    fresh = _FRESH
    while fresh in expr.indices:
        fresh += "p"
    in_x = expr.substitute_vector("n", "x", 1 / r)
    deriv = in_x.diff(fresh, "x", r).substitute_vector("x", "n", r)
    out = contract_vector(deriv, fresh, direction)
    return out.map_coefficients(lambda c: sp.factor(sp.expand(c)))


def explicit_first_order_change(t, direction: tuple = M):
    """Independent route: d/dt K(x + t m) at t = 0 for every explicit component (a Tensor in n1..n3 and r).

    Along the straight line x(t) = r n + t m the component f(n, r) is f(n(t), R(t)) with
    n(t) = (r n + t m)/R(t) and R(t) = |r n + t m| = sqrt(r^2 + 2 t r m.n + t^2) (|n| = |m| = 1), so
    R(0) = r, R'(0) = m.n and n_i'(0) = (m_i - n_i m.n)/r.  The chain rule with SymPy's Cartesian partial
    derivatives of the explicit component (no index calculus) gives

        d/dt f at t = 0 = sum_i (d f/d n_i) (m_i - n_i m.n)/r + (d f/d r) m.n,

    the same expanded expression SymPy obtains by substituting n(t), R(t) and differentiating in t (which is
    three to four times slower).
    """
    mn = sum(a * b for a, b in zip(direction, N))
    tangent = [(direction[i] - N[i] * mn) / r for i in range(3)]

    def comp(c):
        c = sp.sympify(c)
        if c == 0:
            return sp.S.Zero
        d1, d2, d3, dr = _partials(c)
        # products of sums distributed (expand_mul): the components are polynomials in n, m and powers of r,
        # for which this is SymPy's full expand (same expressions), at less than half the cost
        return sp.expand_mul(d1 * tangent[0] + d2 * tangent[1] + d3 * tangent[2] + dr * mn)

    return t.map(comp)


@functools.lru_cache(maxsize=4096)
def _partials(c: sp.Expr) -> tuple:
    """(d c/d n1, d c/d n2, d c/d n3, d c/d r) of one explicit component (shared by every direction)."""
    return tuple(sp.diff(c, v) for v in (*N, r))
