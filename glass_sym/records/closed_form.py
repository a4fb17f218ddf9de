r"""The arguments of a closed form: which shared symbols it depends on, with units and ranges.

A registered closed form (:class:`glass_sym.records.derivation.ClosedForm`) carries its arguments, free indices and
units through :func:`arguments_of` and :func:`free_indices`, so that consumers (the kernels, the RG flow, the
lattice sums, :func:`glass_sym.numerics.functions.numeric_function`) take the SymPy symbols from the form itself instead of
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

import numbers
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

import numpy as np
import sympy as sp

from glass_sym import symbols as S
from glass_sym.algebra.indexnotation import IndexExpr
from glass_sym.algebra.structures import pretty
from glass_sym.errors import InputError
from glass_sym.suggest import did_you_mean
from glass_sym.symbols import UNIT_VECTORS, VECTOR_SYMBOLS

__all__ = ["Argument", "ARGUMENT_ORDER", "arguments_of", "free_indices", "components_of", "NumericFunction",
           "numeric_function_of", "Evaluation"]

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
#: scalar arguments whose range numeric functions enforce (the others: any real, or the sign checks of positive
#: symbols; angles are periodic, lambda -> 0 is the physical limit)
_BOUNDED = frozenset({S.alpha, S.N0})
#: argument keys in order: vector letters and shared symbols
ARGUMENT_ORDER: tuple = tuple(_SPECS)


@dataclass(frozen=True)
class Argument:
    """One argument of a closed form.

    Attributes
    ----------
    name : str
        The keyword :class:`glass_sym.numerics.functions.NumericFunction` takes: a symbol name (``'alpha'``, ``'c_l'``,
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
    """The explicit components of a closed form (an IndexExpr: all 3^rank in index order; a matrix such as the
    (B.5) averages: its entries row by row; a scalar: itself)."""
    if isinstance(value, sp.MatrixBase):
        return tuple(sp.sympify(e) for e in value)
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


@dataclass(frozen=True, eq=False)
class NumericFunction:
    """A closed form as a NumPy function of named arguments.

    Attributes
    ----------
    name : str
        The closed form's name (or ``'typed'`` for an evaluated expression).
    indices : str
        Free indices, e.g. ``'ijkl'`` ('' for a scalar).
    shape : tuple
        ``(3,) * rank``: the trailing shape of the result.
    scalars : tuple of str
        Scalar argument names (symbol names: ``alpha``, ``r``, ``c_l`` ...).
    vectors : tuple of str
        Vector argument names (arrays of shape (..., 3)); those in :data:`glass_sym.symbols.UNIT_VECTORS` are
        normalised.
    complex : bool
        Whether the result is complex (``i`` in the closed form, e.g. an odd Fourier transform).
    """

    name: str
    indices: str
    shape: tuple
    scalars: tuple
    vectors: tuple
    complex: bool
    _exprs: tuple
    _func: Callable
    #: scalar arguments declared positive (r, Delta_x, lambda, hbar, omega, T ...): negative values are refused,
    #: and for the distances r and Delta_x also 0
    positive: tuple = ()
    #: scalar arguments with a physical range the formula does not extend to: name -> (lo, hi, lo open, hi open)
    #: (alpha in (0, 1), i.e. 0 < c_t < c_l; N_0 >= 1); values outside are refused
    bounded: tuple = ()

    @property
    def args(self) -> tuple[str, ...]:
        """Every argument name, sorted."""
        return tuple(sorted(self.scalars + self.vectors))

    def __call__(self, *positional, **kwargs: Any) -> np.ndarray:
        """Evaluate: named arguments only (see :attr:`args`); returns shape ``batch + self.shape``."""
        if positional:
            raise InputError(f"{self.name}: arguments must be named ({', '.join(self.args) or 'none'}), "
                             f"got {len(positional)} positional")
        unknown = sorted(set(kwargs) - set(self.args))
        if unknown:
            raise InputError(f"{self.name}: unknown argument {unknown[0]!r}{did_you_mean(unknown[0], self.args)}; "
                             f"expected {', '.join(self.args) or 'none'}")
        missing = [a for a in self.args if a not in kwargs]
        if missing:
            raise InputError(f"{self.name}: missing argument(s) {', '.join(missing)}")
        values, shapes = [], []
        for a in self.scalars:
            v = _numbers(kwargs[a], a)
            if a in _DISTANCES and (v <= 0).any():
                raise InputError(f"{self.name}: argument {a!r} is a distance: expected a value > 0, got "
                                 f"{v[v <= 0].ravel()[0]:g}")
            if a in self.positive and (v < 0).any():
                raise InputError(f"{self.name}: argument {a!r} is a positive quantity: expected a value >= 0, got "
                                 f"{v[v < 0].ravel()[0]:g}")
            for name, lo, hi, lo_open, hi_open in self.bounded:
                if name == a and ((v < lo).any() or (v > hi).any() or (lo_open and (v == lo).any())
                                  or (hi_open and (v == hi).any())):
                    bad = v[(v < lo) | (v > hi) | ((v == lo) & lo_open) | ((v == hi) & hi_open)].ravel()[0]
                    raise InputError(f"{self.name}: argument {a!r} must lie in {'(' if lo_open else '['}{lo:g}, "
                                     f"{hi:g}{')' if hi_open else ']'}, got {bad:g}")
            values.append(v)
            shapes.append(v.shape)
        for a in self.vectors:
            v = _numbers(kwargs[a], a)
            if v.ndim == 0 or v.shape[-1] != 3:
                raise InputError(f"{self.name}: argument {a!r} is a vector: expected shape (..., 3), got {v.shape}")
            if a in UNIT_VECTORS:
                norm = np.linalg.norm(v, axis=-1, keepdims=True)
                if (norm == 0).any():
                    raise InputError(f"{self.name}: argument {a!r} is a direction; got a zero vector")
                v = v / norm
            values.extend([v[..., 0], v[..., 1], v[..., 2]])
            shapes.append(v.shape[:-1])
        try:
            batch = np.broadcast_shapes(*shapes) if shapes else ()
        except ValueError:
            raise InputError(f"{self.name}: argument shapes {shapes} do not broadcast") from None
        with np.errstate(all="ignore"):       # a singular point gives inf/nan, never a warning with code
            comps = self._func(*values)
        out = np.empty(batch + (len(self._exprs),), dtype=np.complex128 if self.complex else np.float64)
        with np.errstate(all="ignore"):
            for k, c in enumerate(comps):
                out[..., k] = np.broadcast_to(np.asarray(c), batch)
        return out.reshape(batch + self.shape)


#: scalar arguments that are distances (r = |x|, |Delta x_{ss'}|): 0 and negative values are refused
_DISTANCES = frozenset({"r", "Delta_x"})


def _real(x, name: str) -> float:
    """One element of an object array: a real number of any kind (int, float, Fraction, Decimal, SymPy)."""

    if isinstance(x, (bool, np.bool_, str, bytes)) or x is None:
        raise InputError(f"argument {name!r}: expected real numbers, got {type(x).__name__} {x!r}")
    if isinstance(x, sp.Basic):
        if not (x.is_number and x.is_real):
            raise InputError(f"argument {name!r}: expected a real number, got {x}")
        return float(x)
    if isinstance(x, (numbers.Real, Decimal)):
        return float(x)
    raise InputError(f"argument {name!r}: expected real numbers, got {type(x).__name__} {x!r}")


def _numbers(value, name: str) -> np.ndarray:
    """Real numbers (any Python, NumPy, fractions, decimal or SymPy real; nested lists of them) as float64."""
    if isinstance(value, (str, bytes, bool, np.bool_)) or value is None:
        raise InputError(f"argument {name!r}: expected a real number or array, got {type(value).__name__} {value!r}")
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError):
        raise InputError(f"argument {name!r}: expected a real number or a regular array of them") from None
    if arr.dtype == object:
        arr = np.vectorize(lambda x: _real(x, name), otypes=[np.float64])(arr) if arr.size else arr.astype(float)
    if arr.dtype.kind == "c":
        raise InputError(f"argument {name!r}: expected real numbers, got complex values")
    if arr.dtype.kind not in "iuf":
        raise InputError(f"argument {name!r}: expected real numbers, got an array of {arr.dtype}")
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise InputError(f"argument {name!r}: expected finite numbers, got {arr[~np.isfinite(arr)].ravel()[0]}")
    return arr


