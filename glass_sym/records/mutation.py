"""Mutation test of the derivation records: every check must reject wrong values of what it certifies.

A step's check is a function of the value it certifies (:mod:`glass_sym.records.derivation`).  The mutation test
feeds each check values that are *wrong on purpose* and records whether it rejects every one of them:

* a ``"check"`` step gets :func:`value_mutants` of its own value: the value scaled by a factor, and the value
  plus one extra term of the same index structure (one more delta/vector structure times a symbol already
  present; for an equation its right side is mutated, for a matrix one entry, for a series one coefficient,
  for a number its value);
* a ``"property"`` step gets its own ``breakers``: values that violate exactly the property it certifies
  (an antisymmetric part, an odd term, a non-covariant term, a nonzero trace, an x-dependent divergence);
  this module provides the usual ones (:func:`break_index_symmetry`, :func:`break_parity`,
  :func:`break_covariance`, :func:`break_trace`);
* a ``"definition"`` has no check and gets no mutants.

A mutant that equals the value (modulo the unit-vector relations) is dropped: it could not test anything.
A check that raises on a mutant has rejected it (it did not certify it).

>>> import sympy as sp
>>> from glass_sym.records.derivation import Derivation
>>> d = Derivation("demo", "demo")
>>> _ = d.step(None, "two", "1 + 1", lhs="t", value=sp.Integer(2), how="addition",
...            check=lambda v: v - 2, check_text="value - 2 = 0")
>>> [(r.name, r.rejected, r.mutants) for r in mutation_test(d)]
[('two', True, 2)]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from glass_sym._typing import Mutant
from glass_sym.algebra.indexnotation import IndexExpr, delta, scalar, vec
from glass_sym.algebra.tensor import Tensor, canonical, compare
from glass_sym.errors import DerivationError
from glass_sym.symbols import UNIT_VECTORS, VECTOR_SYMBOLS

from .derivation import residual_of

__all__ = ["MutationResult", "value_mutants", "differs", "as_tensor", "mutation_test", "break_index_symmetry",
           "PAIR_SYMMETRIES", "break_pair_symmetries",
           "break_parity", "break_covariance", "break_trace", "break_x_independence"]


#: the factor of the scaled mutant
SCALE = sp.Rational(7, 3)
#: at most this many single-entry mutants of a matrix or tensor
MAX_ENTRY_MUTANTS = 8


@dataclass
class MutationResult:
    """Outcome of the mutation test for one step (the JSON record of ``derive --mutation-test --json``)."""

    chain: str
    label: str | None
    name: str
    kind: str
    mutants: int
    rejected: bool | None  # None for definitions (nothing to test)
    accepted: list[dict] = field(default_factory=list)  # mutants the check passed: {"mutant", "residual"}
    raised: int = 0  # rejections that came from the check raising, not from a nonzero residual
    verified: bool = True  # the check passes on the value itself (otherwise rejecting mutants means nothing)

    @property
    def ok(self) -> bool:
        """A definition, or a check that passes its own value and rejects every mutant."""
        return self.kind == "definition" or (self.verified and bool(self.rejected))

    def as_dict(self) -> dict:
        return {"chain": self.chain, "label": self.label, "name": self.name, "kind": self.kind,
                "rejected": self.rejected, "mutants": self.mutants, "accepted": self.accepted,
                "raised": self.raised, "verified": self.verified}


# ------------------------------------------------------------------------------------------ helpers
def as_tensor(v) -> Tensor:
    """Explicit components of an IndexExpr; a Tensor is returned unchanged.

    Raises
    ------
    TypeError
        for any other value (property checks on tensors use it).
    """
    if isinstance(v, Tensor):
        return v
    if isinstance(v, IndexExpr):
        return v.to_tensor()
    raise TypeError(f"expected a tensor, got {type(v).__name__}")


def _symbol_of(value) -> sp.Expr:
    """A symbol already present in ``value`` (the first by name that is not a unit-vector component), else 1."""
    if isinstance(value, IndexExpr):
        syms = set().union(*[sp.sympify(c).free_symbols for c in value.coefficients()]) if value.terms else set()
    elif isinstance(value, Tensor):
        syms = set().union(*[sp.sympify(c).free_symbols for c in value.components])
    elif isinstance(value, sp.Basic):
        syms = value.free_symbols
    else:
        syms = set()
    unit = {s for u in UNIT_VECTORS for s in VECTOR_SYMBOLS[u]}
    pool = sorted((s for s in syms if s not in unit), key=lambda s: s.name) or sorted(syms, key=lambda s: s.name)
    return pool[0] if pool else sp.Integer(1)


def _structure(indices: Sequence[str], vector: str | None, kind: str) -> IndexExpr:
    """One delta/vector structure carrying ``indices``: ``"delta"`` pairs them with deltas (a vector takes the
    odd one out), ``"vector"`` gives every index to ``vector``."""
    if not indices:
        return scalar(1)
    if kind == "vector" and vector is not None:
        out = vec(vector, indices[0])
        for i in indices[1:]:
            out = out * vec(vector, i)
        return out
    out = None
    rest = list(indices)
    while len(rest) >= 2:
        f = delta(rest[0], rest[1])
        out = f if out is None else out * f
        rest = rest[2:]
    if rest:
        f = vec(vector or "n", rest[0])
        out = f if out is None else out * f
    return out.reorder(tuple(indices))


def differs(a, b) -> bool:
    """True when ``a`` and ``b`` differ exactly (modulo the unit-vector relations)."""
    if isinstance(a, (IndexExpr, Tensor)) or isinstance(b, (IndexExpr, Tensor)):
        try:
            return not compare(as_tensor(a), as_tensor(b)).equal
        except Exception:  # different shapes: certainly different
            return True
    if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
        if not (isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase)) or a.shape != b.shape:
            return True
        return any(canonical(sp.expand(x - y)) != 0 for x, y in zip(a, b))
    if isinstance(a, sp.Equality) and isinstance(b, sp.Equality):
        return a.lhs != b.lhs or differs(a.rhs, b.rhs)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) != len(b) or any(differs(x, y) for x, y in zip(a, b))
    a, b = sp.sympify(a), sp.sympify(b)
    if a.has(sp.Order) or b.has(sp.Order):
        return sp.expand(a.removeO() - b.removeO()) != 0
    return canonical(sp.expand(a - b)) != 0


# ------------------------------------------------------------------------------------------ mutants
def value_mutants(value) -> list[Mutant]:
    """Mutants of a checked value: scaled, and plus one extra term of the same index structure.

    Returns a list of (description, mutant); every mutant differs from ``value``.

    >>> from glass_sym.algebra.indexnotation import delta
    >>> [d for d, _ in value_mutants(delta("i", "j"))]
    ['value x 7/3', '+ 1 delta_ij']
    """
    out: list[Mutant] = []
    s = _symbol_of(value)
    sname = sp.sstr(s)
    if isinstance(value, sp.Equality):
        return [(f"right side: {d}", sp.Eq(value.lhs, m, evaluate=False)) for d, m in value_mutants(value.rhs)]
    if isinstance(value, IndexExpr):
        if value.terms:
            out.append((f"value x {SCALE}", value * SCALE))
        vectors = sorted(value.vectors())
        vector = vectors[0] if vectors else None
        kinds = ["delta"] + (["vector"] if vector and value.indices else [])
        for kind in kinds:
            st = _structure(value.indices, vector, kind)
            out.append((f"+ {sname} {_describe(st)}", value + st * s))
        if not value.indices and s != 1:
            out.append(("+ 1 (a constant)", value + 1))
    elif isinstance(value, Tensor):
        out.append((f"value x {SCALE}", value * SCALE))
        for idx in _entries(value.rank, value.components):
            comps = list(value.components)
            flat = Tensor._flat(idx)
            comps[flat] = comps[flat] + s
            out.append((f"component {''.join(str(i + 1) for i in idx)} + {sname}", Tensor(value.rank, comps)))
    elif isinstance(value, sp.MatrixBase):
        out.append((f"value x {SCALE}", value * SCALE))
        for k in range(min(len(value), MAX_ENTRY_MUTANTS)):
            m = sp.Matrix(value)
            r, c = divmod(k, value.shape[1])
            m[r, c] = m[r, c] + s
            out.append((f"entry ({r + 1},{c + 1}) + {sname}", m))
    elif isinstance(value, (list, tuple)):
        for k, x in enumerate(value):
            for d, m in value_mutants(x):
                mutated = list(value)
                mutated[k] = m
                out.append((f"item {k + 1}: {d}", type(value)(mutated)))
    else:
        v = sp.sympify(value)
        if v.has(sp.Order):
            terms = sorted(sp.Add.make_args(sp.expand(v.removeO())), key=sp.default_sort_key)
            if terms:
                out.append((f"series coefficient of {sp.sstr(terms[0])} x {SCALE}", v + (SCALE - 1) * terms[0]))
            out.append((f"series + {sname}", v + s))
        elif v.is_Number:
            out.append(("number + 1", v + 1))
            if v != 0:
                out.append((f"number x {SCALE}", v * SCALE))
        else:
            if v != 0:
                out.append((f"value x {SCALE}", v * SCALE))
            out.append((f"+ {sname}", v + s))
            if s != 1:
                out.append(("+ 1 (a constant)", v + 1))
    return [(d, m) for d, m in out if differs(m, value)]


def _describe(st: IndexExpr) -> str:
    (mono,) = st.terms
    return " ".join(f"delta_{f[1]}{f[2]}" if f[0] == "d" else f"{f[1]}_{f[2]}" for f in mono) or "1"


def _entries(rank: int, components) -> list[tuple[int, ...]]:
    """Index tuples for single-entry mutants: the nonzero components first, at most MAX_ENTRY_MUTANTS // 2."""
    idx = list(itertools.product(range(3), repeat=rank))
    nonzero = [i for i, c in zip(idx, components) if c != 0]
    pick = (nonzero or idx)[: max(1, MAX_ENTRY_MUTANTS // 2)]
    return pick


# ------------------------------------------------------------------------------------------ breakers
def _group(perms: Sequence[Sequence[int]], rank: int) -> list[tuple[int, ...]]:
    """All index permutations generated by ``perms`` (including the identity)."""
    out = {tuple(range(rank))}
    frontier = list(out)
    while frontier:
        g = frontier.pop()
        for p in perms:
            h = tuple(g[i] for i in p)
            if h not in out:
                out.add(h)
                frontier.append(h)
    return sorted(out)


def break_index_symmetry(perm: Sequence[int], keep: Sequence[Sequence[int]] = ()) -> Callable[[Any], list[Mutant]]:
    """Breaker of T = T o perm that keeps the symmetries ``keep``: add E - E o perm, where E is a single entry
    (a symbol present in the value) symmetrized over the group generated by ``keep``.

    The group structure limits what can be kept: a tensor symmetric under k <-> l and (ij) <-> (kl) is
    symmetric under i <-> j too, so an i <-> j breaker can keep k <-> l but not the pair symmetry.

    Raises
    ------
    ValueError
        if no entry gives a tensor that breaks ``perm`` and keeps ``keep``.
    """

    def breakers(value) -> list[Mutant]:
        t = as_tensor(value)
        s = _symbol_of(value)
        group = _group(keep, t.rank)
        for idx in sorted(itertools.product(range(3), repeat=t.rank), key=lambda i: (len(set(i)), i)):
            e = Tensor.zeros(t.rank)
            for g in group:
                e = e + Tensor.from_function(t.rank, lambda j, idx=idx: s if j == idx else 0).permute(g)
            b = e - e.permute(perm)
            if any(c != 0 for c in b.components) and all(compare(b.permute(k), b).equal for k in keep):
                return [(f"antisymmetric under {tuple(perm)} (keeping {[tuple(k) for k in keep]}) from entry "
                         f"{''.join(str(i + 1) for i in idx)}", t + b)]
        raise ValueError(f"no single-entry breaker of {tuple(perm)} keeps {keep}")

    return breakers


def _isotropic_pairs(rank: int) -> Tensor:
    """delta_ij delta_kl ... (rank even) or delta.. n-free placeholder 1 (rank 0)."""
    return Tensor.from_function(rank, lambda idx: int(all(idx[2 * k] == idx[2 * k + 1] for k in range(rank // 2))))


#: the index symmetries of a stress-stress kernel X_ijkl, each with the symmetries its breaker keeps
PAIR_SYMMETRIES = {
    "ij": ((1, 0, 2, 3), ((0, 1, 3, 2),)),
    "kl": ((0, 1, 3, 2), ((1, 0, 2, 3),)),
    "pairs": ((2, 3, 0, 1), ((1, 0, 2, 3), (0, 1, 3, 2))),
}


def break_pair_symmetries(*names: str) -> Callable[[Any], list[Mutant]]:
    """Breakers of the named :data:`PAIR_SYMMETRIES` (default all three), one mutant each."""
    chosen = [PAIR_SYMMETRIES[n] for n in (names or PAIR_SYMMETRIES)]

    def breakers(value) -> list[Mutant]:
        return [m for perm, keep in chosen for m in break_index_symmetry(perm, keep)(value)]

    return breakers


def _levi_civita(i: int, j: int, k: int) -> int:
    return (i - j) * (j - k) * (k - i) // 2


def break_parity(vector: str = "n") -> Callable[[Any], list[Mutant]]:
    """Breaker of T(-v) = T(v) only: for rank 4, add the odd term
    eps_ikm v_m delta_jl + eps_jlm v_m delta_ik + eps_ilm v_m delta_jk + eps_jkm v_m delta_il, which is symmetric
    in (ij) and in (kl) and covariant under proper rotations (so a rotation check would accept it); other ranks
    get v_1 times delta_ij delta_kl ... (odd, pair-symmetric)."""

    def breakers(value) -> list[Mutant]:
        t = as_tensor(value)
        v = VECTOR_SYMBOLS[vector]
        s = _symbol_of(value)
        if t.rank == 4:
            def eps_v(a, b):
                return sum(_levi_civita(a, b, m) * v[m] for m in range(3))

            def comp(ijkl):
                i, j, k, l = ijkl
                return s * (eps_v(i, k) * int(j == l) + eps_v(j, l) * int(i == k) + eps_v(i, l) * int(j == k)
                            + eps_v(j, k) * int(i == l))

            return [(f"+ {sp.sstr(s)} (eps_ikm {vector}_m delta_jl + 3 more) (odd in {vector}, covariant)",
                     t + Tensor.from_function(4, comp))]
        return [(f"+ {v[0]} delta delta (odd in {vector})", t + _isotropic_pairs(t.rank) * (v[0] * s))]

    return breakers


def break_covariance(vector: str = "n") -> Callable[[Any], list[Mutant]]:
    """Breaker of rotation covariance: add v_1^2 delta_ij delta_kl (even, pair-symmetric, but tied to axis 1)."""

    def breakers(value) -> list[Mutant]:
        t = as_tensor(value)
        v1 = VECTOR_SYMBOLS[vector][0]
        return [(f"+ {v1}^2 delta delta (tied to axis 1)",
                 t + _isotropic_pairs(t.rank) * (v1**2 * _symbol_of(value)))]

    return breakers


def break_trace(value) -> list[Mutant]:
    """Breaker of a vanishing double trace: add delta_ij delta_kl (double trace 9 per unit coefficient)."""
    t = as_tensor(value)
    return [("+ delta_ij delta_kl (double trace 9)", t + _isotropic_pairs(t.rank) * _symbol_of(value))]


def break_x_independence(radius: sp.Symbol, small: sp.Symbol) -> Callable[[Any], list[Mutant]]:
    """Breaker of an x-independent divergence: add radius/small (divergent as small -> 0, depends on |x|)."""

    def breakers(value) -> list[Mutant]:
        return [(f"+ {radius}/{small} (x-dependent divergence)", sp.sympify(value) + radius / small)]

    return breakers


# ------------------------------------------------------------------------------------------ the test
def _run(check, mutant) -> tuple[bool, str, bool]:
    """(passed, residual text, raised) of ``check`` on ``mutant``."""
    try:
        return (*residual_of(check(mutant)), False)
    except Exception as exc:  # a check that raises did not certify the mutant
        return False, f"check raised {type(exc).__name__}", True


def mutation_test(d) -> list[MutationResult]:
    """Re-run every step's check of Derivation ``d`` on mutants of the value it certifies.

    Needs a chain built in this process (not loaded from the cache: cached steps carry no check callables).

    Raises
    ------
    DerivationError
        for a cached chain, or a checked step without its check callable.
    """
    out = []
    for st in d.steps:
        if st.record is not None:
            raise DerivationError(f"chain {d.name!r} was loaded from the cache; rebuild it (no cache) to mutate")
        if st.kind == "definition":
            out.append(MutationResult(d.name, st.label, st.name, st.kind, 0, None))
            continue
        if st.check is None:
            raise DerivationError(f"step {st.name!r} has no check to mutate")
        mutants = st.breakers(st.certified) if st.kind == "property" else value_mutants(st.certified)
        mutants = [(desc, m) for desc, m in mutants if differs(m, st.certified)]
        accepted, raised = [], 0
        for desc, m in mutants:
            ok, residual, crashed = _run(st.check, m)
            raised += crashed
            if ok:
                accepted.append({"mutant": desc, "residual": residual})
        own_ok, _, _ = _run(st.check, st.certified)
        out.append(MutationResult(d.name, st.label, st.name, st.kind, len(mutants),
                                  bool(mutants) and not accepted, accepted, raised, own_ok))
    return out
