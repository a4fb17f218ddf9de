r"""The arguments of a closed form: which shared symbols it depends on, with units and ranges.

A registered closed form (:class:`glass_sym.derivation.ClosedForm`) carries its arguments, free indices and
units through :func:`arguments_of` and :func:`free_indices`, so that consumers (the kernels, the RG flow, the
lattice sums, :func:`glass_sym.numeric.numeric_function`) take the SymPy symbols from the form itself instead of
retyping names or argument lists.

An argument is a scalar (one symbol) or a vector (the three component symbols of
:data:`glass_sym.symbols.VECTOR_SYMBOLS`, named by its letter: ``n``, ``m``, ``qhat`` ...).  Arguments come in a
fixed order (:data:`ARGUMENT_ORDER`: vectors, then lengths, material constants, couplings, thermal symbols),
symbols not listed there after them by name.  Units are SI; ranges are SymPy sets (for a unit vector, of each
component).

>>> from glass_sym.symbols import N, alpha, r
>>> [a.name for a in arguments_of(alpha * N[0] / r**3)]
['n', 'r', 'alpha']
>>> spec = arguments_of(alpha)[0]
>>> spec.unit, spec.range
('1', Interval.open(0, 1))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from . import symbols as S
from .indexnotation import IndexExpr

__all__ = ["Argument", "ARGUMENT_ORDER", "arguments_of", "free_indices", "components_of"]

_POS = sp.Interval.open(0, sp.oo)
_UNIT_COMPONENT = sp.Interval(-1, 1)

#: symbol (or vector letter) -> (unit, range, meaning); the order of this table is the argument order
_SPECS: dict = {
    "n": ("1", _UNIT_COMPONENT, "unit vector n = (x_s - x_s')/|x_s - x_s'|"),
    "m": ("1", _UNIT_COMPONENT, "unit vector m, direction of Delta x_ss' (Appendix B)"),
    "qhat": ("1", _UNIT_COMPONENT, "unit vector q/|q|"),
    "x": ("m", sp.Reals, "position x = r n"),
    "q": ("1/m", sp.Reals, "wave vector q = q qhat"),
    "e": ("1", sp.Reals, "polarization vector"),
    S.r: ("m", _POS, "distance r = |x|"),
    S.DELTA_X: ("m", _POS, "|Delta x_ss'|, length of the relative displacement (B.2)"),
    S.rho: ("kg/m^3", _POS, "mass density"),
    S.c_l: ("m/s", _POS, "longitudinal sound speed"),
    S.c_t: ("m/s", _POS, "transverse sound speed"),
    S.alpha: ("1", sp.Interval.open(0, 1), "alpha = 1 - c_t^2/c_l^2 (0 < c_t < c_l)"),
    S.chi_l: ("Pa", sp.Reals, "isotropic susceptibility, longitudinal part (C.24); chi/(rho c^2) is dimensionless"),
    S.chi_t: ("Pa", sp.Reals, "isotropic susceptibility, transverse part (C.24)"),
    S.omega: ("rad/s", _POS, "phonon angular frequency"),
    S.Omega: ("rad/s", _POS, "TTLS level splitting as an angular frequency"),
    S.hbar: ("J s", _POS, "reduced Planck constant"),
    S.beta: ("1/J", _POS, "beta = 1/(k_B T)"),
    S.T: ("K", _POS, "temperature"),
    S.k_B: ("J/K", _POS, "Boltzmann constant"),
    S.lam: ("1/m", _POS, "regulator lambda of 1/(q^2 + lambda^2)"),
    S.q: ("1/m", _POS, "wave number |q|"),
    S.epsilon: ("1", _POS, "small parameter epsilon"),
    S.theta: ("rad", sp.Interval(0, sp.pi), "polar angle"),
    S.phi: ("rad", sp.Interval.Ropen(0, 2 * sp.pi), "azimuthal angle"),
    S.N0: ("1", sp.Interval(1, sp.oo), "blocks per edge of the super block, N_0 (C.20)-(C.23)"),
}
#: argument keys in order: vector letters and shared symbols
ARGUMENT_ORDER: tuple = tuple(_SPECS)


@dataclass(frozen=True)
class Argument:
    """One argument of a closed form.

    Attributes
    ----------
    name : str
        The keyword :class:`glass_sym.numeric.NumericFunction` takes: a symbol name (``'alpha'``, ``'c_l'``,
        ``'lambda'``) or a vector letter (``'n'``).
    symbols : tuple of sympy.Symbol
        The symbol (scalar) or the three component symbols (vector).
    unit : str
        SI unit ('1' dimensionless; '' unknown, for a symbol outside :data:`ARGUMENT_ORDER`).
    range : sympy.Set
        Allowed values (of each component, for a vector).
    meaning : str
    """

    name: str
    symbols: tuple
    unit: str
    range: sp.Set
    meaning: str

    @property
    def vector(self) -> bool:
        return len(self.symbols) == 3 and self.name in S.VECTOR_SYMBOLS

    @property
    def symbol(self) -> sp.Symbol:
        """The symbol of a scalar argument (ValueError for a vector)."""
        if self.vector:
            raise ValueError(f"argument {self.name!r} is a vector; use .symbols")
        return self.symbols[0]


def components_of(value) -> tuple:
    """The explicit components of a closed form (an IndexExpr: all 3^rank in index order; a scalar: itself)."""
    if isinstance(value, IndexExpr):
        t = value.to_tensor()
        rank = len(value.indices)
        return tuple(sp.sympify(t[idx]) for idx in np.ndindex(*(3,) * rank)) if rank else (sp.sympify(t[()]),)
    return (sp.sympify(value),)


def free_indices(value) -> str:
    """The free indices of a closed form ('' for a scalar), e.g. ``'ijkl'`` for tilde Lambda_ijkl."""
    return "".join(value.indices) if isinstance(value, IndexExpr) else ""


def _vector_of(sym: sp.Symbol):
    for name, comps in S.VECTOR_SYMBOLS.items():
        if sym in comps:
            return name
    return None


def arguments_of(value) -> tuple[Argument, ...]:
    """The arguments of a closed form (IndexExpr, SymPy expression or a tuple of component expressions), in
    :data:`ARGUMENT_ORDER`, then any other symbol by name.

    Raises
    ------
    TypeError
        for a value that is neither (propagated from :func:`sympy.sympify` of a non-expression).
    """
    exprs = value if isinstance(value, tuple) else components_of(value)
    free = set().union(*(e.free_symbols for e in exprs)) if exprs else set()
    found: dict = {}
    for s in free:
        vec = _vector_of(s)
        key = vec if vec is not None else s
        found[key] = True
    order = {k: i for i, k in enumerate(ARGUMENT_ORDER)}
    keys = sorted(found, key=lambda k: (order.get(k, len(order)), k if isinstance(k, str) else k.name))
    out = []
    for k in keys:
        unit, rng, meaning = _SPECS.get(k, ("", sp.Reals, ""))
        if isinstance(k, str):
            out.append(Argument(k, tuple(S.VECTOR_SYMBOLS[k]), unit, rng, meaning))
        else:
            out.append(Argument(k.name, (k,), unit, rng, meaning))
    return tuple(out)
