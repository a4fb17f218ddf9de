"""Explicit-component tensors in 3D and the canonical form that decides equality modulo n.n = 1.

A :class:`Tensor` holds the 3**rank components of a Cartesian tensor as SymPy expressions in the components
of symbolic vectors (``n1, n2, n3`` ...).  Equality is *decided* by :func:`canonical`: the numerator is
reduced modulo ``v1**2 + v2**2 + v3**2 - 1`` for every unit vector v that occurs (a single polynomial is a
Groebner basis of the ideal it generates, and the relations of different vectors have coprime leading terms,
so the remainder is a normal form).  No floats, no sampling.

>>> from glass_sym.symbols import N
>>> n1, n2, n3 = N
>>> canonical(n1**2 + n2**2 + n3**2)
1
>>> t = Tensor.from_function(2, lambda ij: N[ij[0]] * N[ij[1]])
>>> t.contract(0, 1).canonical()[()]
1
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import sympy as sp

from glass_sym.errors import InputError
from glass_sym.symbols import SCALAR_SYMBOLS, UNIT_VECTORS, VECTOR_SYMBOLS

from .ring_canonical import ring_canonical_memo, ring_is_zero

__all__ = [
    "Tensor",
    "canonical",
    "is_zero",
    "Comparison",
    "compare",
    "kronecker",
    "decompose",
    "rational_rotation",
    "symmetrize_pairs",
    "proportionality",
    "rotation_covariance",
]

_UNIT_RELATIONS = [(VECTOR_SYMBOLS[u], sum(s**2 for s in VECTOR_SYMBOLS[u]) - 1) for u in UNIT_VECTORS]
_UNIT_NAMES = frozenset(s.name for u in UNIT_VECTORS for s in VECTOR_SYMBOLS[u])
_ALL_SYMBOLS = frozenset(s for v in VECTOR_SYMBOLS.values() for s in v) | frozenset(SCALAR_SYMBOLS.values())


def _unit_relations() -> list:
    """v1^2+v2^2+v3^2-1 for every unit vector, including those registered later (``symbols.register_vector``)."""
    if len(UNIT_VECTORS) == len(_UNIT_RELATIONS):
        return _UNIT_RELATIONS
    return [(VECTOR_SYMBOLS[u], sum(s**2 for s in VECTOR_SYMBOLS[u]) - 1) for u in UNIT_VECTORS]


def canonical(expr) -> sp.Expr:
    """Canonical form of a scalar expression modulo |v| = 1 for the unit vectors n, m, qhat.

    The numerator of ``cancel(expr)`` is reduced modulo v1^2+v2^2+v3^2-1 for every unit vector present
    (multivariate division, lex order on the component names: no monomial divisible by v1^2 is left); the
    result is expanded.  Two expressions are equal on the unit sphere(s) iff their difference
    has canonical form 0 (for denominators free of unit-vector components, which is the case for every
    closed form here).

    >>> from glass_sym.symbols import N, alpha
    >>> canonical(alpha * (N[0]**2 + N[1]**2 + N[2]**2) - alpha)
    0
    """
    expr = sp.sympify(expr)
    if expr.is_Number:
        return expr
    syms = expr.free_symbols
    fast = _ring_canonical(expr, syms)
    if fast is not None:
        return fast
    if _RING_RATIONAL:
        fast = ring_canonical_memo(expr, [comps for comps, _ in _unit_relations()])
        if fast is not None:
            return fast
    return reference_canonical(expr)


#: use :mod:`glass_sym.algebra.ring_canonical` for rational functions (False: only the reference path; tests compare both)
_RING_RATIONAL = True


def reference_canonical(expr) -> sp.Expr:
    """The general SymPy path of :func:`canonical` (``as_numer_denom``, ``sympy.reduced``, ``sympy.cancel``): the
    reference the ring fast paths are tested against; it takes any expression."""
    expr = sp.sympify(expr)
    if expr.is_Number:
        return expr
    syms = expr.free_symbols
    num, den = expr.as_numer_denom()
    present = [(comps, rel) for comps, rel in _unit_relations() if syms & set(comps)]
    if not present:
        return sp.cancel(num / den) if den != 1 else sp.expand(num)
    # lex order on the components sorted by name, as in the fast path, so both give the same normal form; the
    # division is the multivariate one (sp.reduced): Poly.rem divides in the first generator only and leaves
    # m1^2 unreduced when n and m both occur
    gens = sorted((g for comps, _ in present for g in comps), key=lambda g: g.name)
    try:
        sp.Poly(num, *gens)
    except sp.PolynomialError:  # unit components inside non-polynomial functions: fall back to cancel
        num, den = sp.fraction(sp.cancel(sp.together(expr)))
        try:
            sp.Poly(num, *gens)
        except sp.PolynomialError:   # e.g. a phase exp(i q r qhat.n): no reduction inside the function
            return sp.expand(sp.cancel(num / den))
    _, rem = sp.reduced(sp.expand(num), [rel for _, rel in present], *gens, order="lex")
    if rem == 0:
        return sp.S.Zero
    num = sp.expand(rem)
    return sp.cancel(num / den) if den != 1 else num


@functools.lru_cache(maxsize=64)
def _ring_of(names: tuple[str, ...]):
    syms = [s for s in _ALL_SYMBOLS if s.name in names]
    by_name = {s.name: s for s in syms}
    gens = [by_name[n] for n in names]
    ring, *_ = sp.ring(gens, sp.QQ)
    return ring, [ring.from_expr(rel) for _, rel in _UNIT_RELATIONS]


def _ring_canonical(expr: sp.Expr, syms) -> sp.Expr | None:
    """Fast path for polynomials over QQ in shared symbols: reduce in a sparse ring (lex, names sorted, so the
    leading term of v1^2+v2^2+v3^2-1 is v1^2 as in the general path and the normal form is the same)."""
    if not syms <= _ALL_SYMBOLS:
        return None
    names = tuple(sorted({s.name for s in syms} | _UNIT_NAMES))
    ring, rels = _ring_of(names)
    try:
        p = ring.from_expr(expr)
    except (ValueError, TypeError, sp.polys.polyerrors.CoercionFailed, sp.polys.polyerrors.GeneratorsError):
        return None
    return p.rem(rels).as_expr()


def is_zero(expr) -> bool:
    """Exact decision ``expr == 0`` modulo the unit-vector relations."""
    expr = sp.sympify(expr)
    if _RING_RATIONAL and not expr.is_Number:
        fast = ring_is_zero(expr, [comps for comps, _ in _unit_relations()])
        if fast is not None:
            return fast
    return canonical(expr) == 0


class Tensor:
    """A rank-``rank`` Cartesian tensor in 3D with explicit SymPy components (row-major)."""

    __slots__ = ("rank", "components")

    def __init__(self, rank: int, components: Sequence):
        if len(components) != 3**rank:
            raise InputError(f"rank-{rank} tensor needs {3**rank} components, got {len(components)}")
        self.rank = rank
        self.components = tuple(sp.sympify(c) for c in components)

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_function(cls, rank: int, fn: Callable[[tuple[int, ...]], object]) -> "Tensor":
        return cls(rank, [fn(idx) for idx in itertools.product(range(3), repeat=rank)])

    @classmethod
    def zeros(cls, rank: int) -> "Tensor":
        return cls(rank, [0] * 3**rank)

    @staticmethod
    def _flat(idx: tuple[int, ...]) -> int:
        k = 0
        for i in idx:
            k = 3 * k + i
        return k

    def __getitem__(self, idx) -> sp.Expr:
        if not isinstance(idx, tuple):
            idx = (idx,)
        if len(idx) != self.rank:
            raise InputError(f"rank-{self.rank} tensor indexed with {len(idx)} indices")
        return self.components[self._flat(idx)]

    def items(self):
        return zip(itertools.product(range(3), repeat=self.rank), self.components)

    # ------------------------------------------------------------------ arithmetic
    def _same_rank(self, other: "Tensor") -> None:
        if not isinstance(other, Tensor) or other.rank != self.rank:
            raise InputError(f"cannot combine a rank-{self.rank} tensor with {other!r}")

    def __add__(self, other: "Tensor") -> "Tensor":
        self._same_rank(other)
        return Tensor(self.rank, [a + b for a, b in zip(self.components, other.components)])

    def __sub__(self, other: "Tensor") -> "Tensor":
        self._same_rank(other)
        return Tensor(self.rank, [a - b for a, b in zip(self.components, other.components)])

    def __neg__(self) -> "Tensor":
        return Tensor(self.rank, [-a for a in self.components])

    def __mul__(self, s) -> "Tensor":
        if isinstance(s, Tensor):
            raise InputError("use .outer() or .contract() for products of tensors")
        s = sp.sympify(s)
        return Tensor(self.rank, [s * a for a in self.components])

    __rmul__ = __mul__

    def __truediv__(self, s) -> "Tensor":
        return self * (sp.S.One / sp.sympify(s))

    def map(self, fn: Callable[[sp.Expr], sp.Expr]) -> "Tensor":
        return Tensor(self.rank, [fn(c) for c in self.components])

    def subs(self, *args, **kw) -> "Tensor":
        return self.map(lambda c: c.subs(*args, **kw))

    def xreplace(self, rule: dict) -> "Tensor":
        """Exact structural replacement (simultaneous; much faster than subs), expanded."""
        return self.map(lambda c: sp.expand(c.xreplace(rule)))

    def outer(self, other: "Tensor") -> "Tensor":
        return Tensor(self.rank + other.rank, [a * b for a in self.components for b in other.components])

    def contract(self, a: int, b: int) -> "Tensor":
        """Trace over index slots ``a`` and ``b``."""
        if a == b or not (0 <= a < self.rank and 0 <= b < self.rank):
            raise InputError(f"bad contraction slots ({a}, {b}) for rank {self.rank}")
        a, b = sorted((a, b))

        def comp(rest):
            total = sp.S.Zero
            for k in range(3):
                full = list(rest)
                full.insert(a, k)
                full.insert(b, k)
                total += self[tuple(full)]
            return total

        return Tensor.from_function(self.rank - 2, comp)

    def permute(self, perm: Sequence[int]) -> "Tensor":
        """``T'[i_0..] = T[i_perm[0]..]``, i.e. slot s of the result is slot perm[s] of self."""
        if sorted(perm) != list(range(self.rank)):
            raise InputError(f"{perm} is not a permutation of the {self.rank} slots")
        inv = [0] * self.rank
        for s, p in enumerate(perm):
            inv[p] = s

        def comp(idx):
            return self[tuple(idx[inv[p]] for p in range(self.rank))]

        return Tensor.from_function(self.rank, comp)

    def contract_with(self, *vectors_or_tensors: "Tensor") -> sp.Expr:
        """Full contraction of a rank-2k tensor with k rank-2 (or 2k rank-1) tensors, slot by slot.

        ``X.contract_with(e, f)`` is sum_abcd e_ab X_abcd f_cd.
        """
        slots: list[Tensor] = list(vectors_or_tensors)
        if sum(t.rank for t in slots) != self.rank:
            raise InputError("ranks of the contracted tensors must add up to the tensor's rank")
        total = sp.S.Zero
        for idx, c in self.items():
            if c == 0:
                continue
            w = c
            pos = 0
            for t in slots:
                w *= t[idx[pos:pos + t.rank]]
                pos += t.rank
            total += w
        return total

    def rotate(self, R: "Tensor") -> "Tensor":
        """R_ia R_jb ... T_ab... for a rank-2 ``R``."""
        if R.rank != 2:
            raise InputError("rotation must be a rank-2 tensor")
        out = self
        for slot in range(self.rank):
            def comp(idx, out=out, slot=slot):
                return sp.expand(sum(R[idx[slot], a] * out[idx[:slot] + (a,) + idx[slot + 1:]] for a in range(3)))

            out = Tensor.from_function(self.rank, comp)
        return out

    # ------------------------------------------------------------------ canonical form
    def canonical(self) -> "Tensor":
        cache: dict = {}

        def can(c):
            if c not in cache:
                cache[c] = canonical(c)
            return cache[c]

        return Tensor(self.rank, [can(c) for c in self.components])

    def is_zero(self) -> bool:
        return all(is_zero(c) for c in self.components)

    def equals(self, other: "Tensor") -> bool:
        return compare(self, other).equal

    def __repr__(self) -> str:
        return f"Tensor(rank={self.rank}, nonzero={sum(1 for c in self.components if c != 0)})"