def numeric_function_of(value, label: str) -> NumericFunction:
    """The :class:`NumericFunction` of a closed-form value (an IndexExpr or a SymPy scalar) named ``label``:
    arguments from :func:`arguments_of` (scalars sorted by name, then vectors), components from
    :func:`components_of`, lambdified for NumPy (:func:`glass_sym.numerics.functions.numeric_function` resolves names and
    typed evaluations first)."""
    exprs, indices = components_of(value), free_indices(value)
    rank = len(indices)
    arguments = arguments_of(exprs)
    scalars = sorted((a.symbol for a in arguments if not a.vector), key=lambda s: s.name)
    vectors = [a.name for a in sorted((a for a in arguments if a.vector), key=lambda a: a.symbols[0].name)]
    names = [s.name for s in scalars] + vectors
    clash = sorted({n for n in names if names.count(n) > 1})
    if clash:  # e.g. a mass m and the unit vector m: one keyword cannot feed both
        raise InputError(f"{label}: argument name {clash[0]!r} stands for two different symbols (a scalar and a "
                         f"vector, or two scalars with different assumptions); rename one before making it numeric")
    dummies = {s: sp.Dummy(f"a{k}") for k, s in enumerate(scalars)}
    args = [dummies[s] for s in scalars]
    for vname in vectors:
        for k, c in enumerate(VECTOR_SYMBOLS[vname]):
            dummies[c] = sp.Dummy(f"{vname}{k}")
            args.append(dummies[c])
    safe = [e.xreplace(dummies) for e in exprs]
    func = sp.lambdify(args, safe, modules="numpy")
    is_complex = any(e.has(sp.I) for e in exprs)
    shape = tuple(value.shape) if isinstance(value, sp.MatrixBase) else (3,) * rank
    bounded = tuple((s.name, float(_SPECS[s][1].inf), float(_SPECS[s][1].sup), bool(_SPECS[s][1].left_open),
                     bool(_SPECS[s][1].right_open)) for s in scalars if s in _BOUNDED)
    return NumericFunction(label, indices, shape, tuple(s.name for s in scalars), tuple(vectors),
                           is_complex, tuple(exprs), func, tuple(s.name for s in scalars if s.is_positive), bounded)


