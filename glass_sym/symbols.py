"""The physical symbols shared by every module (one place, so that all closed forms use the same objects).

Unit vectors are explicit 3-component tuples of real symbols: ``N`` (the direction n of x_s - x_s'),
``M`` (the direction m of a displacement, Appendix B), ``QHAT`` (q/|q|), ``X`` (a position), ``Q`` (a wave
vector).  Scalars: ``alpha = 1 - c_t^2/c_l^2``, density ``rho``, sound speeds ``c_l``, ``c_t``, distance ``r``,
regulator ``lam``.  Appendix C and the parser: isotropic susceptibilities ``chi_l``, ``chi_t`` (C.24), phonon
and TTLS frequencies ``omega``, ``Omega``, ``hbar``, ``beta = 1/(k_B T)``, ``T``, ``k_B``; the displacement length
``DELTA_X`` = |Delta x_{ss'}| (B.2); spherical angles ``theta``, ``phi`` (real: the parser integrates over them with
printed limits, and the Fourier engine uses u = cos(theta)).

Every module takes these objects from here: SymPy treats two symbols of the same name with different
assumptions as different, so a second definition elsewhere would silently split an expression
(``tests/test_symbols.py`` scans the modules for that).
"""

from __future__ import annotations

import sympy as sp

from ._typing import Vector3

__all__ = [
    "N", "M", "QHAT", "X", "Q", "E",
    "alpha", "rho", "c_l", "c_t", "r", "lam", "q", "epsilon",
    "chi_l", "chi_t", "omega", "Omega", "hbar", "beta", "T", "k_B", "DELTA_X", "theta", "phi", "N0",
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

#: isotropic susceptibility components (C.24), (2.17): the RG code lambdifies closed forms in these
chi_l = sp.Symbol("chi_l", real=True)
chi_t = sp.Symbol("chi_t", real=True)
#: phonon angular frequency and TTLS level splitting (C.17)-(C.19)
omega = sp.Symbol("omega", positive=True)
Omega = sp.Symbol("Omega", positive=True)
hbar = sp.Symbol("hbar", positive=True)
#: inverse temperature 1/(k_B T), temperature, Boltzmann constant
beta = sp.Symbol("beta", positive=True)
T = sp.Symbol("T", positive=True)
k_B = sp.Symbol("k_B", positive=True)
#: |Delta x_{ss'}| = |u(x_s) - u(x_s')|, the length of the relative displacement (B.2), (B.3); direction m
DELTA_X = sp.Symbol("Delta_x", positive=True)
#: polar and azimuthal angles of a direction (real; limits are given where they are integrated)
theta = sp.Symbol("theta", real=True)
phi = sp.Symbol("phi", real=True)
#: N_0, blocks per edge of the super block (C.20)-(C.23); no assumptions, as the parser reads a typed N_0
N0 = sp.Symbol("N_0")

#: vectors by the letter used in index notation
VECTOR_SYMBOLS: dict[str, Vector3] = {
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


def register_vector(name: str, *, unit: bool = False) -> Vector3:
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