@dataclass(frozen=True)
class Comparison:
    """Result of an exact comparison: ``equal`` and the canonical residual of every differing component."""

    equal: bool
    residual: dict  # index tuple -> canonical(a - b), only nonzero entries

    def summary(self, limit: int = 3) -> str:
        if self.equal:
            return "0"
        items = sorted(self.residual.items())
        shown = "; ".join(f"{''.join(str(i + 1) for i in k) or 'scalar'}: {sp.sstr(v)}" for k, v in items[:limit])
        more = f"; ... ({len(items)} differing components)" if len(items) > limit else ""
        return shown + more


def compare(a, b) -> Comparison:
    """Exact comparison of two tensors (or scalars) modulo the unit-vector relations."""
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        if not (isinstance(a, Tensor) and isinstance(b, Tensor)) or a.rank != b.rank:
            raise InputError("compare needs two tensors of equal rank (or two scalars)")
        res = {}
        seen: dict = {}
        for (idx, x), y in zip(a.items(), b.components):
            d = x - y
            if d not in seen:
                e = sp.expand(d)  # fast path: equal as expressions, no reduction needed
                seen[d] = sp.S.Zero if e == 0 else canonical(e)
            if seen[d] != 0:
                res[idx] = seen[d]
        return Comparison(not res, res)
    d = canonical(sp.sympify(a) - sp.sympify(b))
    return Comparison(d == 0, {} if d == 0 else {(): d})