@dataclass
class Evaluation:
    """A typed expression computed to a closed form.

    ``value`` is a SymPy scalar or an :class:`IndexExpr` (coefficients reduced modulo n.n = 1), ``indices`` its
    free indices as a string (``'jl'``, ``''`` for a scalar), ``structures`` the coefficient of every index
    structure (``{'d_jl': ..., 'n_j n_l': ...}``; ``{'1': value}`` for a scalar), with dot products of vectors
    written as one symbol (``(n.phat)``), ``latex`` the closed form in LaTeX (``(n \\cdot \\hat{p})``),
    ``lhs`` the left side when an equation was typed.
    """

    text: str
    value: object
    indices: str
    structures: dict
    latex: str
    lhs: str | None = None
    rank: int = field(init=False)

    def __post_init__(self):
        self.rank = len(self.indices)

    def index_text(self) -> str:
        """The closed form in index notation, one line (``(1/(4*pi*r**3)) d_jl + ...``)."""
        if not self.structures:
            return "0"
        return " + ".join(f"({pretty(c)}) {s}" if s != "1" else f"{pretty(c)}"
                          for s, c in self.structures.items())

    def as_dict(self) -> dict:
        """JSON: ``{latex_in, lhs, rank, indices, structures: {name: coefficient}, latex}`` (docs/json.md)."""
        return {"latex_in": self.text, "lhs": self.lhs, "rank": self.rank, "indices": self.indices,
                "structures": {k: pretty(v) for k, v in self.structures.items()}, "latex": self.latex}
