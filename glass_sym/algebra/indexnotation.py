"""Tensor expressions in index notation: sums of coefficient x (Kronecker deltas x vector components).

An :class:`IndexExpr` is what a physicist writes on paper, for example ::

    (1/4) (delta_jl - 3 n_j n_l) delta_ik + ...

stored as a map from *monomials* (sorted tuples of factors ``("d", a, b)`` for delta_ab and
``("v", name, a)`` for the component a of vector ``name``) to SymPy coefficients, together with the ordered
tuple of free indices.  Every free index occurs exactly once in every monomial.

It is the representation the engine differentiates (the x-derivatives of the Fourier engine act on it by the
chain rule), the LaTeX printer groups, and the parser produces.  Explicit components are obtained with
:meth:`IndexExpr.to_tensor`; equality is decided there, by the canonical form of :mod:`glass_sym.algebra.tensor`.

>>> from glass_sym.algebra.indexnotation import delta, vec
>>> e = delta("i", "j") - 3 * vec("n", "i") * vec("n", "j")
>>> e.indices
('i', 'j')
>>> e.to_tensor()[2, 2]
1 - 3*n3**2
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence

import sympy as sp

from glass_sym._typing import Factor, Monomial, Scalar  # re-exported: indexnotation.Factor etc. stay valid
from glass_sym.errors import InputError
from glass_sym.symbols import VECTOR_SYMBOLS, r as _r

from .latex_notation import index_latex
from .tensor import Tensor

__all__ = ["IndexExpr", "Factor", "Monomial", "delta", "vec", "scalar", "radial_derivative", "index_string",
           "isotropic_basis", "to_array", "monomial_at"]



def index_string(indices) -> str:
    """Indices as physicists write them: ``'ijkl'`` (``'i,j2'`` when a name is longer), ``'none'`` for rank 0.

    >>> index_string(("i", "j")), index_string(())
    ('ij', 'none')
    """
    idx = [str(i) for i in indices]
    if not idx:
        return "none"
    return "".join(idx) if all(len(i) == 1 for i in idx) else ",".join(idx)


def _delta_factor(a: str, b: str) -> Factor:
    return ("d", a, b) if a <= b else ("d", b, a)


def _factor_indices(f: Factor) -> tuple[str, ...]:
    return (f[1], f[2]) if f[0] == "d" else (f[2],)


def _monomial_indices(mono: Monomial) -> list[str]:
    out: list[str] = []
    for f in mono:
        out.extend(_factor_indices(f))
    return out


def _rename_factor(f: Factor, mapping: Mapping[str, str]) -> Factor:
    if f[0] == "d":
        return _delta_factor(mapping.get(f[1], f[1]), mapping.get(f[2], f[2]))
    return ("v", f[1], mapping.get(f[2], f[2]))


class IndexExpr:
    """A tensor expression in index notation with ordered free indices.

    Parameters
    ----------
    terms : mapping
        monomial -> SymPy coefficient.
    indices : tuple of str
        The free indices, in the order used for explicit components.
    """

    __slots__ = ("terms", "indices")

    def __init__(self, terms: Mapping[Monomial, Scalar], indices: Iterable[str]):
        self.indices = tuple(indices)
        if len(set(self.indices)) != len(self.indices):
            raise InputError(f"free indices must be distinct, got {index_string(self.indices)}")
        clean: dict[Monomial, sp.Expr] = {}
        want = sorted(self.indices)
        for mono, c in terms.items():
            c = sp.sympify(c)
            if c == 0:
                continue
            mono = tuple(sorted(mono))
            if sorted(_monomial_indices(mono)) != want:
                raise InputError(
                    f"every term must carry each free index {index_string(self.indices)} once; term {mono} does not"
                )
            clean[mono] = clean.get(mono, sp.S.Zero) + c
        self.terms = {k: v for k, v in clean.items() if v != 0}

    # ------------------------------------------------------------------ construction
    @classmethod
    def zero(cls, indices: Iterable[str] = ()) -> "IndexExpr":
        return cls({}, indices)

    # ------------------------------------------------------------------ arithmetic
    def _check_same(self, other: "IndexExpr") -> None:
        if sorted(self.indices) != sorted(other.indices):
            raise InputError(f"cannot add tensors with free indices {index_string(self.indices)} and "
                             f"{index_string(other.indices)}")

    def __add__(self, other):
        if not isinstance(other, IndexExpr):
            if sp.sympify(other) == 0:
                return self
            other = scalar(other, self.indices) if not self.indices else None
            if other is None:
                raise InputError("cannot add a scalar to a tensor with free indices")
        self._check_same(other)
        terms = dict(self.terms)
        for k, v in other.terms.items():
            terms[k] = terms.get(k, sp.S.Zero) + v
        return IndexExpr(terms, self.indices)

    __radd__ = __add__

    def __neg__(self):
        return IndexExpr({k: -v for k, v in self.terms.items()}, self.indices)

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other

    def __mul__(self, other):
        if isinstance(other, IndexExpr):
            shared = set(self.indices) & set(other.indices)
            if shared:
                raise InputError(
                    f"outer product needs distinct indices; {sorted(shared)} repeated (contract explicit tensors instead)"
                )
            terms: dict[Monomial, sp.Expr] = {}
            for m1, c1 in self.terms.items():
                for m2, c2 in other.terms.items():
                    key = tuple(sorted(m1 + m2))
                    terms[key] = terms.get(key, sp.S.Zero) + c1 * c2
            return IndexExpr(terms, self.indices + other.indices)
        other = sp.sympify(other)
        return IndexExpr({k: v * other for k, v in self.terms.items()}, self.indices)

    __rmul__ = __mul__

    def __truediv__(self, other):
        return self * (sp.S.One / sp.sympify(other))

    # ------------------------------------------------------------------ index manipulation
    def reorder(self, indices: Iterable[str]) -> "IndexExpr":
        """Same tensor, explicit components ordered by ``indices`` (a permutation of the free indices)."""
        indices = tuple(indices)
        if sorted(indices) != sorted(self.indices):
            raise InputError(f"{index_string(indices)} is not a permutation of {index_string(self.indices)}")
        return IndexExpr(self.terms, indices)

    def rename(self, mapping: Mapping[str, str]) -> "IndexExpr":
        """Relabel free indices, e.g. ``f2.rename({'j': 'i', 'l': 'k'})``."""
        terms = {tuple(sorted(_rename_factor(f, mapping) for f in m)): c for m, c in self.terms.items()}
        return IndexExpr(terms, tuple(mapping.get(i, i) for i in self.indices))

    def substitute_vector(self, old: str, new: str, factor: Scalar = 1) -> "IndexExpr":
        """Replace every component of vector ``old`` by ``factor`` times the same component of ``new``
        (``x_a -> r n_a`` is ``substitute_vector('x', 'n', r)``)."""
        factor = sp.sympify(factor)
        terms: dict[Monomial, sp.Expr] = {}
        for m, c in self.terms.items():
            k = sum(1 for f in m if f[0] == "v" and f[1] == old)
            key = tuple(sorted(("v", new, f[2]) if f[0] == "v" and f[1] == old else f for f in m))
            terms[key] = terms.get(key, sp.S.Zero) + c * factor**k
        return IndexExpr(terms, self.indices)

    def replace_pairs(self, name: str, rule: Callable[[str, str], "IndexExpr"]) -> "IndexExpr":
        """Replace each product ``v_a v_b`` of two components of vector ``name`` by ``rule(a, b)``.

        Used for polarization sums: sum_t e_a e_b = delta_ab - qhat_a qhat_b (A.5).  Every term must hold
        exactly two components of ``name``.
        """
        out = IndexExpr.zero(self.indices)
        for m, c in self.terms.items():
            vs = [f for f in m if f[0] == "v" and f[1] == name]
            if len(vs) != 2:
                raise InputError(f"term {m} holds {len(vs)} components of {name!r}; expected 2")
            rest = IndexExpr({tuple(f for f in m if f not in vs): c}, [i for i in self.indices if i not in (vs[0][2], vs[1][2])])
            out = out + (rest * rule(vs[0][2], vs[1][2])).reorder(self.indices)
        return out

    def map_coefficients(self, fn: Callable[[sp.Expr], sp.Expr]) -> "IndexExpr":
        """Apply ``fn`` to every coefficient (e.g. ``sp.factor`` or a limit)."""
        return IndexExpr({m: fn(c) for m, c in self.terms.items()}, self.indices)

    def coefficients(self) -> list[sp.Expr]:
        return list(self.terms.values())

    def vectors(self) -> set[str]:
        return {f[1] for m in self.terms for f in m if f[0] == "v"}

    # ------------------------------------------------------------------ calculus
    def diff(self, index: str, var: str = "x", radius: sp.Symbol | None = None) -> "IndexExpr":
        """The derivative d/d var_index, with coefficients functions of ``radius`` = |var|.

        Chain rule: d/dx_m [h(r) x_a ... delta ...] = h'(r)/r x_m x_a ... + h(r) delta_am ... .
        ``index`` becomes a new free index (appended).
        """
        radius = _r if radius is None else radius
        if index in self.indices:
            raise InputError(f"derivative index {index!r} is already a free index of {index_string(self.indices)}")
        terms: dict[Monomial, sp.Expr] = {}

        def add(mono, c):
            key = tuple(sorted(mono))
            terms[key] = terms.get(key, sp.S.Zero) + c

        for m, c in self.terms.items():
            dc = sp.diff(c, radius)
            if dc != 0:
                add(m + (("v", var, index),), dc / radius)
            for pos, f in enumerate(m):
                if f[0] == "v" and f[1] == var:
                    add(m[:pos] + m[pos + 1:] + (_delta_factor(f[2], index),), c)
        return IndexExpr(terms, self.indices + (index,))

    # ------------------------------------------------------------------ explicit components
    def component(self, values: Mapping[str, int]) -> sp.Expr:
        """The component for index values ``{'i': 0, ...}`` (0-based)."""
        parts = []
        for m, c in self.terms.items():
            factors = [c]
            for f in m:
                if f[0] == "d":
                    if values[f[1]] != values[f[2]]:
                        factors = None
                        break
                else:
                    try:
                        factors.append(VECTOR_SYMBOLS[f[1]][values[f[2]]])
                    except KeyError:
                        raise InputError(f"unknown vector {f[1]!r}; known: {sorted(VECTOR_SYMBOLS)}") from None
            if factors is not None:
                parts.append(sp.Mul(*factors))
        return sp.Add(*parts)

    def to_tensor(self):
        """Explicit components, as a :class:`glass_sym.algebra.tensor.Tensor` in the order of ``self.indices``."""
        rank = len(self.indices)
        return Tensor.from_function(rank, lambda idx: self.component(dict(zip(self.indices, idx))))

    def to_array(self) -> sp.Array:
        """Explicit components as a :class:`sympy.Array` of shape (3,)*rank (:func:`to_array`)."""
        return to_array(self)

    def as_sympy(self) -> sp.Expr:
        """A SymPy expression with ``KroneckerDelta`` and ``Indexed`` objects (for records and display)."""
        idx = {i: sp.Idx(i, 3) for i in self.indices}
        bases = {}
        total = sp.S.Zero
        for m, c in self.terms.items():
            val = c
            for f in m:
                if f[0] == "d":
                    val *= sp.KroneckerDelta(idx[f[1]], idx[f[2]], evaluate=False)
                else:
                    base = bases.setdefault(f[1], sp.IndexedBase(f[1]))
                    val *= base[idx[f[2]]]
            total += val
        return total

    # ------------------------------------------------------------------ comparison / display
    def __eq__(self, other):
        if not isinstance(other, IndexExpr):
            return NotImplemented
        if sorted(self.indices) != sorted(other.indices):
            return False
        diff = self - other
        return all(sp.simplify(c) == 0 for c in diff.terms.values())

    def __hash__(self):  # pragma: no cover - IndexExpr is used as a value, rarely hashed
        return hash((self.indices, frozenset(self.terms)))

    def __repr__(self):
        parts = []
        for m in sorted(self.terms, key=_monomial_sort_key):
            fs = "*".join(f"d_{f[1]}{f[2]}" if f[0] == "d" else f"{f[1]}_{f[2]}" for f in m) or "1"
            parts.append(f"({self.terms[m]})*{fs}")
        return f"IndexExpr[{','.join(self.indices)}](" + " + ".join(parts) + ")"

    def _repr_latex_(self) -> str:
        return "$\\displaystyle " + index_latex(self) + "$"


def _monomial_sort_key(m: Monomial):
    nvec = sum(1 for f in m if f[0] == "v")
    return (nvec, m)


def delta(a: str, b: str) -> IndexExpr:
    """Kronecker delta_ab as an index expression."""
    if a == b:
        raise InputError(f"delta with a repeated index {a!r} is a trace; use explicit tensors")
    return IndexExpr({(_delta_factor(a, b),): 1}, (a, b))


def vec(name: str, a: str) -> IndexExpr:
    """Component a of vector ``name`` (``vec('n', 'i')`` is n_i)."""
    if name not in VECTOR_SYMBOLS:
        raise InputError(f"unknown vector {name!r}; known: {sorted(VECTOR_SYMBOLS)}")
    return IndexExpr({(("v", name, a),): 1}, (a,))


def scalar(value: Scalar, indices: Iterable[str] = ()) -> IndexExpr:
    """A scalar (rank-0) index expression."""
    if tuple(indices):
        raise InputError("a scalar has no free indices")
    return IndexExpr({(): value}, ())


def radial_derivative(expr: IndexExpr, indices: Iterable[str], var: str = "x") -> IndexExpr:
    """Apply d/dvar_{i1} ... d/dvar_{ik} to ``expr`` (coefficients functions of r = |var|)."""
    for i in indices:
        expr = expr.diff(i, var)
    return expr


def isotropic_basis(vectors: Sequence[str] = ("n",), rank: int = 4):
    """Basis of index structures of ``rank`` built from deltas and the given vectors.

    Returns a list of (name, IndexExpr) with every distinct way of distributing the indices ``i j k l``
    (for rank 4) over deltas and vector components, e.g. ``delta_ij delta_kl``, ``n_i n_j delta_kl``, ...,
    ``n_i n_j n_k n_l``; with two vectors also the mixed ``m_i n_j delta_kl`` etc.
    """
    letters = "ijklpqrs"[:rank]
    out = []
    seen = set()

    def rec(remaining: tuple[str, ...], factors: tuple):
        if not remaining:
            key = tuple(sorted(factors))
            if key not in seen:
                seen.add(key)
                out.append(key)
            return
        a, rest = remaining[0], remaining[1:]
        for v in vectors:
            rec(rest, factors + (("v", v, a),))
        for pos, b in enumerate(rest):
            rec(rest[:pos] + rest[pos + 1:], factors + (("d", a, b),))

    rec(tuple(letters), ())

    def name(m):
        return " ".join(f"d_{f[1]}{f[2]}" if f[0] == "d" else f"{f[1]}_{f[2]}" for f in m)

    def weight(m):
        return (sum(1 for f in m if f[0] == "v"), m)

    return [(name(m), IndexExpr({m: 1}, tuple(letters))) for m in sorted(out, key=weight)]


def to_array(value) -> sp.Array:
    """An :class:`IndexExpr` as a :class:`sympy.Array` of shape (3,)*rank (indices in ``value.indices``
    order, values 0..2); a scalar as a rank-0 Array.

    >>> from glass_sym.algebra.indexnotation import delta
    >>> to_array(delta("i", "j"))[0, 0], to_array(delta("i", "j")).shape
    (1, (3, 3))
    """
    if isinstance(value, IndexExpr):
        t = value.to_tensor()
        rank = len(value.indices)
        if rank == 0:
            return sp.Array(t[()])
        flat = [t[idx] for idx in itertools.product(range(3), repeat=rank)]  # C order, last index fastest
        return sp.Array(flat, (3,) * rank)
    if isinstance(value, sp.Basic) or isinstance(value, (int, float)):
        return sp.Array(sp.sympify(value))
    raise InputError(f"to_array needs an IndexExpr or a SymPy scalar, got {type(value).__name__}")


def monomial_at(monomial: Monomial, at: Mapping[str, int]) -> list[sp.Symbol] | None:
    """The vector-component symbols (``n1``, ``m3`` ...) that a monomial of index notation contributes at the
    index values ``at`` (index letter -> 0, 1, 2), or ``None`` when one of its Kronecker deltas vanishes there.
    Used wherever explicit components are assembled monomial by monomial (component counts in polynomial rings,
    forensic fingerprints).  Raises :class:`InputError` for a vector without component symbols.

    >>> monomial_at((("d", "i", "j"), ("v", "n", "k")), {"i": 0, "j": 0, "k": 2})
    [n3]
    >>> monomial_at((("d", "i", "j"),), {"i": 0, "j": 1}) is None
    True
    """
    out = []
    for f in monomial:
        if f[0] == "d":
            if at[f[1]] != at[f[2]]:
                return None
        else:
            comps = VECTOR_SYMBOLS.get(f[1])
            if comps is None:
                raise InputError(f"unknown vector {f[1]!r}; known: {sorted(VECTOR_SYMBOLS)}")
            out.append(comps[at[f[2]]])
    return out