def kronecker(rank: int = 2) -> Tensor:
    """delta_ij as an explicit tensor (rank 2)."""
    if rank != 2:
        raise InputError("kronecker is rank 2")
    return Tensor.from_function(2, lambda ij: 1 if ij[0] == ij[1] else 0)


def symmetrize_pairs(t: Tensor, pairs: Iterable[tuple[int, int]] = ((0, 1), (2, 3))) -> Tensor:
    """Average of ``t`` over the swaps within each slot pair: the part seen by symmetric T_ij T'_kl."""
    out = t
    for a, b in pairs:
        perm = list(range(t.rank))
        perm[a], perm[b] = perm[b], perm[a]
        out = (out + out.permute(perm)) / 2
    return out


def decompose(t: Tensor, basis) -> dict[str, sp.Expr]:
    """Coefficients of ``t`` on a list of (name, IndexExpr) structures, solved exactly.

    Raises :class:`InputError` if ``t`` is not in their span.  The structures are linearly independent as
    functions on the unit sphere, so the solution is unique.  Unknowns are matched on the canonical
    polynomial coefficients of every component.
    """
    coeffs = sp.symbols(f"c0:{len(basis)}")
    combo = Tensor.zeros(t.rank)
    for c, (_, e) in zip(coeffs, basis):
        combo = combo + e.to_tensor() * c
    eqs = []
    gens = [s for v in VECTOR_SYMBOLS.values() for s in v]
    for x, y in zip(combo.components, t.components):
        d = canonical(x - y)
        if d == 0:
            continue
        num, den = sp.fraction(sp.together(d))
        present = [g for g in gens if num.has(g)]
        if present:
            eqs.extend(sp.Poly(num, *present).coeffs())
        else:
            eqs.append(num)
    if not eqs:
        return {name: sp.S.Zero for name, _ in basis}
    sol = sp.solve(eqs, coeffs, dict=True)
    if not sol:
        raise InputError("tensor is not in the span of the given structures")
    sol = sol[0]
    return {name: sp.factor(sol.get(c, sp.S.Zero)) for c, (name, _) in zip(coeffs, basis)}


