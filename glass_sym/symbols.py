"""The physical symbols shared by every module (one place, so that all closed forms use the same objects).

Unit vectors are explicit 3-component tuples of real symbols: ``N`` (the direction n of x_s - x_s'),
``M`` (the direction m of a displacement, Appendix B), ``QHAT`` (q/|q|), ``X`` (a position), ``Q`` (a wave
vector).  Scalars: ``alpha = 1 - c_t^2/c_l^2``, density ``rho``, sound speeds ``c_l``, ``c_t``, distance ``r``,
regulator ``lam``.
"""

from __future__ import annotations

import sympy as sp

__all__ = [
    "N", "M", "QHAT", "X", "Q", "E",
    "alpha", "rho", "c_l", "c_t", "r", "lam", "q", "epsilon",
    "UNIT_VECTORS", "VECTOR_SYMBOLS", "SCALAR_SYMBOLS", "symbol_by_name", "register_vector",
]

N = sp.symbols("n1:4", real=True)
M = sp.symbols("m1:4", real=True)
QHAT = sp.symbols("qhat1:4", real=True)
X = sp.symbols("x1:4", real=True)
Q = sp.symbols("q1:4", real=True)
E = sp.symbols("e1:4", real=True)

alpha = sp.Symbol("alpha", real=True)
rho = sp.Symbol("rho", positive=True)
c_l = sp.Symbol("c_l", positive=True)
c_t = sp.Symbol("c_t", positive=True)
r = sp.Symbol("r", positive=True)
lam = sp.Symbol("lambda", positive=True)
q = sp.Symbol("q", positive=True)
epsilon = sp.Symbol("epsilon", positive=True)

#: vectors by the letter used in index notation
VECTOR_SYMBOLS: dict[str, tuple[sp.Symbol, sp.Symbol, sp.Symbol]] = {
    "n": N, "m": M, "qhat": QHAT, "x": X, "q": Q, "e": E,
}
#: vectors constrained to unit length (canonical forms reduce modulo v.v = 1); a list, so that the unit
#: vectors the parser registers for user letters (``\\hat p``, p_i = p phat_i) join it (:func:`register_vector`)
UNIT_VECTORS = ["n", "m", "qhat"]

SCALAR_SYMBOLS: dict[str, sp.Symbol] = {
    s.name: s for s in (alpha, rho, c_l, c_t, r, lam, q, epsilon)
}


def symbol_by_name(name: str) -> sp.Symbol:
    """Return the shared symbol called ``name`` (scalars and vector components).

    >>> symbol_by_name("c_t")
    c_t
    """
    if name in SCALAR_SYMBOLS:
        return SCALAR_SYMBOLS[name]
    for vec in VECTOR_SYMBOLS.values():
        for s in vec:
            if s.name == name:
                return s
    raise KeyError(f"unknown symbol {name!r}")


def register_vector(name: str, *, unit: bool = False) -> tuple[sp.Symbol, sp.Symbol, sp.Symbol]:
    """The components of vector ``name`` (``name1``, ``name2``, ``name3``, real), registered on first use.

    The parser registers a vector for every letter it reads as one (``p_i``, ``p'_j``, ``\\hat p_i``);
    ``unit=True`` adds it to :data:`UNIT_VECTORS`, so canonical forms reduce modulo v.v = 1.  Registering
    an existing name returns its components (and refuses to change whether it is a unit vector).

    >>> register_vector("phat", unit=True)[0]
    phat1
    """
    if not isinstance(name, str) or not name or not all(c.isalnum() or c == "'" for c in name):
        raise ValueError(f"vector name must be letters, digits and primes, got {name!r}")
    if name in VECTOR_SYMBOLS:
        if unit != (name in UNIT_VECTORS):
            raise ValueError(f"vector {name!r} is already registered with unit={name in UNIT_VECTORS}")
        return VECTOR_SYMBOLS[name]
    comps = tuple(sp.Symbol(f"{name}{k}", real=True) for k in (1, 2, 3))
    VECTOR_SYMBOLS[name] = comps
    if unit:
        UNIT_VECTORS.append(name)
    return comps