def rational_rotation(a: int = 1, b: int = 2, c: int = 3, d: int = 4) -> Tensor:
    """An exact rotation matrix with rational entries, from the quaternion (a, b, c, d).

    >>> R = rational_rotation()
    >>> compare(Tensor.from_function(2, lambda ij: sum(R[ij[0], k] * R[ij[1], k] for k in range(3))), kronecker()).equal
    True
    """
    n = sp.Integer(a * a + b * b + c * c + d * d)
    if n == 0:
        raise InputError("rational_rotation needs a nonzero quaternion (a, b, c, d), got (0, 0, 0, 0)")
    rows = [
        [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
        [2 * (b * c + a * d), a * a - b * b + c * c - d * d, 2 * (c * d - a * b)],
        [2 * (b * d - a * c), 2 * (c * d + a * b), a * a - b * b - c * c + d * d],
    ]
    return Tensor.from_function(2, lambda ij: sp.Rational(rows[ij[0]][ij[1]]) / n)


def proportionality(a: Tensor, b: Tensor, *, canonical_inputs: bool = False):
    """The constant c with ``a == c * b`` exactly (modulo the unit relations), or ``None`` if there is none.

    ``c`` may depend on scalar parameters (alpha, ...) but not on vector components.  Zero tensors: returns
    ``None`` unless both vanish (then 1).  Since canonical forms are normal forms (linear over the parameters),
    once both sides are canonical the test ``a - c b == 0`` is a plain expansion.

    >>> from glass_sym.algebra.indexnotation import delta
    >>> proportionality((delta("i", "j") * 3).to_tensor(), delta("i", "j").to_tensor())
    3
    """
    ca, cb = (a, b) if canonical_inputs else (a.canonical(), b.canonical())
    vec_syms = {s for v in VECTOR_SYMBOLS.values() for s in v}
    c = None
    for x, y in zip(ca.components, cb.components):
        if y != 0:
            c = sp.factor(sp.cancel(x / y))
            break
    if c is None:
        return sp.S.One if all(x == 0 for x in ca.components) else None
    if c.free_symbols & vec_syms:
        return None
    ok = all(sp.expand(x - c * y) == 0 or canonical(x - c * y) == 0 for x, y in zip(ca.components, cb.components))
    return c if ok else None


def _ring_components(tensors: Sequence[Tensor]):
    """Convert the components of tensors with polynomial entries into one sparse polynomial ring over QQ."""
    syms = sorted(set().union(*[c.free_symbols for t in tensors for c in t.components]) |
                  {s for v in UNIT_VECTORS for s in VECTOR_SYMBOLS[v]}, key=lambda s: s.name)
    ring, *gens = sp.ring(syms, sp.QQ)
    gmap = dict(zip(syms, gens))
    return ring, gmap, [[ring.from_expr(c) for c in t.components] for t in tensors]


def rotation_covariance(t: Tensor, R: Tensor, vector: str = "n") -> Comparison:
    """Exact check of T(R v) = R R ... R T(v) for a tensor polynomial in the unit vector ``vector``.

    Uses sparse polynomial arithmetic over QQ (fast); the difference is reduced modulo v.v = 1.

    >>> from glass_sym.algebra.indexnotation import vec
    >>> rotation_covariance((vec("n", "i") * vec("n", "j")).to_tensor(), rational_rotation()).equal
    True
    """
    try:
        ring, gmap, (comp,) = _ring_components([t])
    except (ValueError, TypeError, sp.polys.polyerrors.CoercionFailed, sp.polys.polyerrors.GeneratorsError):
        # components not polynomial over QQ (1/pi, 1/r, ...): the same check on SymPy expressions
        v = VECTOR_SYMBOLS[vector]
        Rv = [sum(R[i, j] * v[j] for j in range(3)) for i in range(3)]
        return compare(t.xreplace(dict(zip(v, Rv))), t.rotate(R))
    Rq = [[sp.QQ(int(sp.Rational(R[i, j]).p), int(sp.Rational(R[i, j]).q)) for j in range(3)] for i in range(3)]
    v = [gmap[s] for s in VECTOR_SYMBOLS[vector]]
    Rv = [sum(Rq[i][j] * v[j] for j in range(3)) for i in range(3)]
    rotated_argument = [c.compose(list(zip(v, Rv))) for c in comp]
    cur = comp
    for slot in range(t.rank):
        new = []
        for idx in itertools.product(range(3), repeat=t.rank):
            acc = ring.zero
            for a in range(3):
                if Rq[idx[slot]][a]:
                    j = list(idx)
                    j[slot] = a
                    acc += Rq[idx[slot]][a] * cur[Tensor._flat(tuple(j))]
            new.append(acc)
        cur = new
    relations = [ring.from_expr(rel) for comps, rel in _UNIT_RELATIONS]
    residual = {}
    for idx, x, y in zip(itertools.product(range(3), repeat=t.rank), rotated_argument, cur):
        d = x - y
        if d:
            d = d.rem(relations)
        if d:
            residual[idx] = d.as_expr()
    return Comparison(not residual, residual)
